"""PS letters and their skips, face-to-face meetings and plan options under /api/v1/ps/
(PS-9, PS-10, PS-11), split from `api_contact` (their operation ids keep its name).
Each door passes the one door for the plan's customer first (`selectors_pages.*_for`:
404 audited otherwise)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import contact_policy
from . import selectors_pages as pages
from .models import FaceToFace, LetterSkip, PlanOption
from .schemas_contact import (
    PsBookIn,
    PsDecisionIn,
    PsFaceToFaceIn,
    PsFaceToFaceOut,
    PsLetterIn,
    PsLetterOut,
    PsLetterSkipIn,
    PsLetterSkipOut,
    PsOptionIn,
    PsOptionOut,
    PsOptionStatusIn,
)
from .services import face_to_face, options, ps_letters

router = Router()  # tagged "personalised" by api_contact, which mounts it


def skip_out(skip: LetterSkip) -> dict[str, Any]:
    return {
        "id": skip.pk,
        "plan_id": skip.plan_id,
        "letter_code": skip.letter_code,
        "segment": skip.segment,
        "approval": skip.approval,
        "agreed_at": skip.agreed_at,
        "comment": skip.comment,
    }


def meeting_out(meeting: FaceToFace) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "plan_id": meeting.plan_id,
        "state": meeting.state,
        "location_kind": meeting.location_kind,
        "location": meeting.location,
        "via_customer_review": meeting.via_customer_review,
        "attendee_ids": sorted(meeting.attendees.values_list("pk", flat=True)),
        "second_person_present": meeting.second_person_present,
        "security_risks": meeting.security_risks,
        "scm_notified": meeting.scm_notified,
        "approved_at": meeting.approved_at,
        "location_approved_at": meeting.location_approved_at,
        "meeting_at": meeting.meeting_at,
    }


def option_out(option: PlanOption) -> dict[str, Any]:
    return {
        "id": option.pk,
        "plan_id": option.plan_id,
        "issue_id": option.issue_id,
        "kind": option.kind,
        "description": option.description,
        "status": option.status,
    }


# --- Lists ---------------------------------------------------------------------------


@router.post(
    "/ps/plans/{ps_plan_id}/letters",
    response={201: PsLetterOut, **ERRORS},
    operation_id="cma_personalised_api_contact_issue_letter",
)
def issue_letter(request: HttpRequest, ps_plan_id: PathId, payload: PsLetterIn):
    """Issue UQ140.00 (introduction), UQ140.01 (first-call) or UQ140.02 (exit), signed
    by the customer's PS case manager."""
    require_internal(request)
    action = "personalised.letter.issued"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    letter = ps_letters.issue_ps_letter(
        plan=plan, actor=request.user, letter=payload.letter, fields=payload.fields
    )
    return Status(
        201,
        {
            "letter_id": letter.pk,
            "template_code": letter.template_code,
            "reference": letter.reference,
            "signed_by": request.user.display_name,
        },
    )


@router.post(
    "/ps/plans/{ps_plan_id}/letter-skips",
    response={201: PsLetterSkipOut, **ERRORS},
    operation_id="cma_personalised_api_contact_request_skip",
)
def request_skip(request: HttpRequest, ps_plan_id: PathId, payload: PsLetterSkipIn):
    """Ask the PS Team Leader to agree that UQ140.01 is not sent (segment 1 or 2)."""
    require_internal(request)
    action = "personalised.letter-skip.requested"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    skip = ps_letters.request_letter_skip(plan=plan, actor=request.user, reason=payload.reason)
    return Status(201, skip_out(skip))


@router.post(
    "/ps/letter-skips/{skip_id}/decision",
    response={200: PsLetterSkipOut, **ERRORS},
    operation_id="cma_personalised_api_contact_decide_skip",
)
def decide_skip(request: HttpRequest, skip_id: PathId, payload: PsDecisionIn):
    """The PS Team Leader agrees (or not) to skip UQ140.01; recorded in the plan."""
    require_internal(request)
    action = "personalised.letter-skip.decided"
    skip = pages.skip_for(request.user, skip_id, action=action)
    skip = ps_letters.decide_letter_skip(
        skip=skip, actor=request.user, agree=payload.approve, comment=payload.comment
    )
    return skip_out(skip)


# --- Face-to-face (PS-10) -----------------------------------------------------------


@router.post(
    "/ps/plans/{ps_plan_id}/face-to-face",
    response={201: PsFaceToFaceOut, **ERRORS},
    operation_id="cma_personalised_api_contact_request_meeting",
)
def request_meeting(request: HttpRequest, ps_plan_id: PathId, payload: PsFaceToFaceIn):
    """Request a face-to-face meeting (a service centre unless another location kind
    is given; see policy ps-face-to-face-locations)."""
    require_internal(request)
    action = "personalised.face-to-face.requested"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    meeting = face_to_face.request_face_to_face(plan=plan, actor=request.user, **payload.dict())
    return Status(201, meeting_out(meeting))


@router.post(
    "/ps/face-to-face/{meeting_id}/decision",
    response={200: PsFaceToFaceOut, **ERRORS},
    operation_id="cma_personalised_api_contact_decide_meeting",
)
def decide_meeting(request: HttpRequest, meeting_id: PathId, payload: PsDecisionIn):
    """The PS Team Leader approves or declines the meeting (and its location)."""
    require_internal(request)
    action = "personalised.face-to-face.decided"
    meeting = pages.meeting_for(request.user, meeting_id, action=action)
    meeting = face_to_face.decide_face_to_face(
        meeting=meeting, actor=request.user, approve=payload.approve, comment=payload.comment
    )
    return meeting_out(meeting)


@router.post(
    "/ps/face-to-face/{meeting_id}/notify-scm",
    response={200: PsFaceToFaceOut, **ERRORS},
    operation_id="cma_personalised_api_contact_notify_scm",
)
def notify_scm(request: HttpRequest, meeting_id: PathId):
    """The PS Team Leader notifies the Service Centre Manager of the security risks."""
    require_internal(request)
    action = "personalised.face-to-face.scm-notified"
    meeting = pages.meeting_for(request.user, meeting_id, action=action)
    return meeting_out(
        face_to_face.notify_service_centre_manager(meeting=meeting, actor=request.user)
    )


@router.post(
    "/ps/face-to-face/{meeting_id}/book",
    response={200: PsFaceToFaceOut, **ERRORS},
    operation_id="cma_personalised_api_contact_book_meeting",
)
def book_meeting(request: HttpRequest, meeting_id: PathId, payload: PsBookIn):
    """Book the meeting: refused listing every unmet condition until it may be."""
    require_internal(request)
    action = "personalised.face-to-face.booked"
    meeting = pages.meeting_for(request.user, meeting_id, action=action)
    meeting = face_to_face.book_face_to_face(
        meeting=meeting, actor=request.user, meeting_at=payload.meeting_at
    )
    return meeting_out(meeting)


# --- Options (PS-11) ----------------------------------------------------------------


@router.post(
    "/ps/plans/{ps_plan_id}/options",
    response={201: PsOptionOut, **ERRORS},
    operation_id="cma_personalised_api_contact_record_option",
)
def record_option(request: HttpRequest, ps_plan_id: PathId, payload: PsOptionIn):
    """Record an option in the plan (publication, process, specialised referral, social
    worker, external organisation, face-to-face)."""
    require_internal(request)
    action = "personalised.option.recorded"
    plan = pages.plan_for(request.user, ps_plan_id, action=action)
    option = options.record_option(plan=plan, actor=request.user, **payload.dict())
    return Status(201, option_out(option))


@router.post(
    "/ps/options/{option_id}/status",
    response={200: PsOptionOut, **ERRORS},
    operation_id="cma_personalised_api_contact_set_option_status",
)
def set_option_status(request: HttpRequest, option_id: PathId, payload: PsOptionStatusIn):
    """The customer took the option up, or declined it."""
    require_internal(request)
    action = "personalised.option.updated"
    option = pages.option_for(request.user, option_id, action=action)
    return option_out(
        options.set_option_status(option=option, actor=request.user, status=payload.status)
    )


__all__ = ["contact_policy", "router"]
