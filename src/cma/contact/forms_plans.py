"""Forms of the call screen's contact-attempt plan (CON-1..CON-6): start a plan for a
purpose, record this call's attempt, issue the plan's letter. Shape only: the plan
services own every rule and their refusals come back beside the fields they name."""

from typing import Any

from django import forms

from cma.privacy.forms import RefusalMixin

from . import policy
from .models import AttemptOutcome, NumberType
from .plans import MX0, MX1

NOT_YET = "yes"
# Recorded through their own steps: the pre-call SMS button, the letter step.
OWN_STEPS = (AttemptOutcome.SMS_SENT, AttemptOutcome.LETTER_ISSUED)


class PlanForm(RefusalMixin, forms.Form):
    auto_prefix = "plan"

    purpose = forms.ChoiceField(
        label="Purpose of the contact",
        error_messages={"required": "Choose the purpose", "invalid_choice": "Choose a purpose"},
    )
    employer_non_compliant = forms.MultipleChoiceField(
        label="Employer notice",
        choices=[(NOT_YET, "An employer has not complied with a notice (then no MX1-1 letter)")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [
            ("", "Choose the purpose"),
            *((p.code, p.name) for p in policy.purposes().values()),
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "employer_non_compliant": NOT_YET in (data.get("employer_non_compliant") or []),
        }


class AttemptForm(RefusalMixin, forms.Form):
    """This call as an attempt of the plan: its outcome and the type of number used,
    never the number (CON-5). Before the caller's identity is confirmed, "contact made"
    is not offered: contact with the customer is a confirmed caller."""

    auto_prefix = "attempt"

    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    outcome = forms.ChoiceField(
        label="How did the call go?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome of the call",
            "invalid_choice": "Choose an outcome from the list",
        },
    )
    number_type = forms.ChoiceField(
        label="Type of number called",
        choices=[c for c in NumberType.choices if c[0]],
        widget=forms.RadioSelect,
        help_text="The kind of number only: the number itself is never recorded.",
        error_messages={"required": "Choose the type of number called"},
    )
    non_preferred_reason = forms.CharField(
        label="Why this contact, if the customer did not prefer it (optional)",
        max_length=300,
        required=False,
        help_text="Needed when phone is not the customer's preferred method or their "
        "restricted service does not allow it. No personal information.",
    )

    def __init__(self, *args: Any, confirmed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (code, label)
            for code, label in AttemptOutcome.choices
            if code not in OWN_STEPS and (confirmed or code != AttemptOutcome.CONTACT_MADE)
        ]


class PlanStepForm(forms.Form):
    """The plan a step (its pre-call SMS, its letter) is for."""

    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    template = forms.ChoiceField(choices=[(MX0, MX0), (MX1, MX1)], required=False)
