"""PS mandate endpoints (PS-12) under /api/v1/ps/...: who manages a PS customer and
how to reach them; a decision's consultations with case managers."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import mandate, selectors_mandate
from .models import PsConsultation
from .schemas_mandate import (
    PsConsultationIn,
    PsConsultationOut,
    PsConsultationRequestIn,
    PsMandateDecisionOut,
    PsMandateOut,
)
from .services import mandate as services

router = Router(tags=["personalised"])


def manager_out(manager: mandate.Manager | None) -> dict[str, Any] | None:
    if manager is None:
        return None
    found = manager.availability
    return {
        "source": manager.source,
        "user_id": manager.user.pk if manager.user else None,
        "name": manager.name,
        "label": manager.label,
        "team": manager.team,
        "email": manager.email,
        "team_leader_id": manager.team_leader.pk if manager.team_leader else None,
        "team_leader": manager.team_leader_name,
        "plan_id": manager.plan_id,
        "availability": None
        if found is None
        else {
            "active": found.active,
            "due_today": found.due_today,
            "waiting_consultations": found.waiting_consultations,
            "text": found.text,
            "note": found.note,
        },
    }


def consultation_out(c: PsConsultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "decision_id": c.decision_id,
        "customer_id": c.customer_id,
        "state": c.state,
        "case_manager_id": c.case_manager_id,
        "requested_by_id": c.requested_by_id,
        "requested_at": c.requested_at,
        "intray_id": c.intray_id,
        "intray_due_on": c.intray.due_on if c.intray_id and c.intray else None,
        "consulted_id": c.consulted_id,
        "consulted_at": c.consulted_at,
        "outstanding_issues": c.outstanding_issues,
        "special_contact_conditions": c.special_contact_conditions,
        "communication_approach": c.communication_approach,
        "who_tells": c.who_tells,
        "recorded_by_id": c.recorded_by_id,
        "recorded_at": c.recorded_at,
    }


@router.get("/ps/customers/{customer_id}/mandate", response={200: PsMandateOut, **ERRORS})
def read_mandate(request: HttpRequest, customer_id: PathId):
    """Who manages this PS customer (the open plan's case manager, else the PS lock's
    holder), their team leader, how to reach them and their availability today."""
    require_internal(request)
    customer, manager = selectors_mandate.customer_mandate(request.user, customer_id)
    return {
        "customer_id": customer.pk,
        "ps_customer": manager is not None,
        "manager": manager_out(manager),
    }


@router.get("/ps/decisions/{decision_id}/mandate", response={200: PsMandateDecisionOut, **ERRORS})
def read_decision_mandate(request: HttpRequest, decision_id: PathId):
    """Per affected customer: a PS customer or not, whether a consultation with their
    case manager is required before the decision is finalised or notified, and it."""
    require_internal(request)
    decision, parties = selectors_mandate.decision_mandate(request.user, decision_id)
    return {
        "decision_id": decision.pk,
        "state": decision.state,
        "parties": [
            {
                "customer_id": p.customer.pk,
                "role": p.role,
                "ps_customer": p.manager is not None,
                "consultation_required": p.required,
                "manager": manager_out(p.manager),
                "consultation": consultation_out(p.consultation) if p.consultation else None,
            }
            for p in parties
        ],
    }


@router.post(
    "/ps/decisions/{decision_id}/consultations/{customer_id}/request",
    response={201: PsConsultationOut, **ERRORS},
)
def request_consultation(
    request: HttpRequest, decision_id: PathId, customer_id: PathId, payload: PsConsultationRequestIn
):
    """The decision maker asks the PS case manager to consult: an intray for them due
    the same working day (see the manager's availability on the mandate)."""
    require_internal(request)
    action = "personalised.consultation.requested"
    decision, customer = selectors_mandate.consultation_target(
        request.user, decision_id, customer_id, action=action
    )
    consultation = services.request_consultation(
        decision=decision, customer=customer, actor=request.user, note=payload.note
    )
    return Status(201, consultation_out(consultation))


@router.post(
    "/ps/decisions/{decision_id}/consultations/{customer_id}/record",
    response={200: PsConsultationOut, **ERRORS},
)
def record_consultation(
    request: HttpRequest, decision_id: PathId, customer_id: PathId, payload: PsConsultationIn
):
    """Record the consultation: who, when, outstanding issues raised, special contact
    conditions, the agreed communication approach and who tells the customer."""
    require_internal(request)
    action = "personalised.consultation.recorded"
    decision, customer = selectors_mandate.consultation_target(
        request.user, decision_id, customer_id, action=action
    )
    consultation = services.record_consultation(
        decision=decision,
        customer=customer,
        actor=request.user,
        consulted_id=payload.consulted_id,
        consulted_at=payload.consulted_at,
        outstanding_issues=payload.outstanding_issues,
        special_contact_conditions=payload.special_contact_conditions,
        communication_approach=payload.communication_approach,
        who_tells=payload.who_tells,
    )
    return consultation_out(consultation)
