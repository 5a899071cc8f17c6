"""The PS plan, its issues and segments under /api/v1/ps/ (PS-4, PS-5, PS-6), split
from `api_core` (their operation ids keep its name). Every door passes the one door for
the plan's customer (404 audited otherwise); every operation writes one audit row."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.customers import access
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import policy, selectors, services
from .models import PsIssue, PsPlan, SegmentDecision
from .schemas import (
    PsIssueIn,
    PsIssueOut,
    PsIssueStatusIn,
    PsNewPlanIn,
    PsPlanOut,
    PsPlanRowOut,
    PsPlanUpdateIn,
    PsPlanVersionOut,
    PsSegmentApprovalIn,
    PsSegmentDecisionOut,
    PsSegmentIn,
    PsSegmentSuggestionOut,
)

router = Router(tags=["personalised"])


def plan_out(plan: PsPlan) -> dict[str, Any]:
    plan = selectors.plan_detail(plan)
    fields = (
        "stacking_created_on",
        "stacking_location",
        "referral_source",
        "segment",
        "main_issue",
        "customer_view",
        "options_provided",
        "agreed_actions",
        "agreed_contact_times",
        "special_contact_details",
        "approved_at",
        "state",
        "version",
        "referred_on",
        "due_on",
    )
    return {
        "id": plan.pk,
        "customer_id": plan.customer_id,
        "case_manager_id": plan.case_manager_id,
        "referral_id": plan.referral_id,
        "overdue": selectors.is_overdue(plan),
        **{f: getattr(plan, f) for f in fields},
        "issues": [issue_out(i) for i in plan.issues.all()],
    }


def issue_out(issue: PsIssue) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "title": issue.title,
        "classification": issue.classification,
        "mandatory": issue.mandatory,
        "status": issue.status,
        "comment": issue.comment,
    }


def decision_out(row: SegmentDecision) -> dict[str, Any]:
    names = (
        "suggested_segment",
        "reasons",
        "decided_segment",
        "needs_approval",
        "approval",
        "decided_at",
        "approved_at",
    )
    return {"id": row.pk, "plan_id": row.plan_id, **{n: getattr(row, n) for n in names}}


# --- The plan (PS-4, PS-5) -------------------------------------------------------------


@router.get(
    "/ps/plans",
    response={200: list[PsPlanRowOut], **ERRORS},
    operation_id="cma_personalised_api_core_my_plans",
)
def my_plans(request: HttpRequest):
    """The caller's own open plans, soonest due first; overdue ones flagged."""
    require_internal(request)
    return [
        {
            "id": r.plan.pk,
            "customer_id": r.plan.customer_id,
            "state": r.plan.state,
            "segment": r.plan.segment,
            "due_on": r.plan.due_on,
            "overdue": r.overdue,
            "open_issues": r.open_issues,
        }
        for r in selectors.plans_for(request.user)
    ]


@router.post(
    "/ps/plans",
    response={201: PsPlanOut, **ERRORS},
    operation_id="cma_personalised_api_core_create_plan",
)
def create_plan(request: HttpRequest, payload: PsNewPlanIn):
    """A plan with the five mandatory issues, for a customer without a referral."""
    require_internal(request)
    action = "personalised.plan.created"
    customer = access.enter(request.user, payload.customer_id, action=action)
    plan = services.create_plan(customer=customer, actor=request.user)
    return Status(201, plan_out(plan))


def _plan(request: HttpRequest, pk: int, action: str) -> PsPlan:
    return selectors.one(PsPlan, request.user, pk, action=action, field="ps_plan_id")


@router.get(
    "/ps/plans/{ps_plan_id}",
    response={200: PsPlanOut, **ERRORS},
    operation_id="cma_personalised_api_core_read_plan",
)
def read_plan(request: HttpRequest, ps_plan_id: PathId):
    require_internal(request)
    action = "personalised.plan.viewed"
    plan = _plan(request, ps_plan_id, action)
    selectors.viewed(request.user, plan, action)
    return plan_out(plan)


@router.post(
    "/ps/plans/{ps_plan_id}/update",
    response={200: PsPlanOut, **ERRORS},
    operation_id="cma_personalised_api_core_update_plan",
)
def update_plan(request: HttpRequest, ps_plan_id: PathId, payload: PsPlanUpdateIn):
    """Change the PS-4 fields; a new version is kept; an approved plan needs approving
    again."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.updated")
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    plan = services.update_plan(plan=plan, actor=request.user, **fields)
    return plan_out(plan)


@router.post(
    "/ps/plans/{ps_plan_id}/approve",
    response={200: PsPlanOut, **ERRORS},
    operation_id="cma_personalised_api_core_approve_plan",
)
def approve_plan(request: HttpRequest, ps_plan_id: PathId):
    """The case manager approves the completed plan (PS-4)."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.approved")
    plan = services.approve_plan(plan=plan, actor=request.user)
    return plan_out(plan)


@router.get(
    "/ps/plans/{ps_plan_id}/versions",
    response={200: list[PsPlanVersionOut], **ERRORS},
    operation_id="cma_personalised_api_core_plan_versions",
)
def plan_versions(request: HttpRequest, ps_plan_id: PathId):
    """Every version of the plan, newest first (PS-4)."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.versions")
    return [
        {
            "number": v.number,
            "change": v.change,
            "author": v.author.display_name,
            "created_at": v.created_at,
            "snapshot": v.snapshot,
        }
        for v in selectors.plan_versions(request.user, plan)
    ]


@router.post(
    "/ps/plans/{ps_plan_id}/issues",
    response={201: PsIssueOut, **ERRORS},
    operation_id="cma_personalised_api_core_add_issue",
)
def add_issue(request: HttpRequest, ps_plan_id: PathId, payload: PsIssueIn):
    """A further issue with its classification, "recorded" (PS-5)."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.issue-added")
    issue = services.add_issue(plan=plan, actor=request.user, **payload.dict())
    return Status(201, issue_out(issue))


@router.post(
    "/ps/issues/{ps_issue_id}/status",
    response={200: PsIssueOut, **ERRORS},
    operation_id="cma_personalised_api_core_change_issue_status",
)
def change_issue_status(request: HttpRequest, ps_issue_id: PathId, payload: PsIssueStatusIn):
    """recorded -> confirmed -> resolved, with a comment (PS-5)."""
    require_internal(request)
    action = "personalised.plan.issue-status"
    issue = selectors.one(PsIssue, request.user, ps_issue_id, action=action, field="ps_issue_id")
    issue = services.change_issue_status(
        issue=issue, actor=request.user, status=payload.status, comment=payload.comment
    )
    return issue_out(issue)


# --- Segments (PS-6) -------------------------------------------------------------------


@router.get(
    "/ps/plans/{ps_plan_id}/segment-suggestion",
    response={200: PsSegmentSuggestionOut, **ERRORS},
    operation_id="cma_personalised_api_core_segment_suggestion",
)
def segment_suggestion(request: HttpRequest, ps_plan_id: PathId):
    """The segment the customer's indicators and referral source point to, with reasons."""
    require_internal(request)
    action = "personalised.segment.suggested"
    plan = _plan(request, ps_plan_id, action)
    found = services.suggestion_for(plan)
    selectors.viewed(request.user, plan, action)
    return {
        "segment": found.segment,
        "reasons": [r.as_dict() for r in found.reasons],
        "indicators": found.indicators,
        "needs_approval": sorted(policy.segments_needing_approval()),
    }


@router.post(
    "/ps/plans/{ps_plan_id}/segment",
    response={201: PsSegmentDecisionOut, **ERRORS},
    operation_id="cma_personalised_api_core_decide_segment",
)
def decide_segment(request: HttpRequest, ps_plan_id: PathId, payload: PsSegmentIn):
    """The case manager decides the segment; segment 3 waits for the PS Team Leader."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.segment.decided")
    row = services.decide_segment(
        plan=plan,
        actor=request.user,
        segment=payload.segment,
        comment=payload.comment,
        review_on=payload.review_on,
    )
    return Status(201, decision_out(row))


@router.post(
    "/ps/segment-decisions/{segment_decision_id}/approval",
    response={200: PsSegmentDecisionOut, **ERRORS},
    operation_id="cma_personalised_api_core_approve_segment",
)
def approve_segment(
    request: HttpRequest, segment_decision_id: PathId, payload: PsSegmentApprovalIn
):
    """The PS Team Leader approves or rejects a segment 3 allocation (PS-6)."""
    require_internal(request)
    action = "personalised.segment.approval"
    row = selectors.one(
        SegmentDecision,
        request.user,
        segment_decision_id,
        action=action,
        field="segment_decision_id",
    )
    row = services.approve_segment(
        decision=row, actor=request.user, approve=payload.approve, comment=payload.comment
    )
    return decision_out(row)
