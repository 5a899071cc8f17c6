"""Finalisation and exit endpoints (PS-13..PS-17) under /api/v1/ps/...: a plan's
readiness, the case manager's request, the PS Team Leader's decision. Every door
passes the one door for the customer (404 audited otherwise); one audit row each."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.notes.selectors import require_internal
from cma.policy.models import BusinessArea
from cma.schemas import ERRORS, PathId

from . import selectors, services
from .models import FinalisationRequest, PsPlan
from .schemas_finalisation import (
    PsFinalisationDecisionIn,
    PsFinalisationIn,
    PsFinalisationOut,
    PsReadinessOut,
)
from .services.finalisation import open_request

router = Router(tags=["personalised"])


def finalisation_out(row: FinalisationRequest) -> dict[str, Any]:
    return {
        "id": row.pk,
        "plan_id": row.plan_id,
        "customer_id": row.customer_id,
        "state": row.state,
        "basis": row.basis,
        "exit_advice": row.exit_advice,
        "exit_letter_id": row.exit_letter_id,
        "responses_understood": row.responses_understood,
        "case_manager_id": row.case_manager_id,
        "team_leader_id": row.team_leader_id,
        "requested_by_id": row.requested_by_id,
        "requested_at": row.requested_at,
        "document_note_id": row.document_id,
        "decided_by_id": row.decided_by_id,
        "decided_at": row.decided_at,
        "reason": row.reason,
        "confirmations": list(row.confirmations or []),
        "comment": row.comment,
        "transfer_area": row.transfer_area.code if row.transfer_area_id else None,
        "routed_area": row.routed_area.code if row.routed_area_id else None,
        "routed_rule": row.routed_rule,
    }


def readiness_out(plan: PsPlan) -> dict[str, Any]:
    found = services.readiness(plan)
    pending = open_request(plan)
    return {
        "plan_id": plan.pk,
        "plan_state": plan.state,
        "ready": found.ready,
        "problems": [{"field": f, "message": m} for f, m in found.problems],
        "to_confirm": found.to_confirm,
        "exit_letter_id": found.exit_letter.pk if found.exit_letter else None,
        "exit_letter_ready_on": found.exit_letter_ready_on,
        "open_request": finalisation_out(pending) if pending else None,
    }


@router.get("/ps/plans/{ps_plan_id}/finalisation", response={200: PsReadinessOut, **ERRORS})
def read_readiness(request: HttpRequest, ps_plan_id: PathId):
    """PS-13: every unmet finalisation precondition of the plan at once, what the case
    manager confirms on the request, and the open request if there is one."""
    require_internal(request)
    action = "personalised.finalisation.readiness-viewed"
    plan = selectors.one(PsPlan, request.user, ps_plan_id, action=action, field="ps_plan_id")
    selectors.viewed(request.user, plan, action)
    return readiness_out(plan)


@router.post("/ps/plans/{ps_plan_id}/finalisation", response={201: PsFinalisationOut, **ERRORS})
def request_finalisation(request: HttpRequest, ps_plan_id: PathId, payload: PsFinalisationIn):
    """PS-14: the case manager requests finalisation; refused (422) listing every unmet
    PS-13 condition."""
    require_internal(request)
    action = "personalised.finalisation.requested"
    plan = selectors.one(PsPlan, request.user, ps_plan_id, action=action, field="ps_plan_id")
    row = services.request_finalisation(
        plan=plan,
        actor=request.user,
        basis=payload.basis,
        mandatory_issues=payload.mandatory_issues,
        exit_advice=payload.exit_advice,
        feedback=payload.feedback,
        responses_understood=payload.responses_understood,
    )
    return Status(201, finalisation_out(row))


@router.post(
    "/ps/finalisations/{finalisation_id}/decision", response={200: PsFinalisationOut, **ERRORS}
)
def decide_finalisation(
    request: HttpRequest, finalisation_id: PathId, payload: PsFinalisationDecisionIn
):
    """PS-15..PS-17: a PS Team Leader (not the requester) approves for a policy reason,
    optionally transferring to a specialist area (PS-16), and the customer exits; or
    rejects with the reasons."""
    require_internal(request)
    action = "personalised.finalisation.decided"
    row = selectors.one(
        FinalisationRequest, request.user, finalisation_id, action=action, field="finalisation_id"
    )
    area = None
    if payload.transfer_area is not None:
        area = BusinessArea.objects.filter(code=payload.transfer_area).first()
        if area is None:
            area = BusinessArea(code=payload.transfer_area, name=payload.transfer_area)
    row = services.decide_finalisation(
        request=row,
        actor=request.user,
        approve=payload.approve,
        reason=payload.reason or "",
        confirmations=list(payload.confirmations),
        comment=payload.comment,
        transfer_area=area,
    )
    return finalisation_out(row)
