"""Reads of the notes app. Customers come through `get_customer_for` (role, SEC-1
need-to-know and the read audit); these functions add the app's own scope."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from cma.customers import access
from cma.customers.models import AGENCY_TZ, Customer
from cma.customers.selectors import get_customer_for
from cma.errors import NotFound, PermissionDenied
from cma.privacy.separating import withheld_for
from cma.staff.models import User

from .errors import InternalOnly
from .models import (
    DecisionStatus,
    Note,
    RestrictedService,
    RestrictedServiceReview,
    SafetyMarker,
    SensitiveIndicator,
    StackingDocument,
    StackingEntry,
)

MAX_NOTES = 200


def require_internal(request: Any) -> None:
    """DOC-5: customer-facing integrations never see internal customer-management data
    (notes, indicators, Separating Safely, restricted service)."""
    token = getattr(request, "api_token", None)
    if token is not None and token.customer_facing:
        raise InternalOnly(
            "this is internal customer-management data; customer-facing "
            "integrations cannot read or change it"
        )


def require_perm(actor: User, perm: str, customer: Customer, message: str) -> None:
    if not actor.has_perm(perm, customer):
        raise PermissionDenied(message)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AGENCY_TZ)


def search_notes(
    customer: Customer,
    *,
    subject: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    case_id: int | None = None,
    limit: int = MAX_NOTES,
) -> list[Note]:
    """The customer's notes, newest first, by subject words and agency dates. Any
    protected detail of an at-risk other party is shown as "[withheld]" (DOC-6)."""
    qs: QuerySet[Note] = Note.objects.filter(customer=customer).select_related(
        "author", "corrects", "case"
    )
    for word in subject.split()[:5]:
        qs = qs.filter(subject__icontains=word)
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    if case_id:
        qs = qs.filter(case_id=case_id)
    notes = list(
        qs.prefetch_related(Prefetch("corrections", Note.objects.only("id", "corrects_id")))[:limit]
    )
    return mask_notes(customer, notes)


def mask_notes(customer: Customer, notes: list[Note]) -> list[Note]:
    """`shown_subject` and `shown_body`: the text with any protected detail of an
    at-risk other party replaced by "[withheld]" (DOC-6). Every read and every write
    response of a note goes through here."""
    withheld = withheld_for(customer) if notes else None
    for note in notes:
        note.shown_subject = withheld.redact(note.subject) if withheld else note.subject
        note.shown_body = withheld.redact(note.body) if withheld else note.body
    return notes


def _door(actor: User, customer_id: int, purpose: str, audit: bool) -> Customer:
    """The customer through the one door; `audit=False` when a write follows that
    writes the operation's one audit row."""
    if audit:
        return get_customer_for(actor, customer_id, purpose=purpose)
    return access.enter(actor, customer_id, action=f"customers.customer.{purpose}")


def note_for(actor: User, note_id: int, *, audit: bool = True) -> Note:
    note = Note.objects.select_related("author", "corrects", "case").filter(pk=note_id).first()
    if note is None:
        raise NotFound("no such note", field="note_id")
    customer = _door(actor, note.customer_id, "note-viewed", audit)
    require_perm(actor, "notes.view_notes", customer, "your role cannot read notes")
    note.customer = customer
    return mask_notes(customer, [note])[0]


def stacking_documents(customer: Customer) -> list[StackingDocument]:
    entries = (
        StackingEntry.objects.select_related("note__author")
        .prefetch_related("note__corrections")
        .order_by("position")
    )
    return list(
        StackingDocument.objects.filter(customer=customer)
        .select_related("created_by")
        .prefetch_related(Prefetch("entries", entries))
    )


def stacking_document_for(actor: User, document_id: int, *, audit: bool = True) -> StackingDocument:
    document = StackingDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound("no such stacking document", field="document_id")
    customer = _door(actor, document.customer_id, "stacking-viewed", audit)
    require_perm(actor, "notes.view_notes", customer, "your role cannot read notes")
    return stacking_document_for_internal(document_id, customer)


def stacking_document_for_internal(
    document_id: int, customer: Customer | None = None
) -> StackingDocument:
    """The document with its entries in order, for a caller that has already checked
    access (e.g. right after creating it)."""
    entries = (
        StackingEntry.objects.select_related("note__author")
        .prefetch_related("note__corrections")
        .order_by("position")
    )
    document = (
        StackingDocument.objects.select_related("created_by", "customer")
        .prefetch_related(Prefetch("entries", entries))
        .get(pk=document_id)
    )
    mask_notes(customer or document.customer, [e.note for e in document.entries.all()])
    return document


def indicators(customer: Customer, *, include_removed: bool = False) -> list[SensitiveIndicator]:
    qs = SensitiveIndicator.objects.filter(customer=customer).select_related("created_by")
    if not include_removed:
        qs = qs.filter(removed_at=None)
    return list(qs.prefetch_related("reviews__reviewed_by"))


def indicator_for(
    actor: User, indicator_id: int, purpose: str, *, audit: bool = True
) -> SensitiveIndicator:
    indicator = SensitiveIndicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound("no such indicator", field="indicator_id")
    indicator.customer = _door(actor, indicator.customer_id, purpose, audit)
    return indicator


def restrictions(customer: Customer) -> list[RestrictedService]:
    reviews = RestrictedServiceReview.objects.select_related("proposed_by", "decided_by")
    return list(
        RestrictedService.objects.filter(customer=customer)
        .select_related("contact_officer", "created_by")
        .prefetch_related(Prefetch("reviews", reviews))
        .order_by("-created_at")
    )


def restriction_for(
    actor: User, arrangement_id: int, purpose: str, *, audit: bool = True
) -> RestrictedService:
    arrangement = RestrictedService.objects.filter(pk=arrangement_id).first()
    if arrangement is None:
        raise NotFound("no such restricted service arrangement", field="arrangement_id")
    arrangement.customer = _door(actor, arrangement.customer_id, purpose, audit)
    return arrangement


def restriction_review_for(
    actor: User, review_id: int, purpose: str, *, audit: bool = True
) -> RestrictedServiceReview:
    review = RestrictedServiceReview.objects.select_related("arrangement").filter(pk=review_id)
    found = review.first()
    if found is None:
        raise NotFound("no such review", field="review_id")
    found.arrangement.customer = _door(actor, found.arrangement.customer_id, purpose, audit)
    return found


def pending_restriction_reviews(actor: User) -> list[RestrictedServiceReview]:
    """The National Manager QCC's approvals queue (DOC-7), oldest first."""
    if not actor.has_perm("notes.view_restriction_approvals"):
        raise PermissionDenied("only the National Manager QCC approves restricted service reviews")
    return list(
        RestrictedServiceReview.objects.filter(status=DecisionStatus.PENDING)
        .select_related("arrangement__customer", "proposed_by")
        .order_by("proposed_at", "id")
    )


@dataclass(frozen=True)
class Safety:
    at_risk: bool
    marker: SafetyMarker | None
    restriction: RestrictedService | None
    indicator_count: int


def safety_of(customer: Customer) -> Safety:
    """The sensitive-customer summary; what the door's flags (when it read them) say
    is absent is not read again."""
    from .restricted import active_restriction  # services import these selectors

    known = customer.__dict__.get("_cma_flags")
    marker = (
        SafetyMarker.objects.filter(customer=customer, ended_at=None)
        .select_related("marked_by")
        .first()
        if known is None or "at-risk" in known
        else None
    )
    restriction = active_restriction(customer)
    count = (
        SensitiveIndicator.objects.filter(customer=customer, removed_at=None).count()
        if known is None or "sensitive" in known
        else 0
    )
    return Safety(marker is not None, marker, restriction, count)
