"""Forms of the notes pages: shape only; the services own every rule. A refusal's
details are put back beside the fields they name (`cma.privacy.forms.RefusalMixin`)."""

from typing import Any

from django import forms

from cma import formats
from cma.inputs import day_validators
from cma.policy.models import Macro
from cma.privacy.forms import RefusalMixin

from .models import Channel, IndicatorKind, NoteFunction, RestrictionOutcome, ReviewOutcome

DATE = forms.DateInput(attrs={"type": "date"})


class NoteForm(RefusalMixin, forms.Form):
    subject = forms.CharField(max_length=120, required=False, help_text="A meaningful heading.")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        required=False,
        help_text="No phone numbers, email or street addresses, or parties' full names. "
        "Record the type of call instead, e.g. 'attempted to contact on mobile'.",
    )
    case = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Case")
    function = forms.ChoiceField(
        choices=NoteFunction.choices, initial=NoteFunction.GENERAL, label="Notepad"
    )

    def __init__(self, *args, cases=(), macro: Macro | None = None, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.macro = macro
        self.fields["case"].choices = [("", "No particular case")] + [
            (c.pk, f"Case {c.case_number}") for c in cases
        ]
        if correction:
            del self.fields["case"], self.fields["function"]
            self.fields["body"].label = "Correction"
        if macro is not None:
            del self.fields["function"]
            self.fields["subject"].help_text = f"Leave empty for '{macro.subject}'."
            self.fields["body"].label = "Additional notes"
            for spec in macro.fields:
                self.fields["mf_" + spec["name"]] = _macro_field(spec)

    def macro_values(self) -> dict[str, Any]:
        return {
            n[3:]: v
            for n, v in self.cleaned_data.items()
            if n.startswith("mf_") and v not in ("", None)
        }


def _macro_field(spec: dict) -> forms.Field:
    common = {
        "label": spec["label"],
        "required": False,  # the service reports every missing field at once
        "help_text": spec.get("help", "") + (" (required)" if spec.get("required") else ""),
    }
    kind = spec["kind"]
    if kind == "choice":
        choices = [("", "Choose"), *spec["choices"].items()]
        return forms.ChoiceField(choices=choices, **common)
    if kind == "yesno":
        return forms.ChoiceField(choices=[("", "Choose"), ("yes", "Yes"), ("no", "No")], **common)
    if kind == "date":
        return forms.CharField(widget=DATE, **common)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=spec.get("max_length", 2000), **common
    )


class NoteSearchForm(forms.Form):
    subject = forms.CharField(max_length=100, required=False, label="Subject contains")
    date_from = forms.DateField(
        validators=day_validators(), required=False, widget=DATE, label="From"
    )
    date_to = forms.DateField(validators=day_validators(), required=False, widget=DATE, label="To")


class StackingForm(RefusalMixin, forms.Form):
    purpose = forms.ChoiceField(
        choices=[("general", "General"), ("ps", "Personalised Services")], initial="general"
    )
    heading = forms.CharField(max_length=120, required=False)
    referral_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Personalised Services: why the customer was referred (the first "
        "notepad, 'PS referral').",
    )
    first_subject = forms.CharField(max_length=120, required=False, label="First notepad subject")
    first_body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="First notepad"
    )


class NotepadForm(RefusalMixin, forms.Form):
    subject = forms.CharField(max_length=120, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)


class PointerForm(RefusalMixin, forms.Form):
    note = forms.TypedChoiceField(coerce=int, label="Function-specific notepad")
    label = forms.CharField(max_length=120, required=False)
    field_map = {"note_id": "note"}

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].choices = [
            (n.pk, f"{n.get_function_display()}: {n.subject} ({formats.day(n.created_at)})")
            for n in notes
        ]


class ReasonForm(RefusalMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class IndicatorForm(RefusalMixin, forms.Form):
    auto_prefix = "indicator"
    kind = forms.ChoiceField(choices=IndicatorKind.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    review_on = forms.DateField(validators=day_validators(), widget=DATE, label="Review date")


class IndicatorReviewForm(RefusalMixin, forms.Form):
    auto_prefix = "ireview"
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    next_review_on = forms.DateField(
        validators=day_validators(), widget=DATE, required=False, label="Next review date"
    )


class RestrictionForm(RefusalMixin, forms.Form):
    auto_prefix = "restriction"
    allowed_channels = forms.MultipleChoiceField(
        choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    contact_officer = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Single point of contact"
    )
    conditions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    review_due_on = forms.DateField(
        validators=day_validators(),
        widget=DATE,
        label="Review due",
        help_text="3 to 6 months ahead.",
    )
    field_map = {"contact_officer_id": "contact_officer"}

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_officer"].choices = [("", "None")] + [
            (u.pk, f"{u.display_name} ({u.get_role_display()})") for u in officers
        ]


class RestrictionReviewForm(RefusalMixin, forms.Form):
    auto_prefix = "rreview"
    outcome = forms.ChoiceField(choices=RestrictionOutcome.choices)
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    next_review_due_on = forms.DateField(
        validators=day_validators(), widget=DATE, required=False, label="Next review due"
    )
    allowed_channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="New allowed channels (vary only)",
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="New conditions (vary only)"
    )


class DecisionForm(RefusalMixin, forms.Form):
    auto_prefix = "decision"
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Do not approve")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Required to reject."
    )
