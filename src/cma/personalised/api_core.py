"""PS referrals, actioning, reallocation, plans and segments under /api/v1/ps/ (PS-1..
PS-6). Every door passes the one door for the record's customer (404 audited
otherwise); every operation writes exactly one audit row."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import NotFound
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId
from cma.staff.models import Team, User

from . import policy, selectors, services
from .models import PsIssue, PsPlan, Reallocation, Referral, SegmentDecision
from .schemas import (
    PsIssueIn,
    PsIssueOut,
    PsIssueStatusIn,
    PsNewPlanIn,
    PsPlanOut,
    PsPlanRowOut,
    PsPlanUpdateIn,
    PsPlanVersionOut,
    PsReallocationAssignIn,
    PsReallocationDecisionIn,
    PsReallocationIn,
    PsReallocationOut,
    PsReferralIn,
    PsReferralOut,
    PsSegmentApprovalIn,
    PsSegmentDecisionOut,
    PsSegmentIn,
    PsSegmentSuggestionOut,
    PsStepIn,
)

router = Router(tags=["personalised"])


def referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "kind": referral.kind,
        "source": referral.source,
        "main_reason": referral.main_reason,
        "urgent": referral.urgent,
        "tl_contacted_ps_tl": referral.tl_contacted_ps_tl,
        "customer_id": referral.primary_customer_id,
        "associated_customer_id": referral.associated_customer_id,
        "intray_id": referral.intray_id,
        "state": referral.state,
        "due_on": referral.due_on,
        "case_manager_id": referral.case_manager_id,
        "actioned_at": referral.actioned_at,
        "actioned_on_time": referral.actioned_on_time,
        "steps": [
            {
                "code": r["code"],
                "name": r["name"],
                "done": r["done"],
                "done_by": r["done_by"].display_name if r["done_by"] else None,
                "done_at": r["done_at"],
            }
            for r in services.checklist(referral)
        ],
    }


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


def reallocation_out(row: Reallocation) -> dict[str, Any]:
    names = (
        "reason_code",
        "state",
        "outcome",
        "receiving_team_id",
        "receiving_case_manager_id",
        "assigned_intray_id",
        "requested_at",
        "decided_at",
        "assigned_at",
    )
    return {"id": row.pk, "customer_id": row.customer_id, **{n: getattr(row, n) for n in names}}


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


def _customer(actor: User, pk: int | None, action: str) -> Customer | None:
    return None if pk is None else access.enter(actor, pk, action=action)


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise NotFound("no such staff member", field=field)
    return found


# --- Referrals and actioning (PS-1, PS-2) ---------------------------------------------


@router.post("/ps/referrals", response={201: PsReferralOut, **ERRORS})
def create_referral(request: HttpRequest, payload: PsReferralIn):
    """Refer a customer to Personalised Services with one of the referral intrays."""
    require_internal(request)
    action = "personalised.referral.created"
    customer = access.enter(request.user, payload.customer_id, action=action)
    associated = _customer(request.user, payload.associated_customer_id, action)
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(pk=payload.case_id).first()
        if case is None:
            raise NotFound("no such case", field="case_id")
    referral = services.create_referral(
        customer=customer,
        actor=request.user,
        kind=payload.kind,
        source=payload.source,
        reason=payload.reason,
        urgent=payload.urgent,
        tl_contacted_ps_tl=payload.tl_contacted_ps_tl,
        contacted_ps_team_leader=_user(
            payload.contacted_ps_team_leader_id, "contacted_ps_team_leader_id"
        ),
        associated_customer=associated,
        associated_contact_required=payload.associated_contact_required,
        case=case,
    )
    return Status(201, referral_out(referral))


@router.get("/ps/referrals/{referral_id}", response={200: PsReferralOut, **ERRORS})
def read_referral(request: HttpRequest, referral_id: PathId):
    """The referral with its actioning checklist: each step, who did it and when."""
    require_internal(request)
    action = "personalised.referral.viewed"
    referral = selectors.one(
        Referral, request.user, referral_id, action=action, field="referral_id"
    )
    selectors.viewed(request.user, referral, action)
    return referral_out(referral)


@router.post("/ps/referrals/{referral_id}/steps", response={200: PsReferralOut, **ERRORS})
def record_step(request: HttpRequest, referral_id: PathId, payload: PsStepIn):
    """Do and record the next step of the actioning checklist (PS-2)."""
    require_internal(request)
    action = "personalised.referral.step"
    referral = selectors.one(
        Referral, request.user, referral_id, action=action, field="referral_id"
    )
    services.record_step(
        referral=referral,
        actor=request.user,
        step=payload.step,
        inputs=payload.dict(exclude={"step"}, exclude_none=True),
    )
    referral.refresh_from_db()
    return referral_out(referral)


# --- Reallocation (PS-3) ---------------------------------------------------------------


@router.post("/ps/reallocations", response={201: PsReallocationOut, **ERRORS})
def request_reallocation(request: HttpRequest, payload: PsReallocationIn):
    """The case manager asks the PS Team Leader to reallocate the customer."""
    require_internal(request)
    action = "personalised.reallocation.requested"
    customer = access.enter(request.user, payload.customer_id, action=action)
    row = services.request_reallocation(
        customer=customer,
        actor=request.user,
        reason_code=payload.reason_code,
        reason=payload.reason,
    )
    return Status(201, reallocation_out(row))


@router.get("/ps/reallocations/{reallocation_id}", response={200: PsReallocationOut, **ERRORS})
def read_reallocation(request: HttpRequest, reallocation_id: PathId):
    require_internal(request)
    action = "personalised.reallocation.viewed"
    row = selectors.one(
        Reallocation, request.user, reallocation_id, action=action, field="reallocation_id"
    )
    selectors.viewed(request.user, row, action)
    return reallocation_out(row)


@router.post(
    "/ps/reallocations/{reallocation_id}/decision", response={200: PsReallocationOut, **ERRORS}
)
def decide_reallocation(
    request: HttpRequest, reallocation_id: PathId, payload: PsReallocationDecisionIn
):
    """The PS Team Leader approves (naming the receiving PS team) or declines."""
    require_internal(request)
    action = "personalised.reallocation.decided"
    row = selectors.one(
        Reallocation, request.user, reallocation_id, action=action, field="reallocation_id"
    )
    team = None
    if payload.receiving_team_id is not None:
        team = Team.objects.select_related("leader").filter(pk=payload.receiving_team_id).first()
    row = services.decide_reallocation(
        reallocation=row,
        actor=request.user,
        approve=payload.approve,
        receiving_team=team,
        comment=payload.comment,
    )
    return reallocation_out(row)


@router.post(
    "/ps/reallocations/{reallocation_id}/assign", response={200: PsReallocationOut, **ERRORS}
)
def assign_reallocated(
    request: HttpRequest, reallocation_id: PathId, payload: PsReallocationAssignIn
):
    """The receiving PS Team Leader locks and assigns the customer to a case manager;
    a Customer Assigned to PS intray is raised for them."""
    require_internal(request)
    action = "personalised.reallocation.assigned"
    row = selectors.one(
        Reallocation, request.user, reallocation_id, action=action, field="reallocation_id"
    )
    manager = User.objects.filter(pk=payload.case_manager_id).first()
    if manager is None:
        manager = User(pk=None, role="")  # refused below with every other reason
    row = services.assign_reallocated(reallocation=row, actor=request.user, case_manager=manager)
    return reallocation_out(row)


# --- The plan (PS-4, PS-5) -------------------------------------------------------------


@router.get("/ps/plans", response={200: list[PsPlanRowOut], **ERRORS})
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


@router.post("/ps/plans", response={201: PsPlanOut, **ERRORS})
def create_plan(request: HttpRequest, payload: PsNewPlanIn):
    """A plan with the five mandatory issues, for a customer without a referral."""
    require_internal(request)
    action = "personalised.plan.created"
    customer = access.enter(request.user, payload.customer_id, action=action)
    plan = services.create_plan(customer=customer, actor=request.user)
    return Status(201, plan_out(plan))


def _plan(request: HttpRequest, pk: int, action: str) -> PsPlan:
    return selectors.one(PsPlan, request.user, pk, action=action, field="ps_plan_id")


@router.get("/ps/plans/{ps_plan_id}", response={200: PsPlanOut, **ERRORS})
def read_plan(request: HttpRequest, ps_plan_id: PathId):
    require_internal(request)
    action = "personalised.plan.viewed"
    plan = _plan(request, ps_plan_id, action)
    selectors.viewed(request.user, plan, action)
    return plan_out(plan)


@router.post("/ps/plans/{ps_plan_id}/update", response={200: PsPlanOut, **ERRORS})
def update_plan(request: HttpRequest, ps_plan_id: PathId, payload: PsPlanUpdateIn):
    """Change the PS-4 fields; a new version is kept; an approved plan needs approving
    again."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.updated")
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    plan = services.update_plan(plan=plan, actor=request.user, **fields)
    return plan_out(plan)


@router.post("/ps/plans/{ps_plan_id}/approve", response={200: PsPlanOut, **ERRORS})
def approve_plan(request: HttpRequest, ps_plan_id: PathId):
    """The case manager approves the completed plan (PS-4)."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.approved")
    plan = services.approve_plan(plan=plan, actor=request.user)
    return plan_out(plan)


@router.get("/ps/plans/{ps_plan_id}/versions", response={200: list[PsPlanVersionOut], **ERRORS})
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


@router.post("/ps/plans/{ps_plan_id}/issues", response={201: PsIssueOut, **ERRORS})
def add_issue(request: HttpRequest, ps_plan_id: PathId, payload: PsIssueIn):
    """A further issue with its classification, "recorded" (PS-5)."""
    require_internal(request)
    plan = _plan(request, ps_plan_id, "personalised.plan.issue-added")
    issue = services.add_issue(plan=plan, actor=request.user, **payload.dict())
    return Status(201, issue_out(issue))


@router.post("/ps/issues/{ps_issue_id}/status", response={200: PsIssueOut, **ERRORS})
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
    "/ps/plans/{ps_plan_id}/segment-suggestion", response={200: PsSegmentSuggestionOut, **ERRORS}
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


@router.post("/ps/plans/{ps_plan_id}/segment", response={201: PsSegmentDecisionOut, **ERRORS})
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
