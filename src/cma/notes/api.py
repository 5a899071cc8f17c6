"""Notes, macros and stacking document endpoints. Every endpoint is internal: tokens of
customer-facing integrations are refused (DOC-5). Customers come through
`get_customer_for` (SEC-1: out of scope is 404, audited)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from cma.customers import access
from cma.customers.models import Case
from cma.customers.selectors import get_customer_for
from cma.errors import PermissionDenied, ValidationFailed
from cma.schemas import ERRORS, Day, Id, Line, PathId

from . import selectors, services
from .macros import active_macros
from .models import Note, StackingDocument, StackingEntry
from .schemas import (
    MacroOut,
    NoteIn,
    NoteOut,
    NotepadIn,
    PointerIn,
    StackingDocumentIn,
    StackingDocumentOut,
    StackingEntryOut,
)

router = Router(tags=["notes"])


def note_out(note: Note) -> dict:
    return {
        "id": note.pk,
        "customer_id": note.customer_id,
        "case_id": note.case_id,
        "subject": getattr(note, "shown_subject", note.subject),
        "body": getattr(note, "shown_body", note.body),
        "function": note.function,
        "author": note.author.display_name,
        "created_at": note.created_at,
        "corrects_id": note.corrects_id,
        "corrected_by": [c.pk for c in note.corrections.all()],
        "macro_code": note.macro_code,
    }


def entry_out(entry: StackingEntry) -> dict:
    return {
        "position": entry.position,
        "kind": entry.kind,
        "label": entry.label,
        "note": note_out(entry.note),
    }


def document_out(document: StackingDocument) -> dict:
    return {
        "id": document.pk,
        "customer_id": document.customer_id,
        "case_id": document.case_id,
        "purpose": document.purpose,
        "heading": document.heading,
        "created_by": document.created_by.display_name,
        "created_at": document.created_at,
        "entries": [entry_out(e) for e in document.entries.all()],
    }


def customer_for(request: HttpRequest, customer_id: int, purpose: str, *, audit: bool = True):
    """The customer through the one door; writes pass `audit=False` (their service
    writes the operation's one audit row)."""
    selectors.require_internal(request)
    if audit:
        return get_customer_for(request.user, customer_id, purpose=purpose)
    return access.enter(request.user, customer_id, action=f"customers.customer.{purpose}")


def case_of(customer, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = Case.objects.filter(pk=case_id).first()
    if case is None or customer.pk not in (case.payer_id, case.payee_id):
        raise ValidationFailed("that case does not belong to this customer", field="case_id")
    return case


class NoteFilter(Schema):
    subject: Line(100) = ""
    date_from: Day | None = None
    date_to: Day | None = None
    case_id: Id | None = None


@router.get("/customers/{customer_id}/notes", response={200: list[NoteOut], **ERRORS})
def list_notes(request: HttpRequest, customer_id: PathId, filters: Query[NoteFilter]):
    """The customer's notepads, newest first; search by subject words and dates (DOC-1)."""
    customer = customer_for(request, customer_id, "notes-listed")
    selectors.require_perm(
        request.user, "notes.view_notes", customer, "your role cannot read notes"
    )
    notes = selectors.search_notes(
        customer,
        subject=filters.subject,
        date_from=filters.date_from,
        date_to=filters.date_to,
        case_id=filters.case_id,
    )
    return [note_out(n) for n in notes]


@router.post("/customers/{customer_id}/notes", response={201: NoteOut, **ERRORS})
def create_note(request: HttpRequest, customer_id: PathId, payload: NoteIn):
    """Add a note, or a correction of one (`corrects_id`), free text or from a macro.
    Personal information is refused with each offending span in `details` (DOC-3)."""
    customer = customer_for(request, customer_id, "note-adding", audit=False)
    corrects = None
    if payload.corrects_id is not None:
        corrects = Note.objects.filter(pk=payload.corrects_id, customer=customer).first()
        if corrects is None:
            raise ValidationFailed("no such note on this customer", field="corrects_id")
    note = services.add_note(
        customer=customer,
        actor=request.user,
        subject=payload.subject,
        body=payload.body,
        case=case_of(customer, payload.case_id),
        corrects=corrects,
        macro_code=payload.macro_code,
        macro_fields=payload.macro_fields,
        function=payload.function,
    )
    # The answer is masked exactly like a read (DOC-6).
    return Status(201, note_out(selectors.mask_notes(customer, [note])[0]))


@router.get("/notes/{note_id}", response={200: NoteOut, **ERRORS})
def read_note(request: HttpRequest, note_id: PathId):
    selectors.require_internal(request)
    return note_out(selectors.note_for(request.user, note_id))


@router.get("/macros", response={200: list[MacroOut], **ERRORS})
def list_macros(request: HttpRequest):
    """Macros this user may use (DOC-2): fields, required fields, allowed personal
    information."""
    selectors.require_internal(request)
    if not request.user.has_perm("customers.view_customer"):
        raise PermissionDenied("your role does not write notes")
    return [
        {
            "code": m.code,
            "name": m.name,
            "subject": m.subject,
            "description": m.description,
            "function": m.function,
            "roles": m.roles,
            "fields": m.fields,
            "allowed_personal_information": m.allowed_personal_information,
        }
        for m in active_macros(request.user)
    ]


@router.get(
    "/customers/{customer_id}/stacking-documents",
    response={200: list[StackingDocumentOut], **ERRORS},
)
def list_stacking_documents(request: HttpRequest, customer_id: PathId):
    customer = customer_for(request, customer_id, "stacking-listed")
    selectors.require_perm(
        request.user, "notes.view_notes", customer, "your role cannot read notes"
    )
    documents = selectors.stacking_documents(customer)
    selectors.mask_notes(customer, [e.note for d in documents for e in d.entries.all()])
    return [document_out(d) for d in documents]


@router.post(
    "/customers/{customer_id}/stacking-documents", response={201: StackingDocumentOut, **ERRORS}
)
def create_stacking_document(
    request: HttpRequest, customer_id: PathId, payload: StackingDocumentIn
):
    """A stacking document (DOC-4); `purpose: "ps"` needs the referral reason, which
    becomes the first notepad, "PS referral"."""
    customer = customer_for(request, customer_id, "stacking-creating", audit=False)
    document = services.create_stacking_document(
        customer=customer,
        actor=request.user,
        purpose=payload.purpose,
        heading=payload.heading,
        case=case_of(customer, payload.case_id),
        referral_reason=payload.referral_reason,
        first_subject=payload.first_subject,
        first_body=payload.first_body,
    )
    return Status(201, document_out(selectors.stacking_document_for_internal(document.pk)))


@router.get("/stacking-documents/{document_id}", response={200: StackingDocumentOut, **ERRORS})
def read_stacking_document(request: HttpRequest, document_id: PathId):
    selectors.require_internal(request)
    return document_out(selectors.stacking_document_for(request.user, document_id))


@router.post(
    "/stacking-documents/{document_id}/notepads", response={201: StackingEntryOut, **ERRORS}
)
def add_notepad(request: HttpRequest, document_id: PathId, payload: NotepadIn):
    selectors.require_internal(request)
    document = selectors.stacking_document_for(request.user, document_id, audit=False)
    entry = services.add_notepad(
        document=document,
        actor=request.user,
        subject=payload.subject,
        body=payload.body,
        macro_code=payload.macro_code,
        macro_fields=payload.macro_fields,
    )
    selectors.mask_notes(document.customer, [entry.note])
    return Status(201, entry_out(entry))


@router.post(
    "/stacking-documents/{document_id}/pointers", response={201: StackingEntryOut, **ERRORS}
)
def add_pointer(request: HttpRequest, document_id: PathId, payload: PointerIn):
    """Point to a function-specific notepad (income, care, non-agency payment ...)."""
    selectors.require_internal(request)
    document = selectors.stacking_document_for(request.user, document_id, audit=False)
    note = Note.objects.filter(pk=payload.note_id, customer_id=document.customer_id).first()
    if note is None:
        raise ValidationFailed("no such notepad on this customer", field="note_id")
    entry = services.add_pointer(
        document=document, actor=request.user, note=note, label=payload.label
    )
    selectors.mask_notes(document.customer, [entry.note])
    return Status(201, entry_out(entry))


def _register() -> None:
    from .api_sensitive import router as sensitive_router

    router.add_router("", sensitive_router)


_register()
