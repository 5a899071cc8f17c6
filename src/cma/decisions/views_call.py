"""Recording an explanation from the call screen's "Explain a decision" section, on
the officer's own live call with the customer (CMA-6, CON-17). Over htmx the answer is
the section alone (swapped inside `#section-decisions`), 422 with the errors beside
the fields when refused; without JavaScript a redirect to the call screen with what
happened. The service writes the one audit row; a refusal before it is audited here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cma.audit.services import record_refusal
from cma.contact.errors import InteractionEnded
from cma.contact.forms import show_refusal
from cma.contact.models import Interaction
from cma.contact.selectors_slots import live_call_for
from cma.contact.views_calls import call_url, ended
from cma.errors import DomainError, NotFound

from . import selectors, services
from .call_section import NAME, SECTION, form_for, section_data
from .errors import DecisionRefused
from .forms import ExplanationForm
from .views import EXPLANATION_ALIASES, problems_of, refused

ACTION = "decisions.decision.explained"


def _answer(
    request: HttpRequest,
    it: Interaction,
    *,
    given: dict[int, ExplanationForm] | None = None,
    notice: str = "",
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if not request.htmx:
        if notice:
            messages.success(request, notice)
        if problems or given:
            text = " ".join(problems or [])
            for form in (given or {}).values():
                text += " ".join(str(e) for errors in form.errors.values() for e in errors)
            messages.warning(request, f"The explanation is not recorded. {text}".strip())
        return redirect(f"{call_url(it)}#section-{NAME}")
    data = section_data(request.user, it, given=given, notice=notice, problems=problems)
    context = {"it": it, "section": SECTION, "data": data or {"items": []}}
    return render(request, SECTION.template, context, status=status)


@login_required
@require_POST
def explain_on_call(request: HttpRequest, interaction_id: int, decision_id: int) -> HttpResponse:
    try:
        it = live_call_for(request.user, interaction_id, action=ACTION)
    except InteractionEnded as exc:
        return ended(request, interaction_id, exc)
    except DomainError as exc:
        return refused(request, exc)
    form = form_for(decision_id, request.POST)
    try:
        decision = selectors.decision_for(
            request.user, decision_id, action=ACTION, only=it.customer_id
        )
        if not form.is_valid():
            problems = [(f, str(e[0])) for f, e in form.errors.items()]
            error = DecisionRefused.from_problems("check the form", problems)
            record_refusal(
                actor=request.user, action=ACTION, error=error, customer_id=it.customer_id
            )
            return _answer(request, it, given={decision_id: form}, status=422)
        services.record_explanation(
            decision=decision,
            interaction=it,
            customer=it.customer,
            actor=request.user,
            **form.cleaned_data,
        )
    except InteractionEnded as exc:
        return ended(request, interaction_id, exc)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            return refused(request, exc)
        if not it.confirmed:
            # CON-9: nothing about the decision before the caller's identity is confirmed.
            return _answer(request, it, problems=problems_of(exc), status=exc.http_status)
        show_refusal(form, exc, aliases=EXPLANATION_ALIASES)
        return _answer(request, it, given={decision_id: form}, status=exc.http_status)
    kind = selectors.kind_name(decision)
    return _answer(
        request, it, notice=f"The explanation of the {kind.lower()} decision is recorded."
    )
