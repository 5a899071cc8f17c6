"""Messages left for someone (CON-8): professional templates only, filled with the
officer's first name and the agency's public number; never a consequence statement
on voicemail or with someone other than the customer or their representative; only
the Parent Support Team leaves a message for a customer under 18."""

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import Customer
from cma.errors import ValidationFailed
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from .. import policy
from ..errors import MessageRefused
from ..models import Interaction, Message, Party, Recipient
from ._common import audited, working

MAX_EXTRA = 500

# Where free text may not carry a consequence statement. An alternative contact is
# someone other than the customer too: nothing about the case reaches them (CON-7).
NO_CONSEQUENCES = {
    Recipient.CUSTOMER_VOICEMAIL: "on voicemail",
    Recipient.THIRD_PARTY: "with a third party",
    Recipient.ALTERNATIVE_CONTACT: "with an alternative contact (CON-7)",
}
# The party the call must be with to leave a message for that recipient.
PARTY_FOR = {
    Recipient.REPRESENTATIVE: Party.REPRESENTATIVE,
    Recipient.ALTERNATIVE_CONTACT: Party.ALTERNATIVE_CONTACT,
}


def first_name(actor: User) -> str:
    return (actor.first_name or "").strip() or "an officer"


def may_message_minors(actor: User) -> bool:
    team = actor.team if actor.team_id else None
    return team is not None and team.business_area.code == policy.under_18_messages_area()


def _problems(
    *,
    interaction: Interaction | None,
    customer: Customer,
    actor: User,
    recipient: str,
    template: str,
    extra_text: str,
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if recipient not in Recipient.values:
        problems.append(("recipient", f"recipient must be one of {', '.join(Recipient.values)}"))
    found = policy.templates().get(template)
    if found is None:
        problems.append(("template", f"CON-8: {template!r} is not a professional message template"))
    elif recipient in Recipient.values and found.recipient != recipient:
        problems.append(
            (
                "template",
                f"CON-8: template {template!r} is for {found.recipient}, not {recipient}",
            )
        )
    where = NO_CONSEQUENCES.get(recipient)  # type: ignore[call-overload]
    phrases = policy.consequence_phrases_in(extra_text) if where else []
    if phrases:
        problems.append(
            (
                "extra_text",
                f"CON-8: never leave a consequence statement {where}: "
                f"{', '.join(repr(p) for p in phrases)}",
            )
        )
    if customer.is_under_18 and not may_message_minors(actor):
        problems.append(
            (
                "customer",
                "CON-8: only the Parent Support Team may leave a message for a customer "
                "under 18; refer the customer to them",
            )
        )
    party = PARTY_FOR.get(recipient)  # type: ignore[call-overload]
    if interaction is not None and party is not None and interaction.party != party:
        problems.append(
            (
                "recipient",
                f"a message for the {recipient} is left on a call with them; this call is "
                f"with the {interaction.party}",
            )
        )
    return problems


@audited("contact.message.left")
def leave_message(
    *,
    interaction: Interaction | None = None,
    customer: Customer,
    actor: User,
    recipient: str,
    template: str,
    extra_text: str = "",
) -> Message:
    """Record the message left for `recipient` about `customer`. With `interaction`
    (the call on which it is left) the actor must be the officer on that open call.
    Every unmet condition is listed at once."""
    if interaction is not None:
        interaction = working(interaction, actor, action="contact.message.left")
        if interaction.customer_id != customer.pk:
            raise ValidationFailed("that call is about another customer", field="customer_id")
        customer = interaction.customer
    else:
        access.admit(actor, customer, action="contact.message.left")
    extra_text = extra_text.strip() if isinstance(extra_text, str) else ""
    if len(extra_text) > MAX_EXTRA:
        raise ValidationFailed(
            f"extra text is longer than {MAX_EXTRA} characters", field="extra_text"
        )
    problems = _problems(
        interaction=interaction,
        customer=customer,
        actor=actor,
        recipient=recipient,
        template=template,
        extra_text=extra_text,
    )
    if problems:
        raise MessageRefused.from_problems("the message cannot be left", problems)
    check_free_text({"extra_text": extra_text}, customer=customer)
    text = policy.fill(policy.templates()[template].text, officer_first_name=first_name(actor))
    message = Message.objects.create(
        interaction=interaction,
        customer=customer,
        officer=actor,
        recipient=recipient,
        template=template,
        text=f"{text} {extra_text}" if extra_text else text,
    )
    record(
        actor=actor,
        action="contact.message.left",
        obj=message,
        customer_id=customer.pk,
        changes={
            "recipient": recipient,
            "template": template,
            "extra_text": bool(extra_text),
            "receipt": interaction.receipt if interaction else None,
        },
    )
    return message
