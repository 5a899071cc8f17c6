"""Staff pages to record a decision on one of the customer's cases and to change it
while it is a draft or ready (refused once finalised). The services write the one
audit row; a refusal found here (a bad form) is audited here, and nothing is written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import DomainError, NotFound
from cma.privacy.errors import PersonalInformationFound

from . import selectors, services
from .errors import DecisionRefused
from .forms import DecisionForm
from .models import CLOSED, Decision
from .views import refused

CREATE = "decisions.decision.created"
UPDATE = "decisions.decision.updated"


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")


def show_refusal(form: DecisionForm, exc: DomainError) -> None:
    """Each unmet condition beside its field, else above the form (e.g. the state)."""
    if isinstance(exc, PersonalInformationFound):
        form.apply_refusal(exc)
        return
    for detail in exc.details or [{"field": exc.field, "message": exc.message}]:
        name = detail.get("field") or ""
        form.add_error(name if name in form.fields else None, _sentence(str(detail["message"])))


def _form_refusal(request: HttpRequest, form: DecisionForm, action: str, **subject) -> None:
    problems = [(f if f != "__all__" else None, str(e[0])) for f, e in form.errors.items()]
    error = DecisionRefused.from_problems("check the form", problems)
    record_refusal(actor=request.user, action=action, error=error, **subject)


def _cases_of(customer: Customer) -> list[Case]:
    return list(Case.objects.filter(Q(payer=customer) | Q(payee=customer)).order_by("case_number"))


def _new_page(request, customer, form, status=200):
    context = {"customer": customer, "form": form}
    return render(request, "decisions/new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_decision(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Record a decision on one of this customer's cases: its kind, reasons, date."""
    try:
        customer = access.enter(request.user, customer_id, action=CREATE)
    except DomainError as exc:
        if isinstance(exc, NotFound) and not isinstance(exc, access.RestrictedRecord):
            # The door audits a refusal of who may see; an unknown id is audited here.
            record_refusal(actor=request.user, action=CREATE, error=exc, customer_id=customer_id)
        return refused(request, exc)
    cases = _cases_of(customer)
    if request.method == "GET":
        record(
            actor=request.user,
            action="decisions.decision.form_viewed",
            obj=customer,
            customer_id=customer.pk,
        )
        initial = {"case": request.GET.get("case", "")}
        return _new_page(request, customer, DecisionForm(cases=cases, initial=initial))
    form = DecisionForm(request.POST, cases=cases)
    if not form.is_valid():
        _form_refusal(request, form, CREATE, customer_id=customer.pk)
        return _new_page(request, customer, form, status=422)
    case = Case.objects.select_related("payer", "payee").get(pk=form.cleaned_data["case"])
    try:
        decision = services.create_decision(
            case=case,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reasons=form.cleaned_data["reasons"],
            effective_on=form.cleaned_data["effective_on"],
        )
    except DomainError as exc:
        if not exc.details and not isinstance(exc, PersonalInformationFound):
            return refused(request, exc)
        show_refusal(form, exc)
        return _new_page(request, customer, form, status=exc.http_status)
    messages.success(request, "The decision is recorded as a draft.")
    return redirect("decisions:decision", decision_id=decision.pk)


def _edit_page(request, decision: Decision, form, status=200):
    context = {
        "decision": decision,
        "kind_name": selectors.kind_name(decision),
        "form": form,
        "closed": decision.state in CLOSED,
    }
    return render(request, "decisions/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Change the kind, reasons or date of a draft or ready decision."""
    action = UPDATE if request.method == "POST" else "decisions.decision.viewed"
    try:
        if request.method == "GET":
            decision, _ = selectors.decision_view(request.user, decision_id)
        else:
            decision = selectors.decision_for(request.user, decision_id, action=action)
    except DomainError as exc:
        return refused(request, exc)
    if request.method == "GET":
        initial = {
            "kind": decision.kind,
            "reasons": decision.reasons,
            "effective_on": decision.effective_on,
        }
        return _edit_page(request, decision, DecisionForm(cases=None, initial=initial))
    form = DecisionForm(request.POST, cases=None)
    if decision.state in CLOSED:
        # The service names why (the state) and audits the refusal; nothing changes.
        form.is_valid()
        form.errors.clear()
        try:
            services.update_decision(decision=decision, actor=request.user)
        except DomainError as exc:
            show_refusal(form, exc)
            return _edit_page(request, decision, form, status=exc.http_status)
    if not form.is_valid():
        subject = {"customer_id": decision.case.payer_id, "object_type": "decisions.decision"}
        _form_refusal(request, form, UPDATE, object_id=str(decision.pk), **subject)
        return _edit_page(request, decision, form, status=422)
    try:
        services.update_decision(decision=decision, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if not exc.details and not isinstance(exc, PersonalInformationFound):
            return refused(request, exc)
        show_refusal(form, exc)
        return _edit_page(request, decision, form, status=exc.http_status)
    messages.success(request, "The decision is changed.")
    return redirect("decisions:decision", decision_id=decision.pk)
