"""Segment 3 review endpoints (PS-18) and the PS Activity figures (PS-20) under
/api/v1/ps/..."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import selectors_activity, selectors_reviews
from .models import PsReview
from .schemas_reviews import PsActivityOut, PsActivityQuery, PsReviewIn, PsReviewOut
from .selectors_activity import Activity, Row
from .services import reviews as services

router = Router(tags=["personalised"])


def review_out(r: PsReview) -> dict[str, Any]:
    names = (
        "plan_id",
        "customer_id",
        "review_on",
        "state",
        "indicator_id",
        "intray_id",
        "segment_decision_id",
        "previous_id",
        "outcome",
        "indicator_action",
        "next_step",
        "reviewed_by_id",
        "reviewed_at",
    )
    return {"id": r.pk, **{n: getattr(r, n) for n in names}}


def row_out(row: Row) -> dict[str, Any]:
    return {
        **row.__dict__,
        "open_plans": row.open_plans,
        "on_time_rate": row.on_time_rate,
        "average_days_in_ps": row.average_days_in_ps,
    }


def activity_out(found: Activity) -> dict[str, Any]:
    return {
        "start": found.start,
        "end": found.end,
        "period": found.period,
        "scope": found.scope,
        "managers": [row_out(r) for r in found.rows["manager"]],
        "teams": [row_out(r) for r in found.rows["team"]],
        "sources_by_manager": [s.__dict__ for s in found.sources["manager"]],
        "sources_by_team": [s.__dict__ for s in found.sources["team"]],
    }


@router.get("/ps/plans/{ps_plan_id}/reviews", response={200: list[PsReviewOut], **ERRORS})
def list_reviews(request: HttpRequest, ps_plan_id: PathId):
    """The plan's segment 3 reviews, newest first (PS-18)."""
    require_internal(request)
    _, rows = selectors_reviews.plan_reviews(
        request.user, ps_plan_id, action="personalised.reviews.listed"
    )
    return [review_out(r) for r in rows]


@router.get("/ps/reviews/{ps_review_id}", response={200: PsReviewOut, **ERRORS})
def read_review(request: HttpRequest, ps_review_id: PathId):
    require_internal(request)
    action = "personalised.review.viewed"
    found = selectors_reviews.review(request.user, ps_review_id, action=action)
    selectors_reviews.viewed(request.user, found, action)
    return review_out(found)


@router.post("/ps/reviews/{ps_review_id}/record", response={200: PsReviewOut, **ERRORS})
def record_review(request: HttpRequest, ps_review_id: PathId, payload: PsReviewIn):
    """The case manager records the review: extend (a new date at most 3 months
    ahead) or move to segment 2 (remove or update the indicator); the case goes back
    to resolving or on to finalising."""
    require_internal(request)
    action = "personalised.review.recorded"
    found = selectors_reviews.review(request.user, ps_review_id, action=action)
    done = services.record_review(
        review=found,
        actor=request.user,
        outcome=payload.outcome,
        comment=payload.comment,
        next_review_on=payload.next_review_on,
        indicator_action=payload.indicator_action or "",
        conditions=payload.conditions,
    )
    return review_out(done)


@router.get("/ps/activity", response={200: PsActivityOut, **ERRORS})
def read_activity(request: HttpRequest, query: Query[PsActivityQuery]):
    """The PS Activity figures (PS-20) for the period, per case manager and per team:
    the actor's own (case manager), their team (PS Team Leader) or every team
    (National Manager QCC). Counts only."""
    found = selectors_activity.activity_for(
        request.user, period=query.period or "", start=query.start, end=query.end
    )
    return activity_out(found)
