"""The contact-attempt route from the decision page (CMA-6): for an affected customer
who cannot be reached, start the plan whose subject is this decision (the call
screen's plan form has no subject), then, once every call failed, its MX1-1 letter
(the call screen offers the letter only on a confirmed call). The contact services
write the one audit row; a refusal before them is audited here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cma.audit.services import record_refusal
from cma.contact import services as contact
from cma.contact.models import ContactPlan
from cma.errors import DomainError

from . import policy, selectors
from .errors import NoSuchDecision
from .views import _page, refused


def _party(request: HttpRequest, decision_id: int, customer_id: int, action: str):
    decision = selectors.decision_for(request.user, decision_id, action=action, only=customer_id)
    party = decision.parties.select_related("customer").filter(customer_id=customer_id).first()
    if party is None:
        missing = NoSuchDecision("this customer is not affected by the decision")
        record_refusal(actor=request.user, action=action, error=missing, customer_id=customer_id)
        raise missing
    return decision, party


def _again(request: HttpRequest, decision, exc: DomainError) -> HttpResponse:
    if not exc.details:
        return refused(request, exc)
    problems = [d["message"] for d in exc.details]
    return _page(request, decision, selectors.checklist(decision), problems, exc.http_status)


@login_required
@require_POST
def start_route(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    action = "contact.plan.created"
    try:
        decision, party = _party(request, decision_id, customer_id, action)
    except DomainError as exc:
        return refused(request, exc)
    try:
        contact.create_plan(
            customer=party.customer,
            actor=request.user,
            purpose=policy.contact_purpose(),
            case=decision.case,
            subject=decision.subject,
        )
    except DomainError as exc:
        return _again(request, decision, exc)
    messages.success(request, "Contact-attempt plan started: call them on every number.")
    return redirect("decisions:decision", decision_id=decision.pk)


@login_required
@require_POST
def route_letter(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    action = "contact.plan.letter_issued"
    try:
        decision, party = _party(request, decision_id, customer_id, action)
    except DomainError as exc:
        return refused(request, exc)
    plan = (
        ContactPlan.objects.filter(customer=party.customer, subject=decision.subject)
        .order_by("-created_at", "-pk")
        .first()
    )
    try:
        if plan is None:
            raise NoSuchDecision("no contact-attempt plan for this decision", field="plan")
        contact.issue_plan_letter(plan=plan, actor=request.user, template=policy.contact_letter())
    except NoSuchDecision as exc:
        record_refusal(actor=request.user, action=action, error=exc, customer_id=customer_id)
        return refused(request, exc)
    except DomainError as exc:
        return _again(request, decision, exc)
    messages.success(request, f"The {policy.contact_letter()} letter is issued.")
    return redirect("decisions:decision", decision_id=decision.pk)
