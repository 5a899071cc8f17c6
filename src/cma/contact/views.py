"""Staff pages of a contact: starting it from the customer page, and the call screen
with its identity gate (CON-9, CON-7, CON-10) and its receipt number (CON-16).

Thin: each page calls one selector or service. A refusal (DomainError) is shown beside
the field it names; a customer the officer has no need to know about gets the
restricted notice (SEC-1). A write that is refused shows the page again without a
second audit row (the refusal is the operation's one row)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cma.customers import access
from cma.customers.access import RestrictedRecord
from cma.customers.selectors import get_customer_for
from cma.errors import DomainError, NotFound
from cma.web.views_access import restricted_page

from . import call_slots, panels, policy, selectors, selectors_pages, services
from .display import duration, identity_need, needs_rows
from .forms import DisputeForm, IdentityForm, question_field, show_refusal
from .models import Identity, IdentityCheck
from .services.identity import NEVER_CONFIRMED
from .services.transfers import Destination


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, RestrictedRecord):
        return restricted_page(request, exc.notice)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


@login_required
@require_http_methods(["GET", "POST"])
def start_call(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Open an interaction (it starts unconfirmed and gets its receipt) and go to its
    call screen. The customer page's panel posts here; a refusal shows this page."""
    try:
        if request.method == "POST":
            # The service writes the operation's one row (or its audited refusal).
            customer = access.enter(request.user, customer_id, action="contact.interaction.opened")
        else:
            customer = get_customer_for(request.user, customer_id, purpose="contact-starting")
    except DomainError as exc:
        return refused(request, exc)
    form = panels.start_form(customer, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interaction = services.open_interaction(
                customer=customer, actor=request.user, **form.service_kwargs()
            )
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            return redirect("contact:call", interaction_id=interaction.pk)
    context = {
        "customer": customer,
        "form": form,
        "needs": panels.needs_rows_of(customer),
        "live": selectors.open_interaction_of(request.user),
    }
    return render(request, "contact/start.html", context, status=422 if form.errors else 200)


def _need(view: selectors.CallView) -> str:
    rule = policy.identity_rule()
    return identity_need(view.questions, rule.min_matches, rule.required)


def _call_page(
    request: HttpRequest,
    view: selectors.CallView,
    *,
    identity_form: IdentityForm | None = None,
    dispute_form: DisputeForm | None = None,
    slot_forms: call_slots.Forms | None = None,
    advice: Destination | None = None,
    status: int = 200,
) -> HttpResponse:
    it = view.interaction
    seen = selectors_pages.admission(request.user, it)
    mine = it.officer_id == request.user.pk
    working = it.is_open and mine
    # CON-7: an alternative contact or a third party never passes the gate.
    may_confirm = it.party not in NEVER_CONFIRMED
    can_check = working and may_confirm and not view.confirmed and it.identity != Identity.DISPUTED
    can_dispute = working and may_confirm and it.identity != Identity.DISPUTED
    now = timezone.now()
    context = {
        "view": view,
        "it": it,
        "live": it.is_open,
        "working": working,
        "confirmed": view.confirmed,
        "may_confirm": may_confirm,
        # base.html's warnings (Separating Safely, restricted service) are about how to
        # talk to the customer; shown once the officer has passed the one door.
        "customer": it.customer if seen.admitted else None,
        "summary_customer": it.customer if seen.show_customer else None,
        "cases_count": selectors_pages.cases_count(it.customer) if seen.show_customer else None,
        "needs": needs_rows(view.needs),
        # A refused form is shown again with its errors, whatever the call's state now.
        "identity_form": identity_form
        or (IdentityForm(questions=view.questions) if can_check else None),
        "identity_need": _need(view) if can_check or identity_form is not None else "",
        "dispute_form": dispute_form
        or (DisputeForm(choices=selectors_pages.dispute_choices()) if can_dispute else None),
        "started_iso": it.started_at.isoformat(),
        "now_iso": now.isoformat(),
        "elapsed": duration((it.ended_at or now) - it.started_at),
        "elapsed_seconds": int(((it.ended_at or now) - it.started_at).total_seconds()),
    }
    if working:
        context.update(
            call_slots.slots_context(
                request.user, it, show_customer=seen.show_customer, given=slot_forms, advice=advice
            )
        )
    elif seen.show_customer:
        context.update(call_slots.history_context(request.user, it))
    return render(request, "contact/call.html", context, status=status)


@login_required
@require_GET
def call_screen(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The live call for its officer; an ended one is history for anyone with need to
    know. Before identity is confirmed: the contact needs and the identity check only."""
    try:
        view = selectors.call_view(request.user, interaction_id)
    except DomainError as exc:
        return refused(request, exc)
    return _call_page(request, view)


def _result_message(check: IdentityCheck, questions: list[policy.Question]) -> str:
    labels = {q.code: q.label.lower() for q in questions}
    matched = ", ".join(labels.get(c, c) for c in check.matched) or "none"
    if check.result == Identity.CONFIRMED:
        return f"Identity confirmed for this call. Matched: {matched}."
    missed = ", ".join(labels.get(c, c) for c in check.asked if c not in check.matched) or "none"
    rule = policy.identity_rule()
    need = identity_need(questions, rule.min_matches, rule.required)
    return (
        f"Identity not confirmed. Matched: {matched}. Did not match: {missed}. {need} "
        "Ask again, or say nothing about the case and end the call."
    )


@login_required
@require_POST
def check_identity(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The officer types what the caller says; the system says which answers matched."""
    try:
        it = selectors.interaction_for(
            request.user, interaction_id, action="contact.identity.checked"
        )
    except DomainError as exc:
        return refused(request, exc)
    view = selectors_pages.call_view_of(it)
    form = IdentityForm(request.POST, questions=view.questions)
    if form.is_valid():
        try:
            check = services.confirm_identity(
                interaction=it, actor=request.user, answers=form.answers()
            )
        except DomainError as exc:
            first = question_field(view.questions[0].code) if view.questions else None
            show_refusal(form, exc, aliases={"answers": first})
        else:
            text = _result_message(check, view.questions)
            if check.result == Identity.CONFIRMED:
                messages.success(request, text)
            else:
                messages.warning(request, text)
            return redirect("contact:call", interaction_id=it.pk)
    return _call_page(request, view, identity_form=form, status=422)


@login_required
@require_POST
def dispute_identity(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The person disputes being party to the case: the SGT macro note and the
    Solutions Gateway Team referral (CON-10)."""
    try:
        it = selectors.interaction_for(
            request.user, interaction_id, action="contact.identity.disputed"
        )
    except DomainError as exc:
        return refused(request, exc)
    form = DisputeForm(request.POST, choices=selectors_pages.dispute_choices())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_identity(
                interaction=it,
                actor=request.user,
                disputed=data["disputed"],
                details=data["details"],
                name_given=data["name_given"],
            )
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                "Potential identity mismatch recorded and referred to the Solutions Gateway "
                "Team. Tell the person nothing about the case.",
            )
            return redirect("contact:call", interaction_id=it.pk)
    return _call_page(request, selectors_pages.call_view_of(it), dispute_form=form, status=422)
