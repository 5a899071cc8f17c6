"""Staff pages: the decision page with its checklist per affected customer (CMA-6)
and its moves, and the explanation screen for one customer (CON-17)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.customers.access import RestrictedRecord
from cma.errors import DomainError, NotFound
from cma.web.views_access import restricted_page

from . import policy, selectors, services

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
    context = {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "statuses": statuses,
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


@login_required
@require_GET
def explanation_page(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    """What to explain to this customer: the decision and their own record only."""
    try:
        decision, party = selectors.explanation_view(request.user, decision_id, customer_id)
    except DomainError as exc:
        return refused(request, exc)
    context = {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "party": party,
        "role": "payer" if party.customer_id == decision.case.payer_id else "payee",
        "review_options": list(policy.review_options().values()),
    }
    return render(request, "decisions/explanation.html", context)
