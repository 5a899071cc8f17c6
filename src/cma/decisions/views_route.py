"""The contact-attempt route from the decision page (CMA-6): for an affected customer
who cannot be reached, start the plan whose subject is this decision (the call
screen's plan form has no subject), then, once every call failed, its MX1-1 letter
(the call screen's plan slot offers it too, before the caller's identity is confirmed).
The contact services write the one audit row; a refusal before them is audited here.
Over htmx each answers with the checklist section (`#decision-checklist`), 422 with
the refusal in it; without JavaScript a redirect, or the page with the refusal."""

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
from .views import _fresh, _page, problems_of, refused, section_answer


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
    problems = problems_of(exc)
    if request.htmx:
        return section_answer(
            request, decision, "checklist", exc.http_status, checklist_problems=problems
        )
    return _page(request, decision, exc.http_status, checklist_problems=problems)


def _done(request: HttpRequest, decision, text: str) -> HttpResponse:
    if request.htmx:
        return section_answer(request, _fresh(decision), "checklist", checklist_notice=text)
    messages.success(request, text)
    return redirect("decisions:decision", decision_id=decision.pk)


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
    return _done(request, decision, "Contact-attempt plan started: call them on every number.")


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
    return _done(request, decision, f"The {policy.contact_letter()} letter is issued.")
