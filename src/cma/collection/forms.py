"""The collection forms of the call screen: Minimum Collection Activity per case, a
payee's lead and what they were told, a presenting issue, a service referral. Each
refusal is shown beside its field (`contact.forms.show_refusal`)."""

from typing import Any

from django import forms

from cma.privacy.forms import RefusalMixin

from . import policy
from .models import MCA_TOPICS, McaOutcome, PayeeUpdateOutcome
from .services.issues import MAX_NOTE
from .services.leads import MAX_IDENTIFIER, MAX_NAME

NO_PERSONAL = "No names, phone numbers or addresses: the privacy guard refuses them."


class McaForm(RefusalMixin, forms.Form):
    """One case's outcomes; `auto_prefix` per case so several share the screen."""

    def __init__(self, *args: Any, case_pk: int, **kwargs: Any) -> None:
        self.auto_prefix = f"mca{case_pk}"
        super().__init__(*args, **kwargs)
        for topic, label in MCA_TOPICS.items():
            self.fields[topic] = forms.ChoiceField(
                label=label,
                choices=McaOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose an outcome for {label.lower()}"},
            )


class LeadForm(RefusalMixin, forms.Form):
    auto_prefix = "lead"

    case_id = forms.TypedChoiceField(label="Case", coerce=int)
    kind = forms.ChoiceField(
        label="What has the payee told you about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the information is about"},
    )
    name = forms.CharField(
        label="Name or kind (employer's business name, bank, kind of asset, town or region)",
        max_length=MAX_NAME,
        required=False,
    )
    identifier = forms.CharField(
        label="Number or reference (optional: ABN, BSB and account, registration, postcode)",
        max_length=MAX_IDENTIFIER,
        required=False,
        help_text="Shown masked: only its last 3 characters.",
    )
    country = forms.CharField(
        label="Country (overseas address: ISO code, e.g. NZ)", max_length=2, required=False
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=MAX_NOTE,
        required=False,
        help_text=NO_PERSONAL,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_id"].choices = cases
        self.fields["kind"].choices = [(k.code, k.name) for k in policy.lead_kinds().values()]


class PayeeUpdateForm(RefusalMixin, forms.Form):
    auto_prefix = "payee"

    case_id = forms.TypedChoiceField(label="Case", coerce=int)
    outcome = forms.ChoiceField(
        label="What was the payee told?",
        choices=PayeeUpdateOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the payee was told"},
    )

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_id"].choices = cases


class IssueForm(RefusalMixin, forms.Form):
    auto_prefix = "issue"

    kind = forms.ChoiceField(
        label="What did the customer raise?",
        error_messages={"required": "Choose the issue the customer raised"},
    )
    case_id = forms.TypedChoiceField(
        label="Case (optional)", coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=MAX_NOTE,
        required=False,
        help_text=NO_PERSONAL,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        cases: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose an issue"), *kinds]
        self.fields["case_id"].choices = [("", "Not about one case"), *cases]


class ReferralForm(RefusalMixin, forms.Form):
    auto_prefix = "referral"

    organisation = forms.ChoiceField(
        label="Which organisation can help?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation"},
    )
    consent = forms.BooleanField(
        label="The customer agrees to be referred to this organisation", required=False
    )
    note = forms.CharField(
        label="What they need help with (optional)",
        max_length=MAX_NOTE,
        required=False,
        help_text=NO_PERSONAL,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.code, f"{o.name}, {o.phone}: {o.helps_with} ({o.eligibility.lower()})")
            for o in policy.organisations().values()
        ]
