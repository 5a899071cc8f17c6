"""Staff pages for finalisation (PS-13..PS-17): the readiness checklist and the request
form (a section of the plan page, and its own page that shows a refusal listing every
unmet condition), and the PS Team Leader's decision, posted from the approvals page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cma.errors import DomainError
from cma.policy.models import BusinessArea
from cma.staff.models import User

from . import selectors, services
from .forms_finalisation import FinalisationDecisionForm, FinalisationForm
from .models import FinalisationRequest, PlanState, PsPlan
from .services.finalisation import open_request
from .views_referrals import form_refusal, refused

REQUEST = "personalised.finalisation.requested"
DECIDE = "personalised.finalisation.decided"
VIEW = "personalised.finalisation.readiness-viewed"


def finalisation_section(
    actor: User, plan: PsPlan, form: FinalisationForm | None = None
) -> dict[str, Any]:
    """What the plan page's finalisation section shows: the PS-13 checklist, the open
    request, and the request form for the case manager of an approved plan."""
    found = services.readiness(plan)
    may_request = plan.case_manager_id == actor.pk and plan.state == PlanState.APPROVED
    return {
        "readiness": found,
        "problems_list": [m for _f, m in found.problems],
        "open_request": open_request(plan),
        "form": form or (FinalisationForm() if may_request else None),
    }


def _page(
    request: HttpRequest,
    plan: PsPlan,
    form: FinalisationForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "plan": plan,
        "customer": plan.customer,
        "finalisation": finalisation_section(request.user, plan, form),
        "problems": problems or [],
    }
    return render(request, "personalised/finalisation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def finalisation_page(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    """PS-13 readiness and the PS-14 request form."""
    action = VIEW if request.method == "GET" else REQUEST
    try:
        plan = selectors.one(PsPlan, request.user, ps_plan_id, action=action, field="ps_plan_id")
    except DomainError as exc:
        return refused(request, exc)
    if request.method == "GET":
        selectors.viewed(request.user, plan, VIEW)
        return _page(request, plan)
    form = FinalisationForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, REQUEST, customer_id=plan.customer_id)
        return _page(request, plan, form, status=422)
    data = form.cleaned_data
    try:
        services.request_finalisation(
            plan=plan,
            actor=request.user,
            basis=data["basis"],
            mandatory_issues=data["mandatory_issues"],
            exit_advice=data["exit_advice"],
            feedback=data["feedback"],
            responses_understood=data["responses_understood"],
        )
    except DomainError as exc:
        if not exc.details:
            return refused(request, exc)
        form.apply_refusal(exc)
        listed = [d["message"] for d in exc.details]
        plan.refresh_from_db()
        return _page(request, plan, form, listed, status=exc.http_status)
    messages.success(request, "Finalisation requested: the PS Team Leader decides it.")
    return redirect("personalised:plan", ps_plan_id=plan.pk)


def decision_forms(
    rows: list[FinalisationRequest], bound: dict[int, FinalisationDecisionForm] | None = None
) -> list[tuple[FinalisationRequest, FinalisationDecisionForm]]:
    found = bound or {}
    return [
        (r, found.get(r.pk) or FinalisationDecisionForm(auto_id=f"id_fin{r.pk}_%s")) for r in rows
    ]


@login_required
@require_POST
def decide_finalisation(request: HttpRequest, finalisation_id: int) -> HttpResponse:
    """PS-15..PS-17: the PS Team Leader's decision; a refusal shows the approvals page
    again with every unmet condition."""
    from .views_approvals import _page as approvals_page

    form = FinalisationDecisionForm(request.POST, auto_id=f"id_fin{finalisation_id}_%s")
    try:
        row = selectors.one(
            FinalisationRequest,
            request.user,
            finalisation_id,
            action=DECIDE,
            field="finalisation_id",
        )
    except DomainError as exc:
        return refused(request, exc)
    if not form.is_valid():
        form_refusal(request, form, DECIDE, customer_id=row.customer_id)
        return approvals_page(request, fin_forms={row.pk: form}, status=422)
    data = form.cleaned_data
    area = None
    if data["transfer_area"]:
        area = BusinessArea.objects.filter(code=data["transfer_area"]).first()
    try:
        services.decide_finalisation(
            request=row,
            actor=request.user,
            approve=data["decision"] == "yes",
            reason=data["reason"],
            confirmations=list(data["confirmations"]),
            comment=data["comment"],
            transfer_area=area,
        )
    except DomainError as exc:
        if not exc.details:
            return refused(request, exc)
        form.apply_refusal(exc)
        form.listed = [d["message"] for d in exc.details]  # type: ignore[attr-defined]
        return approvals_page(request, fin_forms={row.pk: form}, status=exc.http_status)
    messages.success(request, "Finalisation decision recorded.")
    return redirect("personalised:approvals")
