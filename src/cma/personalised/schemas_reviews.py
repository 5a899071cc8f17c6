# mypy: disable-error-code="valid-type"
"""API shapes of segment 3 reviews (PS-18) and the PS Activity figures (PS-20);
inputs forbid unknown fields."""

from datetime import date, datetime

from ninja import Schema

from cma.schemas import Code, Day, In, Text


class PsReviewIn(In):
    # A code of policy ps-review-outcomes: extend or segment-2.
    outcome: Code()
    comment: Text(2000, min_length=1)
    # extend: the next review, at most 3 months ahead; segment-2 with update: the
    # indicator's next review date.
    next_review_on: Day | None = None
    # segment-2: a code of policy ps-review-indicator-actions (remove or update).
    indicator_action: Code() | None = None
    # The indicator's conditions, when updating it.
    conditions: Text(2000) | None = None


class PsReviewOut(Schema):
    id: int
    plan_id: int
    customer_id: int
    review_on: date
    state: str
    indicator_id: int | None
    intray_id: int | None
    segment_decision_id: int | None
    previous_id: int | None
    outcome: str
    indicator_action: str
    next_step: str
    reviewed_by_id: int | None
    reviewed_at: datetime | None


class PsActivityQuery(In):
    # A code of policy ps-activity-periods, or start and end.
    period: Code() | None = None
    start: Day | None = None
    end: Day | None = None


class PsActivityRowOut(Schema):
    key: str
    label: str
    caseload: dict[str, int]
    open_plans: int
    referrals: int
    actioned: int
    actioned_on_time: int
    on_time_rate: float
    plans_overdue: int
    days_in_ps: int
    average_days_in_ps: float
    finalisations_approved: int
    finalisations_rejected: int
    reviews_due: int
    restricted_reviews_due: int


class PsActivitySourceOut(Schema):
    key: str
    label: str
    source: str
    source_name: str
    kind: str
    n: int


class PsActivityOut(Schema):
    start: date
    end: date
    period: str
    scope: str
    managers: list[PsActivityRowOut]
    teams: list[PsActivityRowOut]
    sources_by_manager: list[PsActivitySourceOut]
    sources_by_team: list[PsActivitySourceOut]
