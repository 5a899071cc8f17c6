"""Staff pages: the decision page with its checklist per affected customer (CMA-6)
and its moves, and the explanation screen for one customer (CON-17)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record_refusal
from cma.contact.selectors import open_interaction_of
from cma.customers.access import RestrictedRecord
from cma.customers.models import Customer
from cma.errors import DomainError, NotFound
from cma.web.views_access import restricted_page

from . import policy, selectors, services
from .errors import DecisionRefused, NoSuchDecision
from .forms import ExplanationForm

MOVES = {
    "ready": (services.mark_ready, "decisions.decision.ready", "The decision is ready."),
    "finalise": (services.finalise, "decisions.decision.finalised", "The decision is final."),
    "notify": (
        services.notify,
        "decisions.decision.notified",
        "Written advice was issued to every affected customer.",
    ),
}


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, RestrictedRecord):
        return restricted_page(request, exc.notice)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _page(request: HttpRequest, decision, statuses, problems=None, status: int = 200):
    routes = selectors.with_routes(decision, statuses)
    context = {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "statuses": [(s, selectors.route_letter_due(s)) for s in routes],
        "contact_letter": policy.contact_letter(),
        "problems": problems or [],
        "is_maker": decision.decision_maker_id == request.user.pk,
    }
    return render(request, "decisions/decision.html", context, status=status)


@login_required
@require_GET
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    try:
        decision, statuses = selectors.decision_view(request.user, decision_id)
    except DomainError as exc:
        return refused(request, exc)
    return _page(request, decision, statuses)


@login_required
@require_POST
def move(request: HttpRequest, decision_id: int, move: str) -> HttpResponse:
    """ready / finalise / notify; a refusal shows the page with every unmet condition."""
    if move not in MOVES:
        raise Http404("no such step")
    service, action, done = MOVES[move]
    try:
        decision = selectors.decision_for(request.user, decision_id, action=action)
        service(decision=decision, actor=request.user)
    except DomainError as exc:
        if isinstance(exc, NotFound) or not exc.details:
            return refused(request, exc)
        # The page again, with what is missing; the refusal has its audit row.
        return _page(
            request,
            decision,
            selectors.checklist(decision),
            problems=[d["message"] for d in exc.details],
            status=exc.http_status,
        )
    messages.success(request, done)
    return redirect("decisions:decision", decision_id=decision.pk)


def _explanation(request, decision, party, form=None, problems=None, status=200):
    context = {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "party": party,
        "role": "payer" if party.customer_id == decision.case.payer_id else "payee",
        "review_options": list(policy.review_options().values()),
        "form": form or ExplanationForm(),
        "problems": problems or [],
    }
    return render(request, "decisions/explanation.html", context, status=status)


@login_required
@require_GET
def explanation_page(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    """What to explain to this customer: the decision and their own record only."""
    try:
        decision, party = selectors.explanation_view(request.user, decision_id, customer_id)
    except DomainError as exc:
        return refused(request, exc)
    return _explanation(request, decision, party)


ACTION = "decisions.decision.explained"


def _refuse(request: HttpRequest, exc: DomainError) -> DomainError:
    # A refusal found before the service runs gets its one audit row here.
    record_refusal(actor=request.user, action=ACTION, error=exc)
    return exc


@login_required
@require_POST
def record_explanation(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    """Record the explanation on the officer's open call with this customer."""
    try:
        decision = selectors.decision_for(
            request.user, decision_id, action=ACTION, only=customer_id
        )
        party = (
            decision.parties.select_related("customer", "interaction")
            .filter(customer_id=customer_id)
            .first()
        )
        customer = Customer.objects.filter(pk=customer_id).first()
        if party is None or customer is None:
            raise _refuse(request, NoSuchDecision("this customer is not affected by the decision"))
        form = ExplanationForm(request.POST)
        if not form.is_valid():
            problems = [(f, str(e[0])) for f, e in form.errors.items()]
            raise _refuse(request, DecisionRefused.from_problems("check the form", problems))
        call = open_interaction_of(request.user)
        if call is None:
            raise _refuse(
                request,
                DecisionRefused.from_problems(
                    "the explanation cannot be recorded",
                    [
                        (
                            "interaction_id",
                            "open a call with the customer and confirm their identity",
                        )
                    ],
                ),
            )
        services.record_explanation(
            decision=decision,
            interaction=call,
            customer=customer,
            actor=request.user,
            **form.cleaned_data,
        )
    except DomainError as exc:
        if isinstance(exc, NotFound) or not exc.details:
            return refused(request, exc)
        problems = [d["message"] for d in exc.details]
        return _explanation(
            request, decision, party, ExplanationForm(request.POST), problems, exc.http_status
        )
    messages.success(request, "The explanation is recorded.")
    return redirect("decisions:explanation", decision_id=decision_id, customer_id=customer_id)
