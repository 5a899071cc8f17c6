"""Reads of what happens on a call: the notes written in a call's context and a Team
Leader's notifications. Each takes the acting user; the interaction passed in has
already come through `selectors.interaction_for` (the one door)."""

from cma.audit.services import record, record_refusal
from cma.notes.models import Note, NoteFunction
from cma.notes.selectors import mask_notes, require_perm
from cma.staff.models import User

from .errors import IdentityNotConfirmed
from .models import Interaction, Notification
from .services.call_notes import receipt_line

MAX_NOTES = 200


def call_notes(actor: User, interaction: Interaction) -> list[Note]:
    """The notes written on this call, oldest first, masked for Separating Safely
    (DOC-6). On a live call they are case information: nothing before the caller's
    identity is confirmed (CON-9). An ended call is history, read by whoever may see
    the customer. One audit row for the read."""
    action = "contact.notes.viewed"
    if interaction.is_open and not interaction.confirmed:
        error = IdentityNotConfirmed(
            "CON-9: confirm the caller's identity for this interaction before its notes are shown",
            field="identity",
        )
        record_refusal(actor=actor, action=action, error=error, customer_id=interaction.customer_id)
        raise error
    require_perm(actor, "notes.view_notes", interaction.customer, "your role cannot read notes")
    notes = notes_of_call(interaction)
    record(
        actor=actor,
        action=action,
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"notes": len(notes)},
    )
    return notes


def notes_of_call(interaction: Interaction) -> list[Note]:
    """The call's notes, masked, with no audit row and no gate of its own: for a page
    that has already read the call through the door (its one row) and checked that
    they may be shown (confirmed, or history) and that the actor may read notes."""
    customer = interaction.customer
    first_line = receipt_line(interaction) + "\n"
    found = (
        Note.objects.filter(
            customer=customer, function=NoteFunction.CONTACT, body__startswith=first_line
        )
        .select_related("author")
        .order_by("created_at", "pk")[:MAX_NOTES]
    )
    # SQLite's LIKE ignores case; the receipt line is matched exactly.
    return mask_notes(customer, [note for note in found if note.body.startswith(first_line)])


def notifications_for(actor: User, *, open_only: bool = False) -> list[Notification]:
    """The notifications meant for `actor` (a Team Leader), newest first; one audit
    row for the read (they name calls, never the customer)."""
    rows = Notification.objects.filter(leader_id=getattr(actor, "pk", None)).select_related(
        "interaction__officer"
    )
    if open_only:
        rows = rows.filter(acknowledged_at=None)
    found = list(rows.order_by("-created_at", "-pk")[:MAX_NOTES])
    record(
        actor=actor,
        action="contact.notifications.viewed",
        object_type="contact.notification",
        changes={"count": len(found), "open_only": open_only},
    )
    return found


def notification_of(actor: User, pk: int) -> Notification | None:
    """One of `actor`'s own notifications, to show again beside a refused step (no
    audit: the step's refusal is the row)."""
    return (
        Notification.objects.filter(pk=pk, leader_id=getattr(actor, "pk", None))
        .select_related("interaction__officer")
        .first()
    )
