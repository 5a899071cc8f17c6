"""Forms of the call screen's working parts: a note in the call, a message or an SMS,
a transfer, the warning, hold and ending. They only parse what the officer chose; every
rule (CON-8, CON-11, CON-15) is the services' and comes back as a DomainError that
`forms.show_refusal` puts beside its field (a privacy refusal marks what was found)."""

from typing import Any

from django import forms

from cma.privacy.forms import RefusalMixin
from cma.staff.models import User

from . import policy
from .models import EndReason, Recipient
from .services.ending import (
    BEHAVIOURS,
    MAX_OUTCOME,
    MAX_OVERRIDE_REASON,
    MAX_WISHES_REASON,
    OFFICER_REASONS,
)
from .services.messages import MAX_EXTRA, first_name
from .services.sms import PRE_CALL, SMS_TEMPLATE_RECIPIENT
from .services.transfers import DEFAULT_ISSUE

NO_NUMBERS = "Refer to people by role (payer, payee, child). Never a phone number or address."


class CallNoteForm(RefusalMixin, forms.Form):
    auto_prefix = "note"

    subject = forms.CharField(
        label="Subject",
        max_length=120,
        required=False,
        initial="Phone call",
        help_text="The call's receipt number heads the note.",
    )
    body = forms.CharField(
        label="Note",
        max_length=9_000,
        required=False,
        help_text="Record the type of number only, for example 'called on their mobile'. "
        + NO_NUMBERS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MessageForm(RefusalMixin, forms.Form):
    """A professional message left on this call (CON-8): who for, which template."""

    auto_prefix = "message"

    recipient = forms.ChoiceField(
        label="Who is the message for?",
        choices=Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the message is for"},
    )
    template = forms.ChoiceField(
        label="Message",
        widget=forms.RadioSelect,
        help_text="Professional templates only: read it as it is written.",
        error_messages={
            "required": "Choose the message to leave",
            "invalid_choice": "Choose a message from the list",
        },
    )
    extra_text = forms.CharField(
        label="Anything else you said (optional)",
        max_length=MAX_EXTRA,
        required=False,
        help_text="Never a consequence statement on voicemail, with an alternative contact "
        "or a third party. " + NO_NUMBERS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Recipient.choices)
        found = list(policy.templates().values())
        texts = policy.fill_many([t.text for t in found], officer_first_name=first_name(actor))
        self.fields["template"].choices = [
            (t.code, f"{labels.get(t.recipient, t.recipient)}: “{text}”")
            for t, text in zip(found, texts, strict=True)
        ]


class SmsForm(RefusalMixin, forms.Form):
    """An SMS to the customer's mobile on record: policy text only on a call."""

    auto_prefix = "sms"

    template_code = forms.ChoiceField(
        label="SMS to send",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the SMS to send",
            "invalid_choice": "Choose an SMS from the list",
        },
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = [t for t in policy.templates().values() if t.recipient == SMS_TEMPLATE_RECIPIENT]
        pre_call, *texts = policy.fill_many(
            [policy.pre_call_sms(), *(t.text for t in found)], officer_first_name=first_name(actor)
        )
        self.fields["template_code"].choices = [
            (PRE_CALL, f"Pre-call: “{pre_call}”"),
            *((t.code, f"Please call: “{text}”") for t, text in zip(found, texts, strict=True)),
        ]


AREA, OFFICER, EXTERNAL = "area", "officer", "external"
WARM = "warm"


class TransferForm(RefusalMixin, forms.Form):
    """Where the call goes (CON-11). An internal transfer goes where the referral
    guidelines send the chosen issue; outside, only to a catalogue organisation."""

    auto_prefix = "transfer"
    field_map = {"area_code": "issue", "team_id": "target"}

    target = forms.ChoiceField(
        label="Transfer to",
        choices=[
            (AREA, "Where the referral guidelines send the issue"),
            (OFFICER, "The officer who owns the customer"),
            (EXTERNAL, "An external organisation, by its public number"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to transfer the call"},
    )
    issue = forms.ChoiceField(
        label="The caller's issue",
        required=False,
        help_text="Choose it and show the advice: who the guidelines route it to, and why.",
    )
    organisation = forms.ChoiceField(
        label="Organisation (external transfers)", widget=forms.RadioSelect, required=False
    )
    number = forms.CharField(
        label="Or the number the caller asks for (external transfers)",
        max_length=40,
        required=False,
        help_text="Only an organisation's public number is accepted: a transfer to a "
        "private mobile or landline is refused.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    warm = forms.MultipleChoiceField(
        label="Warm transfer",
        choices=[(WARM, "I will introduce the caller before handing over")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, issues: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"issue": DEFAULT_ISSUE})
        super().__init__(*args, **kwargs)
        self.fields["issue"].choices = issues
        self.fields["organisation"].choices = [
            (o.code, f"{o.name}, public number {o.phone} ({o.helps_with.lower()})")
            for o in policy.organisations().values()
        ]

    def service_kwargs(self) -> dict[str, Any]:
        """Only the fields of the chosen kind of transfer: the page offers them all."""
        data = self.cleaned_data
        target = data["target"]
        kwargs: dict[str, Any] = {"target": target, "warm": WARM in (data.get("warm") or [])}
        if target == EXTERNAL:
            kwargs.update(organisation=data.get("organisation") or None)
            kwargs.update(number=(data.get("number") or "").strip() or None)
        else:
            kwargs["issue"] = data.get("issue") or DEFAULT_ISSUE
        return kwargs


class WarningForm(RefusalMixin, forms.Form):
    auto_prefix = "warning"

    behaviour = forms.ChoiceField(
        label="What is the caller doing?",
        choices=[(code, text[:1].upper() + text[1:]) for code, text in BEHAVIOURS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the behaviour you warned the caller about"},
    )


REASON_HINTS = {
    EndReason.AGGRESSIVE: "Only after the warning is recorded.",
    EndReason.AGAINST_WISHES: "Say why below: your Team Leader is notified.",
    EndReason.HOLD_TIMEOUT: "Only once they have been on hold for the time allowed.",
    EndReason.DISCONNECTED: "Call the customer back now: a call-back intray is made for you.",
}


class EndForm(RefusalMixin, forms.Form):
    auto_prefix = "end"

    reason = forms.ChoiceField(
        label="Why is the call ending?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the call is ending"},
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        max_length=MAX_OUTCOME,
        required=False,
        help_text="What was resolved, in a few words. " + NO_NUMBERS,
    )
    wishes_reason = forms.CharField(
        label="Why you ended it against the customer's wishes",
        max_length=MAX_WISHES_REASON,
        required=False,
        help_text="Only for a call ended against the customer's wishes: your Team Leader reads it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        label="Why a required step was not done (if any)",
        max_length=MAX_OVERRIDE_REASON,
        required=False,
        help_text=(
            "Only when the call ends before a step the screen asks for, such as Minimum "
            "Collection Activity. " + NO_NUMBERS
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EndReason.choices)
        self.fields["reason"].choices = [
            (
                code,
                f"{labels[code]}. {REASON_HINTS[code]}" if code in REASON_HINTS else labels[code],
            )
            for code in OFFICER_REASONS
        ]
