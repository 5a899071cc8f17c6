"""API shapes of PS referrals, actioning, reallocation, plans and segments (PS-1..PS-6).
Inputs forbid unknown fields; every schema name starts with `Ps`."""

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from cma.schemas import Code, Day, Id, In, Int, Line, Text


class PsReferralIn(In):
    customer_id: Id
    kind: Code()
    source: Code()
    reason: Text(2000, min_length=1)
    urgent: bool = False
    tl_contacted_ps_tl: bool = False
    contacted_ps_team_leader_id: Id | None = None
    associated_customer_id: Id | None = None
    associated_contact_required: bool = False
    case_id: Id | None = None


class PsStepIn(In):
    step: Code()
    reviewed: list[Code()] = Field(default=[], max_length=20)
    text: Text(4000) = ""
    main_reason: Code() | None = None
    interaction_id: Id | None = None


class PsStepOut(Schema):
    code: str
    name: str
    done: bool
    done_by: str | None
    done_at: datetime | None


class PsReferralOut(Schema):
    id: int
    kind: str
    source: str
    main_reason: str
    urgent: bool
    tl_contacted_ps_tl: bool
    customer_id: int
    associated_customer_id: int | None
    intray_id: int | None
    state: str
    due_on: date
    case_manager_id: int | None
    actioned_at: datetime | None
    actioned_on_time: bool | None
    steps: list[PsStepOut]


class PsReallocationIn(In):
    customer_id: Id
    reason_code: Code()
    reason: Text(2000) = ""


class PsReallocationDecisionIn(In):
    approve: bool
    receiving_team_id: Id | None = None
    comment: Text(2000) = ""


class PsReallocationAssignIn(In):
    case_manager_id: Id


class PsReallocationOut(Schema):
    id: int
    customer_id: int
    reason_code: str
    state: str
    outcome: str
    receiving_team_id: int | None
    receiving_case_manager_id: int | None
    assigned_intray_id: int | None
    requested_at: datetime
    decided_at: datetime | None
    assigned_at: datetime | None


class PsNewPlanIn(In):
    customer_id: Id


class PsPlanUpdateIn(In):
    stacking_location: Line(200) | None = None
    main_issue: Text(4000) | None = None
    customer_view: Text(4000) | None = None
    options_provided: Text(4000) | None = None
    agreed_actions: Text(4000) | None = None
    agreed_contact_times: Text(4000) | None = None
    special_contact_details: Text(4000) | None = None


class PsIssueIn(In):
    title: Line(120, min_length=1)
    classification: Code()
    comment: Text(4000) = ""


class PsIssueStatusIn(In):
    status: Code()
    comment: Text(4000) = ""


class PsIssueOut(Schema):
    id: int
    title: str
    classification: str
    mandatory: bool
    status: str
    comment: str


class PsPlanOut(Schema):
    id: int
    customer_id: int
    case_manager_id: int
    referral_id: int | None
    state: str
    version: int
    referred_on: date
    due_on: date
    overdue: bool
    stacking_created_on: date | None
    stacking_location: str
    referral_source: str
    segment: int | None
    main_issue: str
    customer_view: str
    options_provided: str
    agreed_actions: str
    agreed_contact_times: str
    special_contact_details: str
    approved_at: datetime | None
    issues: list[PsIssueOut]


class PsPlanRowOut(Schema):
    id: int
    customer_id: int
    state: str
    segment: int | None
    due_on: date
    overdue: bool
    open_issues: int


class PsPlanVersionOut(Schema):
    number: int
    change: str
    author: str
    created_at: datetime
    snapshot: dict[str, Any]


class PsSegmentReasonOut(Schema):
    code: str
    segment: int
    text: str


class PsSegmentSuggestionOut(Schema):
    segment: int
    reasons: list[PsSegmentReasonOut]
    indicators: dict[str, int]
    needs_approval: list[int]


class PsSegmentIn(In):
    segment: Int(ge=1, le=3)
    comment: Text(2000) = ""
    # PS-18: segment 3 only; at most 3 months ahead (the furthest allowed when absent).
    review_on: Day | None = None


class PsSegmentApprovalIn(In):
    approve: bool
    comment: Text(2000) = ""


class PsSegmentDecisionOut(Schema):
    id: int
    plan_id: int
    suggested_segment: int
    reasons: list[PsSegmentReasonOut]
    decided_segment: int
    needs_approval: bool
    approval: str
    decided_at: datetime
    approved_at: datetime | None
