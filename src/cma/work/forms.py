"""Forms of the work pages. Owners are chosen from one grouped list of keys
("user:12", "team:3", "area:mainstream") and parsed into the services' keywords."""

from django import forms

from cma.errors import Unmet
from cma.inputs import day_validators
from cma.policy.models import AreaKind, BusinessArea, ReferralIssueKind
from cma.privacy.errors import PersonalInformationFound
from cma.privacy.forms import RefusalMixin
from cma.staff.models import CUSTOMER_FACING_ROLES, Team, User

ME = "me"


def owner_choices(actor, *, include_me: bool = True, blank: str | None = None) -> list:
    """Me, my team's officers, every team, every business area that serves customers."""
    groups: list = []
    if blank is not None:
        groups.append(("", blank))
    if include_me:
        groups.append((ME, f"Me ({actor})"))
    if actor.team_id:
        officers = User.objects.filter(
            team_id=actor.team_id, is_active=True, role__in=CUSTOMER_FACING_ROLES
        ).order_by("first_name", "last_name")
        groups.append((f"Officers in {actor.team}", [(f"user:{u.pk}", str(u)) for u in officers]))
    teams = Team.objects.order_by("name")
    groups.append(("Teams", [(f"team:{t.pk}", f"{t.name} ({t.state})") for t in teams]))
    areas = BusinessArea.objects.filter(active=True).exclude(kind=AreaKind.ENABLING)
    groups.append(("Business areas", [(f"area:{a.code}", a.name) for a in areas]))
    return groups


def owner_groups(actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """The owner choices as (group label, options); ungrouped options get label ""."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for value, label in owner_choices(actor):
        if isinstance(label, list):
            if label:
                groups.append((value, label))
        else:
            groups.append(("", [(value, label)]))
    return groups


def owner_kwargs(value: str, actor) -> dict:
    """Turn a chosen owner key into owner_user / owner_team / owner_area keywords."""
    if not value:
        return {}
    if value == ME:
        return {"owner_user": actor}
    kind, _, ident = value.partition(":")
    if kind == "user" and ident.isdigit():
        return {"owner_user": int(ident)}
    if kind == "team" and ident.isdigit():
        return {"owner_team": int(ident)}
    if kind == "area" and ident:
        return {"owner_area": ident}
    raise forms.ValidationError("Choose an owner from the list.")


class _DistinctIds:
    """The intray page shows several forms: each gets its own element ids (`ids`)."""

    ids = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class _OwnerForm(forms.Form):
    owner_label = "Owner"
    owner_blank: str | None = None
    include_me = True

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["owner"] = forms.ChoiceField(
            label=self.owner_label,
            choices=owner_choices(actor, include_me=self.include_me, blank=self.owner_blank),
            required=self.owner_blank is None,
        )
        self.order_fields(["owner"])

    def owner(self) -> dict:
        return owner_kwargs(self.cleaned_data.get("owner", ""), self.actor)


class LockForm(_OwnerForm):
    owner_label = "Lock to"
    reason = forms.CharField(label="Reason for the lock", max_length=300)


class TransferForm(_OwnerForm):
    owner_label = "Transfer the lock to"
    include_me = True
    reason = forms.CharField(label="Reason for the transfer", max_length=300)


class UnlockForm(forms.Form):
    reason = forms.CharField(label="Reason for unlocking", max_length=300)


class IntrayForm(RefusalMixin, _OwnerForm):
    owner_label = "Owner"
    owner_blank = "Default: the type's business area, or me"
    type_code = forms.ChoiceField(label="Type of work")
    case = forms.TypedChoiceField(label="Case", required=False, coerce=int, empty_value=None)
    due_on = forms.DateField(
        validators=day_validators(),
        label="Due date",
        required=False,
        help_text="Leave empty to use the service level (working days of the owner's state).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label="What needs doing", required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import creatable_intray_types

        # Nothing chosen until the officer chooses (WRK-6: only types they may create).
        types = creatable_intray_types(self.actor)
        self.fields["type_code"].choices = [("", "Choose a type")] + [
            (t.code, f"{t.name} (due in {t.service_level_working_days} working days)")
            for t in types
        ]
        needs_note = [t.name for t in types if "note" in t.required_fields]
        if needs_note:
            self.fields["note"].help_text = "Required for: " + ", ".join(needs_note) + "."
        self.fields["case"].choices = [("", "No particular case")] + [
            (c.pk, c.case_number) for c in cases
        ]
        self.order_fields(["type_code", "owner", "case", "due_on", "note"])


class FollowUpForm(_DistinctIds, IntrayForm):
    ids = "follow_%s"


class CompleteForm(RefusalMixin, _DistinctIds, forms.Form):
    ids = "complete_%s"
    outcome = forms.CharField(label="Outcome", max_length=2000, widget=forms.Textarea)


class DeleteForm(RefusalMixin, _DistinctIds, forms.Form):
    ids = "delete_%s"
    reason = forms.CharField(label="Why delete this intray?", max_length=2000)


class AssignForm(RefusalMixin, _DistinctIds, _OwnerForm):
    ids = "assign_%s"
    owner_label = "Re-assign to"
    due_on = forms.DateField(
        validators=day_validators(),
        label="New due date",
        required=False,
        help_text="Leave empty to keep the current due date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label="Reason", required=False, max_length=300)


class RouteForm(forms.Form):
    issues = forms.MultipleChoiceField(
        label="Presenting issues", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].choices = [
            (k.code, k.name) for k in ReferralIssueKind.objects.filter(active=True)
        ]


FIELD_ALIASES = {"owner_user": "owner", "owner_team": "owner", "owner_area": "owner"}


def add_domain_error(form: forms.Form, exc) -> None:
    """Show a DomainError beside its field when the form has it, else above the form;
    a refusal listing several unmet conditions shows each beside its field. A privacy
    refusal quotes and marks each span found (DOC-3, DOC-6)."""
    if isinstance(exc, PersonalInformationFound) and isinstance(form, RefusalMixin):
        form.apply_refusal(exc)
        return
    if isinstance(exc, Unmet) and exc.details:
        for detail in exc.details:
            form.add_error(_field_name(form, detail.get("field")), detail["message"])
        return
    form.add_error(_field_name(form, exc.field), exc.message)


def _field_name(form: forms.Form, field: str | None) -> str | None:
    name = FIELD_ALIASES.get(field, field) if field else None
    return name if name in form.fields else None


class BulkAssignForm(RefusalMixin, _OwnerForm):
    """The team queue's one form: tick rows (each posts "id:version" as loaded) and
    re-assign them together, or press one row's button (`only`) to re-assign that row."""

    owner_label = "New owner for the chosen work"
    owner_blank = "Choose a new owner"
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=300)

    def clean_owner(self) -> str:
        value = self.cleaned_data.get("owner", "")
        if not value:
            raise forms.ValidationError("Choose who the work goes to.")
        return value

    def clean(self):
        data = super().clean()
        chosen = [self.data["only"]] if self.data.get("only") else self.data.getlist("intray")
        items = []
        for value in chosen[:201]:
            ident, _, version = str(value).partition(":")
            if not (ident.isdigit() and version.isdigit() and len(value) < 40):
                self.add_error(None, "The chosen work could not be read: reload the page.")
                return data
            items.append((int(ident), int(version)))
        if not items:
            self.add_error(None, "Tick the work to re-assign, or use a row's Re-assign button.")
        data["items"] = items
        return data
