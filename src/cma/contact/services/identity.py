"""Identity confirmation (CON-9, CON-7) and a disputed identity (CON-10)."""

from typing import Any

from cma.audit.services import as_step, record
from cma.errors import ValidationFailed
from cma.notes.services.notes import write_note
from cma.staff.models import User
from cma.work.services import create_intray

from .. import policy
from ..errors import InteractionRefused
from ..identity import matches
from ..models import Direction, Identity, IdentityCheck, Interaction, Party
from ._common import audited, now, working

NEVER_CONFIRMED: dict[str, str] = {
    Party.ALTERNATIVE_CONTACT: (
        "CON-7: an alternative contact is not a representative; no case or customer "
        "information is ever disclosed to them, so their identity is not confirmed"
    ),
    Party.THIRD_PARTY: "CON-8: nothing about the customer is disclosed to a third party",
}


@audited("contact.identity.checked")
def confirm_identity(
    *, interaction: Interaction, actor: User, answers: dict[str, Any]
) -> IdentityCheck:
    """Compare the caller's answers (question code -> what they said) with the record.
    Confirmed when enough match, every required one included (policy data); a failed
    check is recorded too and may be retried."""
    interaction = working(interaction, actor, action="contact.identity.checked")
    if interaction.party in NEVER_CONFIRMED:
        raise InteractionRefused(NEVER_CONFIRMED[interaction.party], field="party")
    rule = policy.identity_rule()
    known = {q.code: q for q in rule.questions}
    if not isinstance(answers, dict) or not answers:
        raise ValidationFailed("give the caller's answer to at least one question", field="answers")
    unknown = [code for code in answers if code not in known]
    if unknown:
        raise ValidationFailed(f"unknown identity question {unknown[0]!r}", field="answers")
    asked = [code for code in known if str(answers.get(code) or "").strip()]
    matched = [
        code for code in asked if matches(known[code].field, str(answers[code]), interaction)
    ]
    confirmed = len(matched) >= rule.min_matches and all(r in matched for r in rule.required)
    result = Identity.CONFIRMED if confirmed else Identity.FAILED
    check = IdentityCheck.objects.create(
        interaction=interaction, officer=actor, asked=asked, matched=matched, result=result
    )
    interaction.identity = result
    interaction.identity_confirmed_at = now() if confirmed else None
    interaction.save(update_fields=["identity", "identity_confirmed_at"])
    record(
        actor=actor,
        action="contact.identity.checked",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={
            "result": result,
            "asked": asked,
            "matched": matched,
            # An attested inbound call confirmed grants need-to-know for the call.
            "grant": "confirmed-call" if confirmed and interaction.attested else None,
        },
    )
    return check


CONTACT_TYPES = {Direction.INBOUND: "inbound-call", Direction.OUTBOUND: "outbound-call"}


@audited("contact.identity.disputed")
def dispute_identity(
    *, interaction: Interaction, actor: User, disputed: str, details: str, name_given: str = ""
) -> Interaction:
    """The person disputes being party to the case (CON-10): record the potential
    identity mismatch with the SGT macro and refer the customer to the Solutions
    Gateway Team. One audit row names the note and the referral."""
    interaction = working(interaction, actor, action="contact.identity.disputed")
    contact_type = CONTACT_TYPES.get(interaction.direction, "face-to-face")  # type: ignore[call-overload]
    if interaction.channel == "face-to-face":
        contact_type = "face-to-face"
    with as_step():
        note = write_note(
            customer=interaction.customer,
            actor=actor,
            subject="",
            body="",
            macro_code="sgt-referral",
            macro_fields={
                "contact_type": contact_type,
                "disputed": disputed,
                "name_given": name_given,
                "identity_confirmed": "yes" if interaction.confirmed else "no",
                "details": details,
            },
        )
        intray = create_intray(
            customer=interaction.customer,
            type_code="sgt-referral",
            actor=actor,
            note=f"Potential identity mismatch; see note {note.pk} (call {interaction.receipt})",
            by_system=True,
        )
    interaction.identity = Identity.DISPUTED
    interaction.save(update_fields=["identity"])
    record(
        actor=actor,
        action="contact.identity.disputed",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"note": note.pk, "intray": intray.pk, "disputed": disputed},
    )
    return interaction
