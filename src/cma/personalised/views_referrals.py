"""Staff pages for referrals to Personalised Services: making one from the customer page
(PS-1) and the referral page with its guided actioning checklist (PS-2). Each step posts
here; over htmx the answer is the checklist section alone (a refusal as a 422 with every
unmet condition beside the step), else the page again. The services write the one audit
row; a form refused here (a forged choice) has its audited refusal here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import DomainError, NotFound
from cma.privacy.errors import PersonalInformationFound
from cma.staff.models import User
from cma.web.views_access import restricted_page

from . import policy, selectors, selectors_core_pages, services
from .errors import PsRefused
from .forms_core import ReferralForm, StepForm, _sentence
from .models import Referral

CREATE = "personalised.referral.created"
STEP = "personalised.referral.step"


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A refusal that is not about the form: the restricted notice, a 404, or a page."""
    if isinstance(exc, access.RestrictedRecord):
        return restricted_page(request, exc.notice)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def form_refusal(request: HttpRequest, form: Any, action: str, **subject: Any) -> None:
    """A form that did not validate: one audited refusal naming each field."""
    problems = [(f if f != "__all__" else None, str(e[0])) for f, e in form.errors.items()]
    error = PsRefused.from_problems("check the form", problems)
    record_refusal(actor=request.user, action=action, error=error, **subject)


def about_the_form(exc: DomainError) -> bool:
    return bool(exc.details) or isinstance(exc, PersonalInformationFound)


# --- Making a referral (PS-1) -----------------------------------------------------------


def _new_page(
    request: HttpRequest, customer: Customer, form: ReferralForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "personalised/referral_new.html",
        {"customer": customer, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Refer the customer to Personalised Services: type, source, reason, and for an
    urgent referral the Team Leader's contact with the PS Team Leader first."""
    try:
        customer = access.enter(request.user, customer_id, action=CREATE)
    except DomainError as exc:
        if isinstance(exc, NotFound) and not isinstance(exc, access.RestrictedRecord):
            record_refusal(actor=request.user, action=CREATE, error=exc, customer_id=customer_id)
        return refused(request, exc)
    if request.method == "GET":
        record(
            actor=request.user,
            action="personalised.referral.form_viewed",
            obj=customer,
            customer_id=customer.pk,
        )
        return _new_page(request, customer, ReferralForm(customer=customer))
    form = ReferralForm(request.POST, customer=customer)
    if not form.is_valid():
        form_refusal(request, form, CREATE, customer_id=customer.pk)
        return _new_page(request, customer, form, status=422)
    data = form.cleaned_data
    case = Case.objects.filter(pk=data["case"]).first() if data["case"] else None
    leader = (
        User.objects.filter(pk=data["contacted_ps_team_leader"]).first()
        if data["contacted_ps_team_leader"]
        else None
    )
    try:
        referral = services.create_referral(
            customer=customer,
            actor=request.user,
            kind=data["kind"],
            source=data["source"],
            reason=data["reason"],
            urgent=data["urgent"],
            tl_contacted_ps_tl=data["tl_contacted_ps_tl"],
            contacted_ps_team_leader=leader,
            case=case,
        )
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return _new_page(request, customer, form, status=exc.http_status)
    messages.success(request, "The customer is referred to Personalised Services.")
    if access.can_see(request.user, customer) and request.user.has_perm("personalised.view"):
        return redirect("personalised:referral", referral_id=referral.pk)
    return redirect("web:customer-detail", customer_id=customer.pk)


# --- The referral and its checklist (PS-2) ----------------------------------------------


def checklist_context(
    request: HttpRequest,
    view: selectors_core_pages.ReferralView,
    given: StepForm | None = None,
    notice: str = "",
    problems: list[str] | None = None,
) -> dict[str, Any]:
    forms = {}
    shown = given is not None and given.step == view.next_step and view.can_act
    if view.can_act and view.next_step:
        forms[view.next_step] = (
            given
            if shown and given is not None
            else StepForm(
                step=view.next_step, referral=view.referral, interactions=view.interactions
            )
        )
    rows = [{**row, "form": forms.get(row["code"])} for row in view.steps]
    return {
        "view": view,
        "referral": view.referral,
        "rows": rows,
        "step_form": forms.get(view.next_step or ""),
        "notice": notice,
        # A refusal the shown step's form cannot carry (another step, the role): listed.
        "problems": [] if shown else (problems or []),
        "kind_name": _kind_name(view.referral),
        "source_name": _source_name(view.referral.source),
        "main_reason_name": _main_reason_name(view.referral.main_reason),
    }


def _kind_name(referral: Referral) -> str:
    from cma.policy.services import intray_type

    try:
        return intray_type(referral.kind).name
    except DomainError:
        return referral.kind


def _source_name(code: str) -> str:
    found = policy.referral_sources().get(code)
    return found.name if found else code


def _main_reason_name(code: str) -> str:
    found = policy.main_reasons().get(code)
    return found.name if found else code


@login_required
@require_GET
def referral_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        view = selectors_core_pages.referral_view(request.user, referral_id)
    except DomainError as exc:
        return refused(request, exc)
    return render(request, "personalised/referral.html", checklist_context(request, view))


def _checklist(
    request: HttpRequest,
    referral: Referral,
    given: StepForm | None,
    status: int,
    notice: str = "",
    problems: list[str] | None = None,
) -> HttpResponse:
    view = selectors_core_pages.referral_state(request.user, referral)
    context = checklist_context(request, view, given, notice, problems)
    template = "personalised/_ps_checklist.html" if request.htmx else "personalised/referral.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def record_step(request: HttpRequest, referral_id: int, step: str) -> HttpResponse:
    """Do the step now with its inputs; the checklist again with who did it and when,
    or with every unmet condition beside the step."""
    try:
        referral = selectors.one(
            Referral, request.user, referral_id, action=STEP, field="referral_id"
        )
    except DomainError as exc:
        return refused(request, exc)
    known = {s.code for s in policy.actioning_steps()}
    if step not in known:
        record_refusal(
            actor=request.user,
            action=STEP,
            error=NotFound("no such step", field="step"),
            customer_id=referral.primary_customer_id,
        )
        raise Http404("no such step")
    view = selectors_core_pages.referral_state(request.user, referral)
    form = StepForm(request.POST, step=step, referral=referral, interactions=view.interactions)
    if not form.is_valid():
        form_refusal(request, form, STEP, customer_id=referral.primary_customer_id)
        problems = [f"{f}: {e[0]}" for f, e in form.errors.items()]
        return _checklist(request, referral, form, 422, problems=problems)
    try:
        services.record_step(referral=referral, actor=request.user, step=step, inputs=form.inputs())
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        referral.refresh_from_db()
        problems = [_sentence(d.get("message", "")) for d in exc.details or []]
        return _checklist(request, referral, form, exc.http_status, problems=problems)
    referral.refresh_from_db()
    name = next((s.name for s in policy.actioning_steps() if s.code == step), step)
    notice = f"Done: {name}."
    if request.htmx:
        return _checklist(request, referral, None, 200, notice)
    messages.success(request, notice)
    return redirect("personalised:referral", referral_id=referral.pk)
