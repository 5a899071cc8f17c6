"""The PS mandate page of a decision (PS-12): per affected PS customer, who their case
manager is, how to reach them and their availability today; request a consultation
(an intray due today) and record it. Linked from the decision page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record_refusal
from cma.decisions.selectors import kind_name
from cma.decisions.views import refused
from cma.errors import DomainError

from . import mandate, selectors_mandate
from .errors import PsRefused
from .forms_mandate import ConsultationForm
from .services import mandate as services

REQUEST = "personalised.consultation.requested"
RECORD = "personalised.consultation.recorded"


def _page(
    request: HttpRequest,
    decision: Any,
    parties: list[selectors_mandate.PartyMandate],
    *,
    forms: dict[int, ConsultationForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    is_maker = decision.decision_maker_id == request.user.pk
    open_decision = decision.state != "notified"
    for p in parties:
        c = p.consultation
        p.who_tells_name = mandate.who_tells_options().get(c.who_tells, "") if c else ""  # type: ignore[attr-defined]
        p.can_request = bool(  # type: ignore[attr-defined]
            is_maker and open_decision and p.manager and c is None and p.required
        )
        may_record = is_maker or (
            p.manager is not None and p.manager.may_be_consulted(request.user)
        )
        p.form = None  # type: ignore[attr-defined]
        if p.manager and open_decision and may_record and not (c and c.recorded):
            p.form = forms.get(p.customer.pk) or ConsultationForm(  # type: ignore[attr-defined]
                manager=p.manager, prefix_id=p.role
            )
    context = {"decision": decision, "kind_name": kind_name(decision), "parties": parties}
    return render(request, "personalised/mandate_decision.html", context, status=status)


@login_required
@require_GET
def decision_mandate(request: HttpRequest, decision_id: int) -> HttpResponse:
    try:
        decision, parties = selectors_mandate.decision_mandate(request.user, decision_id)
    except DomainError as exc:
        return refused(request, exc)
    return _page(request, decision, parties)


@login_required
@require_POST
def request_consultation(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    try:
        decision, customer = selectors_mandate.consultation_target(
            request.user, decision_id, customer_id, action=REQUEST
        )
        services.request_consultation(decision=decision, customer=customer, actor=request.user)
    except DomainError as exc:
        return refused(request, exc)
    messages.success(request, "The case manager has an intray to consult with you, due today.")
    return redirect("personalised:mandate-decision", decision_id=decision.pk)


@login_required
@require_POST
def record_consultation(request: HttpRequest, decision_id: int, customer_id: int) -> HttpResponse:
    try:
        decision, customer = selectors_mandate.consultation_target(
            request.user, decision_id, customer_id, action=RECORD
        )
    except DomainError as exc:
        return refused(request, exc)
    manager = mandate.who_manages(customer, with_availability=False)
    if manager is None:
        not_ps = PsRefused(
            "the customer is not managed by Personalised Services", field="customer_id"
        )
        record_refusal(actor=request.user, action=RECORD, error=not_ps, customer_id=customer.pk)
        return refused(request, not_ps)
    role = "payer" if customer.pk == decision.case.payer_id else "payee"
    form = ConsultationForm(request.POST, manager=manager, prefix_id=role)
    if not form.is_valid():
        problems = [(f if f != "__all__" else None, str(e[0])) for f, e in form.errors.items()]
        error = PsRefused.from_problems("check the form", problems)
        record_refusal(actor=request.user, action=RECORD, error=error, customer_id=customer.pk)
        return _again(request, decision, customer.pk, form, 422)
    data = form.cleaned_data
    try:
        services.record_consultation(
            decision=decision,
            customer=customer,
            actor=request.user,
            consulted_id=int(data["consulted"]),
            consulted_at=form.consulted_at(),
            outstanding_issues=data["outstanding_issues"],
            special_contact_conditions=data["special_contact_conditions"],
            communication_approach=data["communication_approach"],
            who_tells=data["who_tells"],
        )
    except DomainError as exc:
        if not exc.details and not exc.field:
            return refused(request, exc)
        form.apply_refusal(exc)
        return _again(request, decision, customer.pk, form, exc.http_status)
    messages.success(request, "The consultation with the PS case manager is recorded.")
    return redirect("personalised:mandate-decision", decision_id=decision.pk)


def _again(request, decision, customer_id: int, form: ConsultationForm, status: int):
    # The page again with the form's errors; the refusal already has its audit row.
    return _page(
        request,
        decision,
        selectors_mandate.parties(decision),
        forms={customer_id: form},
        status=status,
    )
