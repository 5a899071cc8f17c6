"""The call screen's collection forms post here: Minimum Collection Activity per case, a
payee's lead and what they were told, a presenting issue and a service referral. Over
htmx the answer is the section alone (`#section-<name>`, 422 with the form's errors,
swapped like a 200); without JavaScript a redirect to the call screen, or the section on
a page of its own with the errors (422). Each meets the one door first
(`contact.selectors.interaction_for`); a refusal writes only its audited row."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cma.contact import selectors as contact_selectors
from cma.contact.errors import InteractionEnded
from cma.contact.forms import show_refusal
from cma.contact.models import Interaction
from cma.contact.sections import section_named
from cma.contact.views import refused
from cma.contact.views_calls import ended
from cma.errors import DomainError

from . import sections, services
from .forms import LeadForm, McaForm, PayeeUpdateForm, ReferralForm
from .models import MCA_TOPICS, McaOutcome

ALIASES: dict[str, str | None] = {"identity": None, "interaction_id": None}
BUILD = {sections.MCA: sections.mca_context, sections.ISSUES: sections.issues_context}


def _answer(
    request: HttpRequest,
    it: Interaction,
    name: str,
    *,
    given: dict[str, forms.Form] | None = None,
    notice: str = "",
    error: DomainError | None = None,
) -> HttpResponse:
    if isinstance(error, InteractionEnded):
        return ended(request, it.pk, error)
    status = 422 if given else 200
    section = section_named(name)
    # What the form read before the write is stale now: read the call's records again.
    it.__dict__.pop("_collection", None)
    data: dict[str, Any] = BUILD[name](request.user, it, given)
    data["section_notice"] = notice
    context = {"section": section, "data": data}
    if request.htmx:
        return render(request, section.template, context, status=status)
    if status == 200:
        messages.success(request, notice)
        return redirect(reverse("contact:call", args=[it.pk]) + f"#section-{name}")
    return render(request, "collection/section_page.html", context, status=status)


def _call(request: HttpRequest, interaction_id: int, action: str) -> Interaction:
    return contact_selectors.interaction_for(request.user, interaction_id, action=action)


def _payee_cases(it: Interaction) -> list[tuple[int, str]]:
    return sections.case_choices(sections.call_collection(it), payee_only=True)


@login_required
@require_POST
def record_mca(request: HttpRequest, interaction_id: int, case_id: int) -> HttpResponse:
    """Minimum Collection Activity for one of the customer's cases (CMA-1)."""
    try:
        it = _call(request, interaction_id, "collection.mca.recorded")
    except DomainError as exc:
        return refused(request, exc)
    form = McaForm(request.POST, case_pk=case_id)
    error = None
    if form.is_valid():
        outcomes = {t: form.cleaned_data[t] for t in MCA_TOPICS}
        try:
            record = services.record_mca(
                interaction=it, actor=request.user, case_id=case_id, outcomes=outcomes
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases={**ALIASES, "case_id": None})
        else:
            text = f"Minimum Collection Activity recorded for case {record.case.case_number}."
            if record.follow_up_intray_id and McaOutcome.FOLLOW_UP in outcomes.values():
                text += " A follow-up intray was created for you."
            return _answer(request, it, sections.MCA, notice=text)
    return _answer(request, it, sections.MCA, given={f"mca-{case_id}": form}, error=error)


@login_required
@require_POST
def record_lead(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """A payee's collection lead, in structured fields, routed to its area (CMA-2)."""
    try:
        it = _call(request, interaction_id, "collection.lead.recorded")
    except DomainError as exc:
        return refused(request, exc)
    form = LeadForm(request.POST, cases=_payee_cases(it))
    error = None
    if form.is_valid():
        try:
            lead = services.record_lead(interaction=it, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=ALIASES)
        else:
            text = f"Lead recorded and routed to {lead.area.name} with an intray."
            return _answer(request, it, sections.MCA, notice=text)
    return _answer(request, it, sections.MCA, given={"lead": form}, error=error)


@login_required
@require_POST
def record_payee_update(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """What the payee was told (CMA-2)."""
    try:
        it = _call(request, interaction_id, "collection.payee.updated")
    except DomainError as exc:
        return refused(request, exc)
    form = PayeeUpdateForm(request.POST, cases=_payee_cases(it))
    error = None
    if form.is_valid():
        try:
            services.record_payee_update(interaction=it, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=ALIASES)
        else:
            return _answer(request, it, sections.MCA, notice="What the payee was told is recorded.")
    return _answer(request, it, sections.MCA, given={"update": form}, error=error)


@login_required
@require_POST
def raise_issue(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """A presenting issue: resolved now (common) or routed as the guidelines advise."""
    try:
        it = _call(request, interaction_id, "collection.issue.raised")
    except DomainError as exc:
        return refused(request, exc)
    form = sections.issue_form(it, request.POST)
    error = None
    if form.is_valid():
        try:
            issue = services.raise_issue(interaction=it, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=ALIASES)
        else:
            if issue.intray_id:
                text = f"{issue.kind_name}: routed to {issue.owner_label} with an intray."
            else:
                text = f"{issue.kind_name}: resolved on this call."
            return _answer(request, it, sections.ISSUES, notice=text)
    return _answer(request, it, sections.ISSUES, given={"issue": form}, error=error)


@login_required
@require_POST
def refer(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """A service referral for a non-child-support issue, with consent (CMA-4)."""
    try:
        it = _call(request, interaction_id, "collection.issue.referred")
    except DomainError as exc:
        return refused(request, exc)
    form = ReferralForm(request.POST)
    error = None
    if form.is_valid():
        try:
            issue = services.refer_externally(
                interaction=it, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=ALIASES)
        else:
            text = f"Referral recorded: give the customer {issue.owner_label}."
            return _answer(request, it, sections.ISSUES, notice=text)
    return _answer(request, it, sections.ISSUES, given={"referral": form}, error=error)
