"""PS contact endpoints under /api/v1/ps/ (PS-7, PS-8: first contact, after contact,
follow-ups), and the caseload and approvals lists; letters, face-to-face and options
are in `api_letters_meetings`. Each door passes the one door for the plan's customer
first (`selectors_pages.*_for`: 404 audited otherwise)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, Line, PathId

from . import selectors_pages as pages
from .api_letters_meetings import router as letters_meetings_router
from .models import AfterContact, FirstContact
from .schemas_contact import (
    PsAfterContactIn,
    PsAfterContactOut,
    PsApprovalRowOut,
    PsCaseloadRowOut,
    PsDiscussionIn,
    PsFirstContactIn,
    PsFirstContactOut,
    PsFollowUpContactIn,
    PsFollowUpContactOut,
)
from .services import after_contact, first_contact

router = Router(tags=["personalised"])
router.add_router("", letters_meetings_router)  # PS-9..PS-11, split out


def first_contact_out(fc: FirstContact, warnings: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": fc.pk,
        "plan_id": fc.plan_id,
        "customer_id": fc.customer_id,
        "interaction_id": fc.interaction_id,
        "restricted_check_done": fc.restricted_check_done,
        "items": first_contact.checklist(fc),
        "summary": fc.summary,
        "summary_acknowledged": fc.summary_acknowledged,
        "next_contact_at": fc.next_contact_at,
        "completed_at": fc.completed_at,
        "warnings": warnings or [],
    }


def after_out(after: AfterContact) -> dict[str, Any]:
    return {
        "id": after.pk,
        "plan_id": after.plan_id,
        "plan_state": after.plan.state,
        "products_services": after.products_services,
        "sensitive_indicator_id": after.sensitive_indicator_id,
        "follow_up_intray_id": after.follow_up_intray_id,
        "referral_intray_deleted": after.referral_intray_deleted,
        "special_contact_details_updated": after.special_contact_details_updated,
    }


@router.get("/ps/caseload", response={200: list[PsCaseloadRowOut], **ERRORS})
def caseload(request: HttpRequest, sort: Line(20) = "due"):  # type: ignore[valid-type]
    """The caller's own PS customers: plan status, due date (overdue marked) and the
    next agreed contact. `sort`: due, -due, next, customer, status, segment."""
    require_internal(request)
    return [
        {
            "plan_id": r.plan.pk,
            "customer_id": r.plan.customer_id,
            "customer_name": r.plan.customer.full_name,
            "crn": r.plan.customer.crn,
            "plan_state": r.plan.state,
            "segment": r.plan.segment,
            "due_on": r.plan.due_on,
            "overdue": r.overdue,
            "next_contact_at": r.next_contact_at,
        }
        for r in pages.caseload(request.user, sort=sort[:20])
    ]


@router.get("/ps/approvals", response={200: list[PsApprovalRowOut], **ERRORS})
def approvals(request: HttpRequest):
    """What waits for the PS Team Leader: segment 3, reallocations, face-to-face
    requests, Service Centre Manager notices and UQ140.01 skips."""
    require_internal(request)
    found = pages.approvals(request.user)
    rows: list[dict[str, Any]] = []
    for s in found.segments:
        rows.append(
            _row(
                "segment-3",
                s.pk,
                s.plan_id,
                s.customer,
                s.decided_by,
                s.decided_at,
                f"segment {s.decided_segment}",
            )
        )
    for r in found.reallocations:
        rows.append(
            _row(
                "reallocation",
                r.pk,
                r.plan_id,
                r.customer,
                r.requested_by,
                r.requested_at,
                r.reason_code,
            )
        )
    for m in found.meetings:
        rows.append(
            _row(
                "face-to-face",
                m.pk,
                m.plan_id,
                m.plan.customer,
                m.requested_by,
                m.requested_at,
                m.location_kind,
            )
        )
    for m in found.scm_notices:
        rows.append(
            _row(
                "scm-notice",
                m.pk,
                m.plan_id,
                m.plan.customer,
                m.requested_by,
                m.requested_at,
                "security risks",
            )
        )
    for k in found.skips:
        rows.append(
            _row(
                "letter-skip",
                k.pk,
                k.plan_id,
                k.plan.customer,
                k.requested_by,
                k.requested_at,
                k.letter_code,
            )
        )
    return rows


def _row(kind, pk, plan_id, customer, by, at, detail) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "kind": kind,
        "id": pk,
        "plan_id": plan_id,
        "customer_id": customer.pk,
        "customer_name": customer.full_name,
        "requested_by": by.display_name if by else "",
        "requested_at": at,
        "detail": detail,
    }


# --- First contact (PS-7) -----------------------------------------------------------


@router.post("/ps/plans/{ps_plan_id}/first-contact", response={201: PsFirstContactOut, **ERRORS})
def start_first_contact(request: HttpRequest, ps_plan_id: PathId, payload: PsFirstContactIn):
    """Check the restricted service for the channel, then open the discussion checklist
    (linked to the caller's open interaction with the customer, if any)."""
    require_internal(request)
    action = "personalised.first-contact.started"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    fc, warnings = first_contact.start_first_contact(
        plan=plan,
        actor=request.user,
        channel=payload.channel,
        interaction_id=payload.interaction_id,
    )
    return Status(201, first_contact_out(fc, warnings))


@router.get("/ps/first-contacts/{first_contact_id}", response={200: PsFirstContactOut, **ERRORS})
def read_first_contact(request: HttpRequest, first_contact_id: PathId):
    """The first-contact checklist with each discussion point and whether it is done."""
    require_internal(request)
    return first_contact_out(pages.first_contact_view(request.user, first_contact_id))


@router.post(
    "/ps/first-contacts/{first_contact_id}/discussion", response={200: PsFirstContactOut, **ERRORS}
)
def record_discussion(request: HttpRequest, first_contact_id: PathId, payload: PsDiscussionIn):
    """Tick discussion points; the summary, its acknowledgement, the next contact."""
    require_internal(request)
    action = "personalised.first-contact.discussed"
    fc = pages.first_contact_for(request.user, first_contact_id, action=action)
    fc = first_contact.record_discussion(first_contact=fc, actor=request.user, **payload.dict())
    return first_contact_out(fc)


@router.post(
    "/ps/first-contacts/{first_contact_id}/complete", response={200: PsFirstContactOut, **ERRORS}
)
def complete_first_contact(request: HttpRequest, first_contact_id: PathId):
    """Complete the first contact (refused listing every point not yet done)."""
    require_internal(request)
    action = "personalised.first-contact.completed"
    fc = pages.first_contact_for(request.user, first_contact_id, action=action)
    return first_contact_out(
        first_contact.complete_first_contact(first_contact=fc, actor=request.user)
    )


# --- After contact (PS-8) -----------------------------------------------------------


@router.post("/ps/plans/{ps_plan_id}/after-contact", response={201: PsAfterContactOut, **ERRORS})
def record_after_contact(request: HttpRequest, ps_plan_id: PathId, payload: PsAfterContactIn):
    """Plan updated and approved, products and services, sensitive indicator, the
    follow-up intray (the referral intray deleted), special contact details."""
    require_internal(request)
    action = "personalised.after-contact.recorded"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    after = after_contact.record_after_contact(plan=plan, actor=request.user, **payload.dict())
    return Status(201, after_out(AfterContact.objects.select_related("plan").get(pk=after.pk)))


@router.post(
    "/ps/plans/{ps_plan_id}/follow-up-contacts", response={201: PsFollowUpContactOut, **ERRORS}
)
def record_follow_up(request: HttpRequest, ps_plan_id: PathId, payload: PsFollowUpContactIn):
    """A follow-up contact, written in the PS stacking document."""
    require_internal(request)
    action = "personalised.follow-up-contact.recorded"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    note_id = after_contact.record_follow_up_contact(
        plan=plan, actor=request.user, **payload.dict()
    )
    return Status(201, {"plan_id": plan.pk, "note_id": note_id})


# --- Letters (PS-9) -----------------------------------------------------------------
