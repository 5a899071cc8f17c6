"""Staff pages for the Personalised Services Plan (PS-4, PS-5): the plan with its PS-4
fields, the five mandatory and any further issues with their status moves, approval
by the case manager (overdue plans highlighted), every version kept and one version
shown. Issue forms post here; over htmx the answer is the issues section (a refusal as a
422 listing every unmet condition), with the versions and approval sections swapped
out of band; else the plan page again."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cma.errors import DomainError

from . import policy, selectors, selectors_core_pages, services
from .forms_core import (
    PLAN_LABELS,
    IssueForm,
    IssueStatusForm,
    PlanForm,
    SegmentApprovalForm,
    SegmentForm,
    _sentence,
)
from .models import PsIssue, PsPlan
from .services.plans import PLAN_FIELDS
from .views_finalisation import finalisation_section
from .views_referrals import about_the_form, form_refusal, refused

# The plan page's sections (templates `_ps_<name>.html`, ids `ps-<name>`).
SECTIONS = ("facts", "issues", "segment", "approval", "versions")
UPDATE = "personalised.plan.updated"
ADD_ISSUE = "personalised.plan.issue-added"
ISSUE_STATUS = "personalised.plan.issue-status"
APPROVE = "personalised.plan.approved"


def _names(options: dict[str, Any], code: str) -> str:
    found = options.get(code)
    return found.name if found else code


def plan_context(
    request: HttpRequest,
    view: selectors_core_pages.PlanView,
    *,
    status_form: IssueStatusForm | None = None,
    status_issue: int | None = None,
    issue_form: IssueForm | None = None,
    segment_form: SegmentForm | None = None,
    approval_form: SegmentApprovalForm | None = None,
    notice: str = "",
    section: str = "",
    problems: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the plan page and its sections show. `section` names the one a
    notice or a refusal belongs to."""
    may_change = view.open and (view.is_manager or view.is_ps_team_leader)
    classifications = policy.classifications()
    rows = []
    for issue in view.issues:
        form = None
        if may_change and view.transitions.get(issue.status):
            form = (
                status_form
                if status_form is not None and status_issue == issue.pk
                else IssueStatusForm(moves=view.transitions[issue.status], issue_id=issue.pk)
            )
        rows.append(
            {
                "issue": issue,
                "classification": _names(classifications, issue.classification),
                "form": form,
                "events": list(issue.events.all()),
            }
        )
    plan = view.plan
    names = {i.code: i.name for i in policy.segment_indicators()}
    suggested = view.suggestion.segment if view.suggestion else None
    return {
        "view": view,
        "plan": plan,
        "customer": plan.customer,
        "fields": [(PLAN_LABELS[n], getattr(plan, n)) for n in PLAN_FIELDS],
        "source_name": _names(policy.referral_sources(), plan.referral_source),
        "issue_rows": rows,
        "may_change": may_change,
        "issue_form": issue_form or (IssueForm() if may_change else None),
        "segment_form": segment_form
        or (
            SegmentForm(suggested=suggested)
            if view.is_manager and view.open and view.pending is None
            else None
        ),
        "approval_form": approval_form
        or (SegmentApprovalForm() if view.pending and view.is_ps_team_leader else None),
        "indicator_rows": [
            (names.get(code, code), count)
            for code, count in (view.suggestion.indicators if view.suggestion else {}).items()
        ],
        "needs_approval": sorted(policy.segments_needing_approval()),
        "notice": notice,
        "section": section,
        "problems": problems or [],
        "missing": [_sentence(m) for _f, m in view.missing],
        "finalisation": finalisation_section(request.user, plan),
    }


def plan_page_response(
    request: HttpRequest, plan: PsPlan, *, partial: str = "", status: int = 200, **extra: Any
) -> HttpResponse:
    """The plan page, or over htmx the section `partial` (plus the versions and the
    approval sections out of band)."""
    view = selectors_core_pages.plan_state(request.user, plan)
    context = plan_context(request, view, section=partial, **extra)
    if request.htmx and partial in SECTIONS:
        context["other_sections"] = [s for s in SECTIONS if s != partial]
        return render(request, "personalised/_ps_swap.html", context, status=status)
    return render(request, "personalised/plan.html", context, status=status)


def _plan(request: HttpRequest, ps_plan_id: int, action: str) -> PsPlan:
    return selectors.one(PsPlan, request.user, ps_plan_id, action=action, field="ps_plan_id")


@login_required
@require_GET
def plan_page(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    try:
        view = selectors_core_pages.plan_view(request.user, ps_plan_id)
    except DomainError as exc:
        return refused(request, exc)
    return render(request, "personalised/plan.html", plan_context(request, view))


def _edit_page(request: HttpRequest, plan: PsPlan, form: PlanForm, status: int = 200):
    return render(
        request,
        "personalised/plan_edit.html",
        {"plan": plan, "customer": plan.customer, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_plan(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    """Change the PS-4 fields; each change keeps a new version, and an approved plan
    goes back to its case manager for approval."""
    try:
        if request.method == "GET":
            view = selectors_core_pages.plan_view(request.user, ps_plan_id)
            plan = view.plan
        else:
            plan = _plan(request, ps_plan_id, UPDATE)
    except DomainError as exc:
        return refused(request, exc)
    if request.method == "GET":
        initial = {n: getattr(plan, n) for n in PLAN_FIELDS}
        return _edit_page(request, plan, PlanForm(initial=initial))
    form = PlanForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, UPDATE, customer_id=plan.customer_id)
        return _edit_page(request, plan, form, status=422)
    try:
        services.update_plan(plan=plan, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return _edit_page(request, plan, form, status=exc.http_status)
    messages.success(request, "The plan is saved as a new version.")
    return redirect("personalised:plan", ps_plan_id=plan.pk)


def _section_done(request: HttpRequest, plan: PsPlan, section: str, text: str) -> HttpResponse:
    if request.htmx:
        return plan_page_response(request, plan, partial=section, notice=text)
    messages.success(request, text)
    return redirect(reverse("personalised:plan", kwargs={"ps_plan_id": plan.pk}) + f"#ps-{section}")


@login_required
@require_POST
def add_issue(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    """A further issue with its classification, "recorded" (PS-5)."""
    try:
        plan = _plan(request, ps_plan_id, ADD_ISSUE)
    except DomainError as exc:
        return refused(request, exc)
    form = IssueForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, ADD_ISSUE, customer_id=plan.customer_id)
        return plan_page_response(request, plan, partial="issues", status=422, issue_form=form)
    try:
        issue = services.add_issue(plan=plan, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return plan_page_response(
            request, plan, partial="issues", status=exc.http_status, issue_form=form
        )
    return _section_done(request, plan, "issues", f"Issue added: {issue.title}.")


@login_required
@require_POST
def issue_status(request: HttpRequest, ps_issue_id: int) -> HttpResponse:
    """recorded -> confirmed -> resolved, with a comment (PS-5)."""
    try:
        issue = selectors.one(
            PsIssue, request.user, ps_issue_id, action=ISSUE_STATUS, field="ps_issue_id"
        )
    except DomainError as exc:
        return refused(request, exc)
    plan = issue.plan
    moves = policy.issue_transitions().get(issue.status, [])
    form = IssueStatusForm(request.POST, moves=moves, issue_id=issue.pk)
    again = {"status_issue": issue.pk, "status_form": form}
    if not form.is_valid():
        form_refusal(request, form, ISSUE_STATUS, customer_id=plan.customer_id)
        return plan_page_response(request, plan, partial="issues", status=422, **again)
    try:
        changed = services.change_issue_status(
            issue=issue,
            actor=request.user,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return plan_page_response(request, plan, partial="issues", status=exc.http_status, **again)
    return _section_done(
        request, plan, "issues", f"{changed.title}: {changed.get_status_display().lower()}."
    )


@login_required
@require_POST
def approve_plan(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    """The case manager approves the completed plan (PS-4); a refusal shows the page
    with every unmet condition."""
    try:
        plan = _plan(request, ps_plan_id, APPROVE)
        services.approve_plan(plan=plan, actor=request.user)
    except DomainError as exc:
        if not exc.details:
            return refused(request, exc)
        problems = [_sentence(d.get("message", "")) for d in exc.details]
        return plan_page_response(
            request, plan, partial="approval", status=exc.http_status, problems=problems
        )
    return _section_done(request, plan, "approval", "The plan is approved.")


@login_required
@require_GET
def version_page(request: HttpRequest, ps_plan_id: int, number: int) -> HttpResponse:
    """One kept version of the plan, as it was (PS-4)."""
    try:
        plan, version = selectors_core_pages.plan_version(request.user, ps_plan_id, number)
    except DomainError as exc:
        return refused(request, exc)
    snap = version.snapshot or {}
    classifications = policy.classifications()
    context = {
        "plan": plan,
        "customer": plan.customer,
        "version": version,
        "snap": snap,
        "fields": [(PLAN_LABELS[n], snap.get(n, "")) for n in PLAN_FIELDS],
        "source_name": _names(policy.referral_sources(), snap.get("referral_source") or ""),
        "issues": [
            {**i, "classification_name": _names(classifications, i.get("classification", ""))}
            for i in snap.get("issues", [])
        ],
        "latest": plan.version,
    }
    return render(request, "personalised/plan_version.html", context)
