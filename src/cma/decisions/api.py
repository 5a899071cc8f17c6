"""Decision endpoints. Every decision door passes `selectors.decision_for`, the one
door for each party the decision affects (404 audited otherwise); the explanation
view answers one customer's part only (CON-17)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.contact.models import Interaction
from cma.customers.models import Case, Customer
from cma.errors import NotFound
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import selectors, services
from .models import Decision
from .schemas import (
    AwaitingOut,
    DecisionOut,
    DecisionUpdateIn,
    ExplanationIn,
    ExplanationOut,
    NewDecisionIn,
)

router = Router(tags=["decisions"])


def decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "kind_name": selectors.kind_name(decision),
        "case_id": decision.case_id,
        "decision_maker": decision.decision_maker.display_name,
        "reasons": decision.reasons,
        "effective_on": decision.effective_on,
        "state": decision.state,
        "created_at": decision.created_at,
        "ready_at": decision.ready_at,
        "finalised_at": decision.finalised_at,
        "notified_at": decision.notified_at,
        "plan_subject": decision.subject,
        # The checklist: ids, roles and states only, never what a party said.
        "parties": [
            {
                "customer_id": s.party.customer_id,
                "role": s.role,
                "explained": s.explained,
                "explained_at": s.party.explained_at,
                "receipt": s.party.interaction.receipt if s.party.interaction else None,
                "completed_plan": s.completed_plan,
                "ready": s.ready,
                "disagreed": s.party.disagreed,
                "review_option": s.party.review_option,
                "advice_letter_id": s.party.advice_letter_id,
            }
            for s in selectors.checklist(decision)
        ],
    }


def _reread(decision: Decision) -> Decision:
    return Decision.objects.select_related("case", "decision_maker").get(pk=decision.pk)


@router.post("/decisions", response={201: DecisionOut, **ERRORS})
def create_decision(request: HttpRequest, payload: NewDecisionIn):
    """Record a draft decision on a case; its payer and payee are the affected customers."""
    require_internal(request)
    case = Case.objects.select_related("payer", "payee").filter(pk=payload.case_id).first()
    if case is None:
        raise NotFound("no such case", field="case_id")
    decision = services.create_decision(
        case=case,
        actor=request.user,
        kind=payload.kind,
        reasons=payload.reasons,
        effective_on=payload.effective_on,
    )
    return Status(201, decision_out(_reread(decision)))


@router.get("/decisions/awaiting-explanation", response={200: list[AwaitingOut], **ERRORS})
def awaiting_explanation(request: HttpRequest):
    """The caller's own open decisions with customers still to be explained to."""
    require_internal(request)
    return [
        {
            "id": d.pk,
            "kind": d.kind,
            "kind_name": selectors.kind_name(d),
            "state": d.state,
            "effective_on": d.effective_on,
            "waiting": waiting,
        }
        for d, waiting in selectors.awaiting_explanation(request.user)
    ]


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **ERRORS})
def read_decision(request: HttpRequest, decision_id: PathId):
    """The decision with its checklist per affected customer (CMA-6)."""
    require_internal(request)
    decision, _ = selectors.decision_view(request.user, decision_id)
    return decision_out(decision)


@router.post("/decisions/{decision_id}/update", response={200: DecisionOut, **ERRORS})
def update_decision(request: HttpRequest, decision_id: PathId, payload: DecisionUpdateIn):
    """Change a decision that is not finalised yet."""
    require_internal(request)
    action = "decisions.decision.updated"
    decision = selectors.decision_for(request.user, decision_id, action=action)
    decision = services.update_decision(
        decision=decision, actor=request.user, **payload.dict(exclude_unset=True)
    )
    return decision_out(_reread(decision))


@router.post("/decisions/{decision_id}/ready", response={200: DecisionOut, **ERRORS})
def mark_ready(request: HttpRequest, decision_id: PathId):
    """draft -> ready."""
    require_internal(request)
    action = "decisions.decision.ready"
    decision = selectors.decision_for(request.user, decision_id, action=action)
    return decision_out(_reread(services.mark_ready(decision=decision, actor=request.user)))


@router.post("/decisions/{decision_id}/explanations", response={201: DecisionOut, **ERRORS})
def record_explanation(request: HttpRequest, decision_id: PathId, payload: ExplanationIn):
    """The decision was explained to an affected customer on an open interaction whose
    identity is confirmed, by that interaction's officer (CMA-6, CON-17)."""
    require_internal(request)
    action = "decisions.decision.explained"
    decision = selectors.decision_for(
        request.user, decision_id, action=action, only=payload.customer_id
    )
    customer = Customer.objects.filter(pk=payload.customer_id).first()
    if customer is None:
        raise NotFound("no such customer", field="customer_id")
    interaction = Interaction.objects.filter(pk=payload.interaction_id).first()
    if interaction is None:
        raise NotFound("no such interaction", field="interaction_id")
    services.record_explanation(
        decision=decision,
        interaction=interaction,
        customer=customer,
        actor=request.user,
        disagreed=payload.disagreed,
        review_option=payload.review_option,
        answer=payload.answer,
    )
    return Status(201, decision_out(_reread(decision)))


@router.post("/decisions/{decision_id}/finalise", response={200: DecisionOut, **ERRORS})
def finalise(request: HttpRequest, decision_id: PathId):
    """ready -> finalised, unless a customer is missing an explanation or a completed
    contact-attempt plan, or another registered check fails (all listed at once)."""
    require_internal(request)
    action = "decisions.decision.finalised"
    decision = selectors.decision_for(request.user, decision_id, action=action)
    return decision_out(_reread(services.finalise(decision=decision, actor=request.user)))


@router.post("/decisions/{decision_id}/notify", response={200: DecisionOut, **ERRORS})
def notify(request: HttpRequest, decision_id: PathId):
    """finalised -> notified: the decision advice letter to every affected customer,
    which sets each one's lock to expire 14 days later (CMA-7)."""
    require_internal(request)
    action = "decisions.decision.notified"
    decision = selectors.decision_for(request.user, decision_id, action=action)
    return decision_out(_reread(services.notify(decision=decision, actor=request.user)))


@router.get(
    "/decisions/{decision_id}/explanation/{customer_id}",
    response={200: ExplanationOut, **ERRORS},
)
def explanation(request: HttpRequest, decision_id: PathId, customer_id: PathId):
    """What the officer explains to this customer: the decision and their own record;
    never the other party's contact details, address, opinions or reactions (CON-17)."""
    require_internal(request)
    shown = selectors.explanation_view(request.user, decision_id, customer_id)
    decision, party, customer = shown.decision, shown.party, shown.party.customer
    return {
        "decision": {
            "id": decision.pk,
            "kind": decision.kind,
            "kind_name": shown.kind_name,
            "effective_on": decision.effective_on,
            "reasons": decision.reasons,
            "state": decision.state,
        },
        "customer": {
            "id": customer.pk,
            "crn": customer.crn,
            "name": customer.full_name,
            "role": shown.role,
        },
        "explained_at": party.explained_at,
        "receipt": party.interaction.receipt if party.interaction else None,
        "disagreed": party.disagreed,
        "review_option": party.review_option,
        "answer": party.answer,
        "review_options": [{"code": o.code, "name": o.name} for o in shown.review_options],
    }
