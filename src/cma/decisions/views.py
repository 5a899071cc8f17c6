"""Staff pages: the decision page with its checklist per affected customer (CMA-6)
and its moves, and the explanation screen for one customer (CON-17).

Each part of the decision page is its own section (`decisions/decision.html`
partials): the moves (`#decision-moves`) and the checklist (`#decision-checklist`).
Over htmx a step answers with its section, the other one swapped out of band (a move
changes the checklist's written advice, a route step the moves' refusal), 422 with the
errors when refused; without JavaScript a redirect, or the page with the errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record_refusal
from cma.contact.forms import show_refusal
from cma.contact.selectors import open_interaction_of
from cma.customers.access import RestrictedRecord
from cma.customers.models import Customer
from cma.errors import DomainError, NotFound
from cma.web.views_access import restricted_page

from . import policy, selectors, services
from .errors import DecisionRefused, NoSuchDecision
from .forms import ExplanationForm
from .models import CLOSED, Decision

MOVES = {
    "ready": (services.mark_ready, "decisions.decision.ready", "The decision is ready."),
    "finalise": (services.finalise, "decisions.decision.finalised", "The decision is final."),
    "notify": (
        services.notify,
        "decisions.decision.notified",
        "Written advice was issued to every affected customer.",
    ),
}
# The service's name for a field -> the explanation form's (None: above the form).
EXPLANATION_ALIASES: dict[str, str | None] = {
    "interaction_id": None,
    "identity": None,
    "customer_id": None,
    "state": None,
}


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, RestrictedRecord):
        return restricted_page(request, exc.notice)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")


def problems_of(exc: DomainError) -> list[str]:
    return [_sentence(str(d["message"])) for d in exc.details or []] or [_sentence(exc.message)]


def page_context(request: HttpRequest, decision: Decision, statuses=None, **extra) -> dict:
    """Everything the decision page and its sections show; the checklist is read (again
    after a step: a fixed number of queries) unless given."""
    if statuses is None:
        statuses = selectors.checklist(decision)
    return {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "statuses": statuses,
        "contact_letter": policy.contact_letter(),
        "is_maker": decision.decision_maker_id == request.user.pk,
        "closed": decision.state in CLOSED,
        "problems": [],
        "moves_notice": "",
        "checklist_notice": "",
        "checklist_problems": [],
        **extra,
    }


def _page(request: HttpRequest, decision, status: int = 200, **extra) -> HttpResponse:
    return render(
        request, "decisions/decision.html", page_context(request, decision, **extra), status=status
    )


def section_answer(
    request: HttpRequest, decision: Decision, section: str, status: int = 200, **extra
) -> HttpResponse:
    """Over htmx: `section` ("moves" or "checklist") with the other out of band."""
    context = page_context(request, decision, **extra)
    return render(request, f"decisions/decision.html#{section}-answer", context, status=status)


def _fresh(decision: Decision) -> Decision:
    return Decision.objects.select_related("case__payer", "case__payee", "decision_maker").get(
        pk=decision.pk
    )


@login_required
@require_GET
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    try:
        decision, statuses = selectors.decision_view(request.user, decision_id)
    except DomainError as exc:
        return refused(request, exc)
    return _page(request, decision, statuses=statuses)


@login_required
@require_POST
def move(request: HttpRequest, decision_id: int, move: str) -> HttpResponse:
    """ready / finalise / notify; a refusal shows the moves with every unmet condition."""
    if move not in MOVES:
        raise Http404("no such step")
    service, action, done = MOVES[move]
    try:
        decision = selectors.decision_for(request.user, decision_id, action=action)
        service(decision=decision, actor=request.user)
    except DomainError as exc:
        if isinstance(exc, NotFound) or not exc.details:
            return refused(request, exc)
        # The refusal has its audit row; the moves again, with what is missing.
        problems = problems_of(exc)
        if request.htmx:
            return section_answer(request, decision, "moves", exc.http_status, problems=problems)
        return _page(request, decision, exc.http_status, problems=problems)
    if request.htmx:
        return section_answer(request, _fresh(decision), "moves", moves_notice=done)
    messages.success(request, done)
    return redirect("decisions:decision", decision_id=decision.pk)


def _explanation(request, shown, form=None, status=200, notice=""):
    context = {
        "shown": shown,
        "decision": shown.decision,
        "party": shown.party,
        "form": form or ExplanationForm(),
        "notice": notice,
    }
    template = "decisions/explanation.html"
    if request.htmx:
        template += "#record"
    return render(request, template, context, status=status)


@login_required
@require_GET
def explanation_page(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    """What to explain to this customer: the decision and their own record only."""
    try:
        shown = selectors.explanation_view(request.user, decision_id, customer_id)
    except DomainError as exc:
        return refused(request, exc)
    return _explanation(request, shown)


ACTION = "decisions.decision.explained"


def _refuse(request: HttpRequest, exc: DomainError) -> DomainError:
    # A refusal found before the service runs gets its one audit row here.
    record_refusal(actor=request.user, action=ACTION, error=exc)
    return exc


def _no_call() -> DomainError:
    return DecisionRefused.from_problems(
        "the explanation cannot be recorded",
        [("interaction_id", "open a call with the customer and confirm their identity")],
    )


@login_required
@require_POST
def record_explanation(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    """Record the explanation on the officer's open call with this customer; over htmx
    the answer is the record section (`#explanation-record`) alone."""
    form = ExplanationForm(request.POST)
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
        shown = selectors.explanation_of(decision, party)
        if not form.is_valid():
            problems = [(f, str(e[0])) for f, e in form.errors.items()]
            _refuse(request, DecisionRefused.from_problems("check the form", problems))
            return _explanation(request, shown, form, 422)
        call = open_interaction_of(request.user)
        if call is None:
            raise _refuse(request, _no_call())
        services.record_explanation(
            decision=decision,
            interaction=call,
            customer=customer,
            actor=request.user,
            **form.cleaned_data,
        )
    except DomainError as exc:
        if isinstance(exc, NotFound) or not (exc.details or exc.field):
            return refused(request, exc)
        show_refusal(form, exc, aliases=EXPLANATION_ALIASES)
        return _explanation(request, shown, form, exc.http_status)
    done = "The explanation is recorded."
    if request.htmx:
        party.refresh_from_db()
        return _explanation(request, selectors.explanation_of(decision, party), notice=done)
    messages.success(request, done)
    return redirect("decisions:explanation", decision_id=decision_id, customer_id=customer_id)
