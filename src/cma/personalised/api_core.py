"""PS referrals, actioning and reallocation under /api/v1/ps/ (PS-1..PS-3; the plan,
its issues and segments are in `api_plans`). Every door passes the one door for the
record's customer (404 audited otherwise); every operation writes one audit row."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import NotFound
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId
from cma.staff.models import Team, User

from . import selectors, services
from .models import Reallocation, Referral
from .schemas import (
    PsReallocationAssignIn,
    PsReallocationDecisionIn,
    PsReallocationIn,
    PsReallocationOut,
    PsReferralIn,
    PsReferralOut,
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
