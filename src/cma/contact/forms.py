"""Forms of the contact pages. They only parse what the officer typed; every rule (who
may be called, CON-7, CON-9, CON-10) is the services' and comes back as a DomainError
that `show_refusal` puts beside the field it names."""

from typing import Any

from django import forms

from cma import formats
from cma.customers.models import AlternativeContact, RepresentativeAuthority
from cma.errors import DomainError, Unmet
from cma.privacy.errors import PersonalInformationFound
from cma.privacy.forms import RefusalMixin

from . import policy
from .models import Channel, Direction, NumberType, Party

CUSTOMER = "customer"
THIRD_PARTY = "third-party"
REP = "representative:"
ALT = "alternative-contact:"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class StartCallForm(forms.Form):
    """Start a call (or record an SMS or a meeting) from the customer page."""

    direction = forms.ChoiceField(
        label="Direction",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose inbound or outbound"},
    )
    channel = forms.ChoiceField(
        label="How",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact happens"},
    )
    who = forms.ChoiceField(
        label="Who is the contact with",
        widget=forms.RadioSelect,
        help_text="Only current representatives and alternative contacts are offered.",
        error_messages={
            "required": "Choose who the contact is with",
            "invalid_choice": "Choose who the contact is with from the list",
        },
    )
    number_type = forms.ChoiceField(
        label="Number type",
        choices=NumberType.choices,
        required=False,
        help_text="The kind of number only: the number itself is never recorded.",
    )
    purpose = forms.ChoiceField(
        label="Purpose (outbound contact)",
        required=False,
        help_text="Not stated to the person until their identity is confirmed.",
    )

    def __init__(
        self,
        *args: Any,
        representatives: list[RepresentativeAuthority],
        alternative_contacts: list[AlternativeContact],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)
        choices = [(CUSTOMER, "The customer")]
        for authority in representatives:
            rep = authority.representative
            at = f", {rep.organisation}" if rep.organisation else ""
            choices.append((f"{REP}{rep.pk}", f"Authorised representative: {rep.name}{at}"))
        for contact in alternative_contacts:
            until = formats.day(contact.ends_on)
            choices.append(
                (
                    f"{ALT}{contact.pk}",
                    f"Alternative contact: {contact.name} ({contact.role}), until {until}. "
                    "Never give them case or customer information",
                )
            )
        choices.append((THIRD_PARTY, "Someone else (a third party)"))
        self.fields["who"].choices = choices
        purposes = [(p.code, p.name) for p in policy.purposes().values()]
        self.fields["purpose"].choices = [("", "Choose the purpose"), *purposes]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        who: str = data["who"]
        kwargs: dict[str, Any] = {
            "direction": data["direction"],
            "channel": data["channel"],
            "number_type": data.get("number_type") or "",
            "purpose": data.get("purpose") or "",
            "party": who,
        }
        if who.startswith(REP):
            kwargs.update(party=Party.REPRESENTATIVE, representative_id=int(who[len(REP) :]))
        elif who.startswith(ALT):
            kwargs.update(
                party=Party.ALTERNATIVE_CONTACT, alternative_contact_id=int(who[len(ALT) :])
            )
        return kwargs


def default_channel(needs: dict[str, Any]) -> str:
    """The channel the customer's recorded needs call for (CON-1, CON-14)."""
    if needs.get("relay_need"):
        return str(needs["relay_need"])
    if needs.get("interpreter_language"):
        return Channel.INTERPRETER
    return Channel.PHONE


# How the caller may give each kind of answer (the comparison accepts these forms).
ANSWER_HINTS = {
    "date_of_birth": "As they say it, for example 14/03/1985 or 14 March 1985.",
    "phone": "Any format, for example 0491 570 156.",
}


def question_field(code: str) -> str:
    return "q_" + code.replace("-", "_")


class IdentityForm(forms.Form):
    """What the caller says to each identity question (policy data). The system
    compares; only which questions matched is kept, never the answers."""

    def __init__(self, *args: Any, questions: list[policy.Question], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "identity_%s")
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[question_field(q.code)] = forms.CharField(
                label=q.label,
                help_text=ANSWER_HINTS.get(q.field, ""),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )

    def answers(self) -> dict[str, str]:
        """Only the questions the caller answered: none at all is the service's refusal."""
        found = {
            q.code: self.cleaned_data.get(question_field(q.code)) or "" for q in self.questions
        }
        return {code: text for code, text in found.items() if text.strip()}


class DisputeForm(RefusalMixin, forms.Form):
    """The person disputes being party to the case (CON-10): the SGT macro's fields."""

    auto_prefix = "dispute"
    field_map = {
        "disputed": "disputed",
        "macro_fields.disputed": "disputed",
        "macro_fields.details": "details",
        "macro_fields.name_given": "name_given",
    }

    disputed = forms.ChoiceField(
        label="What does the person dispute?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the person disputes"},
    )
    name_given = forms.CharField(
        label="Name the person gave (optional)",
        required=False,
        max_length=150,
        help_text="Only what they said their name is: the Solutions Gateway Team needs it.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    details = forms.CharField(
        label="What was said",
        max_length=2000,
        help_text="Refer to people by role (payer, payee, child). No phone numbers or addresses.",
        error_messages={"required": "Say what the person said"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disputed"].choices = choices


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="Receipt number",
        max_length=40,
        strip=True,
        help_text="As the customer reads it, for example 4KQ7-M2XD. Spaces and capitals "
        "do not matter.",
        error_messages={"required": "Enter the receipt number"},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )


# Service fields shown by another name on the forms.
ALIASES = {
    "party": "who",
    "representative_id": "who",
    "alternative_contact_id": "who",
}


def show_refusal(
    form: forms.Form, exc: DomainError, *, aliases: dict[str, str | None] | None = None
) -> None:
    """Each unmet condition beside its field (else above the form); a privacy refusal
    quotes and marks what was found (DOC-3). `aliases`: this form's name for a service
    field (the identity check's "answers" is its first question)."""
    if isinstance(exc, PersonalInformationFound) and isinstance(form, RefusalMixin):
        form.apply_refusal(exc)
        return
    names = {**ALIASES, **(aliases or {})}
    details = exc.details if isinstance(exc, Unmet) and exc.details else None
    for detail in details or [{"field": exc.field, "message": exc.message}]:
        field = detail.get("field") or ""
        name = names.get(field, field)
        form.add_error(name if name in form.fields else None, sentence(str(detail["message"])))
