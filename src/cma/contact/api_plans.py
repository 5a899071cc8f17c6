"""Contact-attempt plan endpoints (CON-1..CON-6): the purposes, a customer's plans,
one plan with its status, next step and attempts, and the plan's writes. Every plan
passes `plan_selectors.plan_for` (the one door; out of scope is 404, audited)."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.audit.services import record_refusal
from cma.customers import access
from cma.customers.models import Case
from cma.errors import NotFound
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import plan_selectors as selectors
from . import policy, services
from .models import ContactPlan
from .plans import Step
from .schemas_plans import (
    AttemptIn,
    CancelPlanIn,
    PlanIn,
    PlanLetterIn,
    PlanOut,
    PurposeOut,
)
from .selectors import interaction_for

router = Router(tags=["contact plans"])


def _step(step: Step) -> dict[str, Any]:
    out = asdict(step)
    out["channels"], out["number_types"] = list(step.channels), list(step.number_types)
    return out


def plan_out(view: selectors.PlanView) -> dict[str, Any]:
    plan, status = view.plan, view.status
    found = policy.purposes().get(plan.purpose)
    letter = plan.letter if plan.letter_id else None
    return {
        "id": plan.pk,
        "customer_id": plan.customer_id,
        "case_id": plan.case_id,
        "purpose": plan.purpose,
        "purpose_name": found.name if found else plan.purpose,
        "subject": plan.subject,
        "owner": plan.owner.display_name,
        "state": status.state,
        "additional_attempts": plan.additional_attempts,
        "employer_non_compliant": plan.employer_non_compliant,
        "created_at": plan.created_at,
        "closed_at": plan.closed_at,
        "next_due_at": status.next_due_at,
        "letter_id": plan.letter_id,
        "letter_template": letter.template_code if letter else "",
        "response_due_on": letter.response_due_on if letter else None,
        "step_intray_id": plan.step_intray_id,
        "next_step": _step(status.next_step),
        "required_attempts_done": status.required_attempts_done,
        "completed_unsuccessful": status.completed_unsuccessful,
        "unmet": [_step(s) for s in status.unmet],
        "rounds": [asdict(r) for r in status.rounds],
        "attempts": [
            {
                "id": c.attempt.pk,
                "at": c.attempt.at,
                "officer": c.attempt.officer.display_name,
                "party": c.attempt.party,
                "channel": c.attempt.channel,
                "number_type": c.attempt.number_type,
                "outcome": c.attempt.outcome,
                "non_preferred": c.attempt.non_preferred,
                "non_preferred_reason": c.attempt.non_preferred_reason,
                "interaction_id": c.attempt.interaction_id,
                "counted_for": c.counted_for,
                "note": c.note,
            }
            for c in status.attempts
        ],
    }


def _answer(plan: ContactPlan) -> dict[str, Any]:
    """The answer of a write: the plan as it now stands (no extra audit row)."""
    fresh = selectors.plans_queryset().select_related("customer").get(pk=plan.pk)
    return plan_out(selectors.statuses([fresh], fresh.customer)[0])


@router.get("/contact/purposes", response={200: list[PurposeOut], **ERRORS})
def purposes(request: HttpRequest):
    """Why an outbound contact is made, and what each purpose owes (policy data)."""
    require_internal(request)
    return [asdict(p) for p in policy.purposes().values()]


@router.post("/customers/{customer_id}/contact-plans", response={201: PlanOut, **ERRORS})
def create_plan(request: HttpRequest, customer_id: PathId, payload: PlanIn):
    """Start the attempts owed for one purpose: the first call on every number is due
    now (CON-1); additional attempts (CON-3) and the MX1-1 letter (CON-4) follow."""
    require_internal(request)
    action = "contact.plan.created"
    customer = access.enter(request.user, customer_id, action=action)
    data = payload.dict()
    case, case_id = None, data.pop("case_id")
    if case_id is not None:
        case = Case.objects.filter(pk=int(case_id)).first()
        if case is None:
            error = NotFound("no such case", field="case_id")
            record_refusal(actor=request.user, action=action, error=error, customer_id=customer.pk)
            raise error
    plan = services.create_plan(customer=customer, actor=request.user, case=case, **data)
    return Status(201, _answer(plan))


@router.get("/customers/{customer_id}/contact-plans", response={200: list[PlanOut], **ERRORS})
def list_plans(request: HttpRequest, customer_id: PathId):
    """The customer's contact-attempt plans, newest first, each with its next step."""
    require_internal(request)
    customer = access.enter(request.user, customer_id, action="contact.plan.listed")
    return [plan_out(view) for view in selectors.plans_for(request.user, customer)]


@router.get("/contact-plans/{plan_id}", response={200: PlanOut, **ERRORS})
def read_plan(request: HttpRequest, plan_id: PathId):
    """One plan: its state, next step (with when it is due), every unmet step, its
    rounds and every attempt with the round it counts for (CON-5)."""
    require_internal(request)
    return plan_out(selectors.plan_view(request.user, plan_id))


@router.post("/contact-plans/{plan_id}/attempts", response={201: PlanOut, **ERRORS})
def record_attempt(request: HttpRequest, plan_id: PathId, payload: AttemptIn):
    """Record one attempt: channel, number type and outcome, never the number (CON-5).
    A contact the customer did not prefer, or one their restricted service does not
    allow, needs `non_preferred_reason` (CON-6)."""
    require_internal(request)
    action = "contact.attempt.recorded"
    plan = selectors.plan_for(request.user, plan_id, action=action)
    data = payload.dict()
    interaction_id = data.pop("interaction_id")
    interaction = (
        interaction_for(request.user, interaction_id, action=action) if interaction_id else None
    )
    services.record_attempt(plan=plan, actor=request.user, interaction=interaction, **data)
    return Status(201, _answer(plan))


@router.post("/contact-plans/{plan_id}/letter", response={201: PlanOut, **ERRORS})
def issue_letter(request: HttpRequest, plan_id: PathId, payload: PlanLetterIn):
    """Issue the plan's letter: MX0-1 instead of the first call (CON-2) or MX1-1 once
    the attempts failed (CON-4; never while an employer has not complied)."""
    require_internal(request)
    plan = selectors.plan_for(request.user, plan_id, action="contact.plan.letter_issued")
    services.issue_plan_letter(plan=plan, actor=request.user, template=payload.template)
    return Status(201, _answer(plan))


@router.post("/contact-plans/{plan_id}/cancel", response={200: PlanOut, **ERRORS})
def cancel_plan(request: HttpRequest, plan_id: PathId, payload: CancelPlanIn):
    """Stop a plan no longer needed; the reason goes on the customer's notepad."""
    require_internal(request)
    plan = selectors.plan_for(request.user, plan_id, action="contact.plan.cancelled")
    plan = services.cancel_plan(plan=plan, actor=request.user, reason=payload.reason)
    return _answer(plan)
