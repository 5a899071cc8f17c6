"""The segment 3 review form (PS-18): choices from policy; every rule is the
service's, whose refusals are shown beside these fields."""

from typing import Any

from django import forms

from cma.inputs import day_validators

from . import reviews_policy as policy
from .forms_core import PsForm


class ReviewForm(PsForm):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose one"},
    )
    next_review_on = forms.DateField(
        label="Next review date",
        required=False,
        validators=day_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Extending: at most 3 months ahead. Moving to segment 2 and keeping the "
        "indicator: its next review date.",
    )
    indicator_action = forms.ChoiceField(
        label="The sensitive indicator (moving to segment 2)",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one"},
    )
    conditions = forms.CharField(
        label="The indicator's conditions (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label="What the review found",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="No numbers, addresses or contact details.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(c, o.name) for c, o in policy.outcomes().items()]
        self.fields["indicator_action"].choices = [
            (c, o.name) for c, o in policy.indicator_actions().items()
        ]
