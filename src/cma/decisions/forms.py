from typing import Any

from django import forms

from cma.customers.models import Case
from cma.inputs import day_validators
from cma.privacy.forms import RefusalMixin

from . import policy


class ExplanationForm(RefusalMixin, forms.Form):
    """The explanation given on a call (CMA-6) and, if the customer disagrees, the
    review option they chose and their answer (CON-17). Several may share the call
    screen: give each its own `auto_id`."""

    disagreed = forms.BooleanField(required=False, label="The customer disagrees")
    review_option = forms.ChoiceField(
        required=False,
        label="Review option they chose",
        error_messages={"invalid_choice": "Choose one of the review options"},
    )
    answer = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Their answer",
        help_text="What they said, in their words. No numbers, addresses or contact details.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = [(o.code, o.name) for o in policy.review_options().values()]
        self.fields["review_option"].choices = [("", "None (they agree)"), *options]


class DecisionForm(RefusalMixin, forms.Form):
    """A decision's content: the case (one of the customer's), its kind from policy,
    the documented reasons and the effective date. `cases` None: editing (the case of
    a decision never changes, since its parties follow from it)."""

    case = forms.ChoiceField(
        label="Case",
        error_messages={"required": "Choose the case", "invalid_choice": "Choose a case"},
    )
    kind = forms.ChoiceField(
        label="Kind of decision",
        error_messages={"required": "Choose the kind", "invalid_choice": "Choose a kind"},
    )
    reasons = forms.CharField(
        label="Reasons",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why it was decided. No numbers, addresses or contact details.",
        error_messages={"required": "Document the reasons for the decision"},
    )
    effective_on = forms.DateField(
        label="Takes effect on",
        validators=day_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date it takes effect"},
    )

    def __init__(self, *args: Any, cases: list[Case] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "Choose the kind"),
            *((k.code, k.name) for k in policy.kinds().values()),
        ]
        if cases is None:
            del self.fields["case"]
        else:
            self.fields["case"].choices = [
                ("", "Choose the case"),
                *((str(c.pk), f"Case {c.case_number}") for c in cases),
            ]
