"""Forms of the PS core's pages (PS-1..PS-6). They only shape the input: every rule
(who may, in what order, what is required) is the services', whose refusals are shown
beside these fields (`RefusalMixin.apply_refusal`). Choices come from policy."""

from typing import Any

from django import forms
from django.db.models import Q

from cma.contact.models import Interaction
from cma.customers.models import Case, Customer
from cma.inputs import day_validators
from cma.policy.services import intray_type
from cma.privacy.forms import RefusalMixin
from cma.staff.models import Role, User

from . import policy
from .models import IssueStatus, Referral
from .services.plans import PLAN_FIELDS, TEXT_MAX

TEXTAREA = {"rows": 3}


def _sentence(text: str) -> str:
    text = str(text).strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")


class PsForm(RefusalMixin, forms.Form):
    """A form whose refusals read as sentences beside their fields."""

    def apply_refusal(self, exc: Any) -> None:
        if getattr(exc, "details", None):
            for detail in exc.details:
                if "start" not in detail:
                    detail["message"] = _sentence(detail.get("message", ""))
        super().apply_refusal(exc)


# --- Referral (PS-1) ------------------------------------------------------------------


class ReferralForm(PsForm):
    kind = forms.ChoiceField(
        label="Referral type",
        error_messages={"required": "Choose the referral type", "invalid_choice": "Choose one"},
    )
    source = forms.ChoiceField(
        label="Where the referral came from",
        error_messages={"required": "Choose the source", "invalid_choice": "Choose one"},
    )
    reason = forms.CharField(
        label="Why the customer is referred",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="No numbers, addresses or contact details.",
    )
    case = forms.ChoiceField(label="Case (optional)", required=False)
    urgent = forms.BooleanField(label="This referral is urgent", required=False)
    tl_contacted_ps_tl = forms.BooleanField(
        label="I contacted the PS Team Leader before referring",
        required=False,
        help_text="PS-1: an urgent referral is made by a Team Leader after contacting the "
        "PS Team Leader.",
    )
    contacted_ps_team_leader = forms.ChoiceField(label="PS Team Leader contacted", required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [
            (code, intray_type(code).name)
            for code, spec in policy.referral_types().items()
            if not spec.get("from_reallocation")
        ]
        self.fields["kind"].choices = [("", "Choose the type"), *kinds]
        sources = [(o.code, o.name) for o in policy.referral_sources().values()]
        self.fields["source"].choices = [("", "Choose the source"), *sources]
        cases = Case.objects.filter(Q(payer=customer) | Q(payee=customer)).order_by("case_number")
        self.fields["case"].choices = [
            ("", "No particular case"),
            *((str(c.pk), f"Case {c.case_number}") for c in cases),
        ]
        leaders = User.objects.filter(role=Role.PS_TEAM_LEADER, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["contacted_ps_team_leader"].choices = [
            ("", "Nobody"),
            *((str(u.pk), u.display_name) for u in leaders),
        ]

    field_map = {"contacted_ps_team_leader_id": "contacted_ps_team_leader", "case_id": "case"}


# --- The actioning checklist (PS-2) ---------------------------------------------------


class StepForm(PsForm):
    """The inputs of one checklist step; which fields it has depends on the step."""

    field_map = {"interaction_id": "interaction"}

    def __init__(
        self,
        *args: Any,
        step: str,
        referral: Referral,
        interactions: list[Interaction],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.step = step
        if step == "review-case-history":
            crg = bool(policy.referral_types().get(referral.kind, {}).get("crg_record"))
            items = [
                (o.code, o.name)
                for o in policy.case_history_items().values()
                if crg or not o.extra.get("crg_only")
            ]
            self.fields["reviewed"] = forms.MultipleChoiceField(
                label="What you reviewed",
                choices=items,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        elif step == "complete-case-review":
            self.fields["text"] = forms.CharField(
                label="PS Case Review",
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="Goes in the PS stacking document. No numbers, addresses or "
                "contact details.",
            )
        elif step in ("contact-primary", "contact-associated"):
            customer_id = (
                referral.primary_customer_id
                if step == "contact-primary"
                else referral.associated_customer_id
            )
            options = [
                (str(i.pk), f"Contact {i.receipt}")
                for i in interactions
                if i.customer_id == customer_id
            ]
            self.fields["interaction"] = forms.ChoiceField(
                label="The contact (optional)",
                choices=[("", "Not linked to a recorded contact"), *options],
                required=False,
            )
        elif step == "record-segment-source-reason":
            reasons = [(o.code, o.name) for o in policy.main_reasons().values()]
            self.fields["main_reason"] = forms.ChoiceField(
                label="Main reason for the referral",
                choices=[("", "Choose the main reason"), *reasons],
                required=False,
            )

    def inputs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "interaction" in data:
            value = data.pop("interaction")
            if value:
                data["interaction_id"] = int(value)
        return {k: v for k, v in data.items() if v not in (None, "")}


# --- The plan (PS-4, PS-5) ------------------------------------------------------------

PLAN_LABELS = {
    "stacking_location": "Where the PS stacking document is",
    "main_issue": "Main issue, and why the customer was referred",
    "customer_view": "The customer's view",
    "options_provided": "Options provided",
    "agreed_actions": "Agreed actions",
    "agreed_contact_times": "Agreed contact times",
    "special_contact_details": "Special contact details",
}


class PlanForm(PsForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, length in PLAN_FIELDS.items():
            widget = forms.TextInput() if length <= 200 else forms.Textarea(attrs=TEXTAREA)
            self.fields[name] = forms.CharField(
                label=PLAN_LABELS.get(name, name.replace("_", " ").capitalize()),
                max_length=length,
                required=False,
                widget=widget,
            )


class IssueForm(PsForm):
    auto_prefix = "issue"
    title = forms.CharField(label="Issue", max_length=120, required=False)
    classification = forms.ChoiceField(label="Classification", required=False)
    comment = forms.CharField(
        label="Comment (optional)",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(o.code, o.name) for o in policy.classifications().values()]
        self.fields["classification"].choices = [("", "Choose the classification"), *options]


class IssueStatusForm(PsForm):
    """The moves an issue may make from its status (policy), with a comment."""

    status = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status to move to"},
    )
    comment = forms.CharField(
        label="Comment",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, moves: list[str], issue_id: int, **kwargs: Any) -> None:
        """`moves`: the statuses the policy allows from the issue's status."""
        kwargs.setdefault("auto_id", f"id_issue{issue_id}_%s")
        super().__init__(*args, **kwargs)
        labels = dict(IssueStatus.choices)
        # Any status is accepted here: the service refuses a move the policy does not
        # allow (PS-5), naming it. The radios offer the allowed moves only.
        field = self.fields["status"]
        field.choices = list(IssueStatus.choices)
        field.widget.choices = [(s, labels.get(s, s)) for s in moves]
        if len(moves) == 1:
            self.fields["status"].initial = moves[0]


# --- Segments (PS-6) ------------------------------------------------------------------


class SegmentForm(PsForm):
    segment = forms.TypedChoiceField(
        label="Segment",
        choices=[("1", "Segment 1"), ("2", "Segment 2"), ("3", "Segment 3")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the segment", "invalid_choice": "Choose 1, 2 or 3"},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_on = forms.DateField(
        label="Segment 3 review date (optional)",
        required=False,
        validators=day_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="PS-18: at most 3 months ahead; the furthest allowed when left empty.",
    )

    def __init__(self, *args: Any, suggested: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_segment_%s")
        super().__init__(*args, **kwargs)
        if suggested:
            self.fields["segment"].initial = str(suggested)


class SegmentApprovalForm(PsForm):
    approve = forms.ChoiceField(
        label="Segment 3",
        choices=[("yes", "Approve segment 3"), ("no", "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve", "invalid_choice": "Choose one"},
    )
    comment = forms.CharField(
        label="Comment (required when not approving)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_approval_%s")
        super().__init__(*args, **kwargs)
