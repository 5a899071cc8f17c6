"""Forms of finalisation (PS-14, PS-15): the case manager's request and the PS Team
Leader's decision. Choices are read from policy."""

from typing import Any

from django import forms

from cma.policy.models import BusinessArea
from cma.privacy.forms import RefusalMixin

from . import policy
from .models import ExitAdvice

TEXTAREA = forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"})


class FinalisationForm(RefusalMixin, forms.Form):
    auto_prefix = "fin"
    basis = forms.ChoiceField(label="Basis for finalising", widget=forms.RadioSelect)
    mandatory_issues = forms.CharField(
        label="How the five mandatory issues were addressed", max_length=4000, widget=TEXTAREA
    )
    exit_advice = forms.ChoiceField(
        label="How the customer was told of the exit",
        widget=forms.RadioSelect,
        choices=ExitAdvice.choices,
    )
    feedback = forms.CharField(
        label="Feedback given", required=False, max_length=2000, widget=TEXTAREA
    )
    responses_understood = forms.BooleanField(
        label="Ministerial or Ombudsman responses were received and understood by the customer",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = [
            (o.code, o.name) for o in policy.finalisation_reasons().values()
        ]


class FinalisationDecisionForm(RefusalMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("yes", "Approve"), ("no", "Do not approve")],
    )
    reason = forms.ChoiceField(label="Reason for approving", required=False)
    confirmations = forms.MultipleChoiceField(
        label="Confirmations (customer declined options)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    transfer_area = forms.ChoiceField(label="Transfer to a specialist area", required=False)
    comment = forms.CharField(
        label="Comment (the reasons, if not approved)",
        required=False,
        max_length=2000,
        widget=TEXTAREA,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Choose a reason")] + [
            (o.code, o.name) for o in policy.finalisation_reasons().values()
        ]
        self.fields["confirmations"].choices = [
            (o.code, o.name) for o in policy.finalisation_confirmations().values()
        ]
        codes = list(policy.specialist_transfer_areas())
        names = dict(BusinessArea.objects.filter(code__in=codes).values_list("code", "name"))
        self.fields["transfer_area"].choices = [("", "No transfer")] + [
            (c, names.get(c, c)) for c in codes
        ]
