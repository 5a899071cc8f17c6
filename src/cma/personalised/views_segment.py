"""The segment on the plan page (PS-6): the case manager decides it, seeing the
suggestion with its reasons; segment 3 waits for the PS Team Leader, who approves or
rejects it here (the approvals page calls the same service). Over htmx the answer is the
segment section (a refusal as a 422 with every unmet condition), with the versions and
approval sections out of band; else the plan page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from cma.errors import DomainError

from . import selectors, services
from .forms_core import SegmentApprovalForm, SegmentForm
from .models import PsPlan, SegmentDecision
from .views_plan import _section_done, plan_page_response
from .views_referrals import about_the_form, form_refusal, refused

DECIDE = "personalised.segment.decided"
APPROVAL = "personalised.segment.approval"


@login_required
@require_POST
def decide_segment(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    try:
        plan = selectors.one(PsPlan, request.user, ps_plan_id, action=DECIDE, field="ps_plan_id")
    except DomainError as exc:
        return refused(request, exc)
    form = SegmentForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, DECIDE, customer_id=plan.customer_id)
        return plan_page_response(request, plan, partial="segment", status=422, segment_form=form)
    try:
        decision = services.decide_segment(plan=plan, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return plan_page_response(
            request, plan, partial="segment", status=exc.http_status, segment_form=form
        )
    text = (
        f"Segment {decision.decided_segment} proposed: it awaits the PS Team Leader's approval."
        if decision.needs_approval
        else f"Segment {decision.decided_segment} recorded in the plan."
    )
    return _section_done(request, plan, "segment", text)


@login_required
@require_POST
def approve_segment(request: HttpRequest, segment_decision_id: int) -> HttpResponse:
    try:
        decision = selectors.one(
            SegmentDecision,
            request.user,
            segment_decision_id,
            action=APPROVAL,
            field="segment_decision_id",
        )
    except DomainError as exc:
        return refused(request, exc)
    plan = decision.plan
    form = SegmentApprovalForm(request.POST)
    if not form.is_valid():
        form_refusal(request, form, APPROVAL, customer_id=plan.customer_id)
        return plan_page_response(request, plan, partial="segment", status=422, approval_form=form)
    try:
        done = services.approve_segment(
            decision=decision,
            actor=request.user,
            approve=form.cleaned_data["approve"] == "yes",
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        if not about_the_form(exc):
            return refused(request, exc)
        form.apply_refusal(exc)
        return plan_page_response(
            request, plan, partial="segment", status=exc.http_status, approval_form=form
        )
    text = (
        "Segment 3 approved: it is the plan's segment."
        if done.approval == "approved"
        else "Segment 3 not approved."
    )
    return _section_done(request, plan, "segment", text)
