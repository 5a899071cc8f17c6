"""Break-the-glass access and the restricted notice (SEC-1)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cma.schemas import ERRORS, Code, In, PathId, Text

from . import emergency, selectors
from .models import EmergencyAccess

router = Router(tags=["access"])


class EmergencyAccessIn(In):
    reason: Code(40) = Field(description="a code from /emergency-access/reasons")
    explanation: Text(500, min_length=1)


class ReviewIn(In):
    outcome: Code(10) = Field(description="reviewed or queried")
    comment: Text(500) = ""


class ReasonOut(Schema):
    code: str
    name: str


class EmergencyAccessOut(Schema):
    id: int
    customer_id: int
    officer: str
    reason: str
    explanation: str
    granted_at: datetime
    expires_at: datetime
    review_status: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_comment: str
    uses: int | None = None


class NoticeOut(Schema):
    customer_id: int
    restricted: bool
    managed_by: list[str]
    transfer_to: list[str]
    can_break_glass: bool


class ReviewsQuery(Schema):
    pending: bool = False


def grant_out(grant: EmergencyAccess) -> dict:
    return {
        "id": grant.pk,
        "customer_id": grant.customer_id,
        "officer": grant.officer.display_name,
        "reason": grant.reason,
        "explanation": grant.explanation,
        "granted_at": grant.granted_at,
        "expires_at": grant.expires_at,
        "review_status": grant.review_status,
        "reviewed_by": grant.reviewed_by.display_name if grant.reviewed_by_id else None,
        "reviewed_at": grant.reviewed_at,
        "review_comment": grant.review_comment,
        "uses": getattr(grant, "uses", None),
    }


@router.get("/emergency-access/reasons", response={200: list[ReasonOut], **ERRORS})
def list_reasons(request: HttpRequest):
    return emergency.reasons()


@router.get("/customers/{customer_id}/restricted-notice", response={200: NoticeOut, **ERRORS})
def restricted_notice(request: HttpRequest, customer_id: PathId):
    """Who manages a protected customer and where to transfer the caller; what an
    officer without need-to-know is told (audited)."""
    notice = selectors.restricted_notice(request.user, customer_id)
    return {
        "customer_id": customer_id,
        "restricted": notice.restricted,
        "managed_by": notice.managed_by,
        "transfer_to": notice.transfer_to,
        "can_break_glass": notice.can_break_glass and notice.restricted,
    }


@router.post(
    "/customers/{customer_id}/emergency-access", response={201: EmergencyAccessOut, **ERRORS}
)
def break_glass(request: HttpRequest, customer_id: PathId, payload: EmergencyAccessIn):
    """Break the glass: time-limited access to one protected customer, with a reason;
    reviewed by the officer's Team Leader."""
    grant = emergency.break_glass(
        actor=request.user,
        customer_id=customer_id,
        reason=payload.reason,
        explanation=payload.explanation,
    )
    return Status(201, grant_out(grant))


@router.get("/emergency-access/reviews", response={200: list[EmergencyAccessOut], **ERRORS})
def review_list(request: HttpRequest, query: Query[ReviewsQuery]):
    return [grant_out(g) for g in emergency.review_list(request.user, pending_only=query.pending)]


@router.post("/emergency-access/{grant_id}/review", response={200: EmergencyAccessOut, **ERRORS})
def review(request: HttpRequest, grant_id: PathId, payload: ReviewIn):
    grant = emergency.review(
        actor=request.user, grant_id=grant_id, outcome=payload.outcome, comment=payload.comment
    )
    return grant_out(grant)
