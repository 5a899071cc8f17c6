"""Notes written on a call: a notepad entry on the customer, in the call's context.

The note names the call by its receipt number on its first line, so the notepad says
which call it came from (CON-16) and the call's notes are found again by that line
(`cma.contact.selectors_calls.call_notes`). Writing a note discloses nothing to the
caller, so it is allowed before identity is confirmed; the notes app's own rules
(need-to-know, the personal-information guard: never a phone number, CON-5) apply."""

from cma.audit.services import as_step, record
from cma.errors import ValidationFailed
from cma.notes.models import Note, NoteFunction
from cma.notes.services.notes import MAX_BODY, write_note
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from ..models import Interaction
from ._common import audited, working

RECEIPT_LINE = "Call receipt: {receipt}"


def receipt_line(interaction: Interaction) -> str:
    return RECEIPT_LINE.format(receipt=interaction.receipt)


@audited("contact.note.added")
def add_call_note(*, interaction: Interaction, actor: User, subject: str, body: str) -> Note:
    """Write a contact note on the customer of the call the officer is on."""
    interaction = working(interaction, actor, action="contact.note.added")
    if not isinstance(body, str) or not body.strip():
        raise ValidationFailed("write what the note says", field="body")
    prefix = receipt_line(interaction) + "\n"
    if len(prefix) + len(body.strip()) > MAX_BODY:
        raise ValidationFailed(
            f"body is longer than {MAX_BODY - len(prefix)} characters", field="body"
        )
    # Scanned as the officer wrote it, so a finding's place (start, end) is in their
    # text, not in the receipt line put before it; write_note scans the whole again.
    check_free_text(
        {"subject": subject if isinstance(subject, str) else "", "body": body.strip()},
        customer=interaction.customer,
    )
    with as_step():
        note = write_note(
            customer=interaction.customer,
            actor=actor,
            subject=subject,
            body=prefix + body.strip(),
            function=NoteFunction.CONTACT,
        )
    record(
        actor=actor,
        action="contact.note.added",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"note": note.pk, "receipt": interaction.receipt},
    )
    return note
