"""Stacking documents (DOC-4): ordered notepads under one heading, and pointers to
function-specific notepads. The PS stacking document opens with "PS referral" (PS-2)."""

from typing import Any

from django.db.models import Max

from cma.audit.services import as_step, record
from cma.customers.models import Case, Customer
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from ..errors import StackingExists, StackingInvalid
from ..models import (
    EntryKind,
    Note,
    NoteFunction,
    StackingDocument,
    StackingEntry,
    StackingPurpose,
)
from ._common import audited, clean_text, require
from .notes import write_note

PS_HEADING = "Personalised Services"
PS_FIRST_SUBJECT = "PS referral"


def append_entry(
    document: StackingDocument, note: Note, kind: str, actor: User, label: str = ""
) -> StackingEntry:
    # Positions are handed out under the document's row lock, so two officers adding
    # at once get consecutive positions (the unique constraint backs this up).
    StackingDocument.objects.select_for_update().filter(pk=document.pk).first()
    last = document.entries.aggregate(m=Max("position"))["m"] or 0
    return StackingEntry.objects.create(
        document=document, position=last + 1, kind=kind, note=note, label=label, added_by=actor
    )


@audited("notes.stacking.created")
def create_stacking_document(
    *,
    customer: Customer,
    actor: User,
    purpose: str = StackingPurpose.GENERAL,
    heading: str = "",
    case: Case | None = None,
    referral_reason: str = "",
    first_subject: str = "",
    first_body: str = "",
) -> StackingDocument:
    """Create a stacking document. For the PS stacking document (`purpose="ps"`) the
    first notepad is "PS referral" holding `referral_reason`, which is required (PS-2);
    other documents may start with a notepad (`first_subject`, `first_body`)."""
    if purpose not in StackingPurpose.values:
        raise StackingInvalid(f"unknown purpose {purpose!r}", field="purpose")
    perm = "notes.create_ps_stacking" if purpose == StackingPurpose.PERSONALISED_SERVICES else None
    require(actor, perm or "notes.add_note", customer, "your role cannot create this document")
    if purpose == StackingPurpose.PERSONALISED_SERVICES:
        reason = clean_text(referral_reason, "referral_reason", required=False, max_length=4000)
        if not reason:
            raise StackingInvalid(
                "DOC-4/PS-2: the PS stacking document's first notepad is 'PS referral' "
                "and must give the reason the customer was referred",
                field="referral_reason",
            )
        if StackingDocument.objects.filter(customer=customer, purpose=purpose).exists():
            raise StackingExists(
                "this customer already has a PS stacking document; add notepads to it",
                field="purpose",
            )
        heading = clean_text(heading or PS_HEADING, "heading", required=True, max_length=120)
        first_subject, first_body = PS_FIRST_SUBJECT, reason
        function = NoteFunction.PERSONALISED
    else:
        heading = clean_text(heading, "heading", required=True, max_length=120)
        check_free_text({"heading": heading}, customer=customer, case=case)
        function = NoteFunction.GENERAL
    document = StackingDocument.objects.create(
        customer=customer, case=case, purpose=purpose, heading=heading, created_by=actor
    )
    note = None
    if first_subject or first_body:
        with as_step():
            note = write_note(
                customer=customer,
                actor=actor,
                subject=first_subject,
                body=first_body,
                case=case,
                function=function,
            )
        append_entry(document, note, EntryKind.NOTEPAD, actor)
    record(
        actor=actor,
        action="notes.stacking.created",
        obj=document,
        customer_id=customer.pk,
        changes={
            "purpose": purpose,
            "case": case.pk if case else None,
            "note": note.pk if note else None,
        },
    )
    return document


@audited("notes.stacking.notepad-added")
def add_notepad(
    *,
    document: StackingDocument,
    actor: User,
    subject: str,
    body: str,
    macro_code: str | None = None,
    macro_fields: dict[str, Any] | None = None,
) -> StackingEntry:
    """Add a notepad at the end of the document, with a meaningful subject heading."""
    function = (
        NoteFunction.PERSONALISED
        if document.purpose == StackingPurpose.PERSONALISED_SERVICES
        else None
    )
    with as_step():
        note = write_note(
            customer=document.customer,
            actor=actor,
            subject=subject,
            body=body,
            case=document.case,
            macro_code=macro_code,
            macro_fields=macro_fields,
            function=function,
        )
    entry = append_entry(document, note, EntryKind.NOTEPAD, actor)
    record(
        actor=actor,
        action="notes.stacking.notepad-added",
        obj=document,
        customer_id=document.customer_id,
        changes={"note": note.pk, "position": entry.position},
    )
    return entry


@audited("notes.stacking.pointer-added")
def add_pointer(
    *, document: StackingDocument, actor: User, note: Note, label: str = ""
) -> StackingEntry:
    """Point to a function-specific notepad (income, care, non-agency payment ...):
    the stacking document does not replace it (DOC-4)."""
    require(actor, "notes.add_note", document.customer, "your role cannot change this document")
    if note.customer_id != document.customer_id:
        raise StackingInvalid("that notepad belongs to another customer", field="note_id")
    if note.function in (NoteFunction.GENERAL, NoteFunction.PERSONALISED):
        raise StackingInvalid(
            "DOC-4: pointers refer to function-specific notepads (income, care, "
            "non-agency payment ...); add general discussion as a notepad instead",
            field="note_id",
        )
    if document.entries.filter(note=note).exists():
        raise StackingInvalid("the document already refers to that notepad", field="note_id")
    label = clean_text(label, "label", required=False, max_length=120)
    check_free_text({"label": label}, customer=document.customer, case=document.case)
    label = label or f"See the {note.get_function_display().lower()} notepad: {note.subject}"
    entry = append_entry(document, note, EntryKind.POINTER, actor, label[:120])
    record(
        actor=actor,
        action="notes.stacking.pointer-added",
        obj=document,
        customer_id=document.customer_id,
        changes={"note": note.pk, "position": entry.position},
    )
    return entry
