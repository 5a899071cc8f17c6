"""A PS Team Leader's approvals (PS-3, PS-6, PS-9, PS-10): segment 3 decisions and
reallocation requests (decided through the core PS pages), face-to-face requests,
Service Centre Manager notices and UQ140.01 skips, decided here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record_refusal
from cma.errors import DomainError, NotFound
from cma.staff.models import Role

from . import contact_policy, policy
from . import selectors_pages as pages
from .errors import PsRefused
from .forms_contact import DecideForm
from .services import face_to_face, ps_letters
from .views_contact import refused
from .views_finalisation import decision_forms


def _page(
    request: HttpRequest,
    bound: dict[str, DecideForm] | None = None,
    status: int = 200,
    fin_forms: dict[int, Any] | None = None,
) -> HttpResponse:
    found = pages.approvals(request.user) if status == 200 else pages.approvals_unaudited()
    forms = bound or {}
    names = {p.code: p.name for p in contact_policy.face_to_face_locations()}
    reasons = policy.finalisation_reasons()
    for f in found.finalisations:
        found_reason = reasons.get(f.basis)
        f.basis_name = found_reason.name if found_reason else f.basis  # type: ignore[attr-defined]
    for m in found.meetings:
        m.location_name = names.get(m.location_kind, m.location_kind)  # type: ignore[attr-defined]
    context = {
        "queue": found,
        "meeting_forms": [
            (m, forms.get(f"meet{m.pk}") or DecideForm(auto_id=f"id_meet{m.pk}_%s"))
            for m in found.meetings
        ],
        "skip_forms": [
            (s, forms.get(f"skip{s.pk}") or DecideForm(auto_id=f"id_skip{s.pk}_%s"))
            for s in found.skips
        ],
        "finalisation_forms": decision_forms(found.finalisations, fin_forms),
    }
    return render(request, "personalised/approvals.html", context, status=status)


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request)
    except DomainError as exc:
        return refused(request, exc)


def _decide(request: HttpRequest, key: str, action: str, load, decide) -> HttpResponse:  # type: ignore[no-untyped-def]
    form = DecideForm(request.POST, auto_id=f"id_{key}_%s")
    try:
        target = load()
    except DomainError as exc:
        return refused(request, exc)
    try:
        if not form.is_valid():
            problems = [(f, str(e[0])) for f, e in form.errors.items()]
            error = PsRefused.from_problems("check the form", problems)
            record_refusal(
                actor=request.user, action=action, error=error, customer_id=target.plan.customer_id
            )
            raise error
        decide(target, form.cleaned_data["decision"] == "yes", form.cleaned_data["comment"])
    except DomainError as exc:
        if isinstance(exc, NotFound) or request.user.role != Role.PS_TEAM_LEADER:
            # Only a PS Team Leader has the queue to show again.
            return refused(request, exc)
        if not form.errors:
            form.apply_refusal(exc)
        return _page(request, {key: form}, status=exc.http_status)
    messages.success(request, "Decision recorded.")
    return redirect("personalised:approvals")


@login_required
@require_POST
def decide_meeting(request: HttpRequest, meeting_id: int, move: str) -> HttpResponse:
    if move == "decide":
        action = "personalised.face-to-face.decided"
        return _decide(
            request,
            f"meet{meeting_id}",
            action,
            lambda: pages.meeting_for(request.user, meeting_id, action=action),
            lambda m, yes, comment: face_to_face.decide_face_to_face(
                meeting=m, actor=request.user, approve=yes, comment=comment
            ),
        )
    if move != "notify":
        raise Http404("no such step")
    action = "personalised.face-to-face.scm-notified"
    try:
        meeting = pages.meeting_for(request.user, meeting_id, action=action)
        face_to_face.notify_service_centre_manager(meeting=meeting, actor=request.user)
    except DomainError as exc:
        return refused(request, exc)
    messages.success(request, "The Service Centre Manager is notified.")
    return redirect("personalised:approvals")


@login_required
@require_POST
def decide_skip(request: HttpRequest, skip_id: int) -> HttpResponse:
    action = "personalised.letter-skip.decided"
    return _decide(
        request,
        f"skip{skip_id}",
        action,
        lambda: pages.skip_for(request.user, skip_id, action=action),
        lambda s, yes, comment: ps_letters.decide_letter_skip(
            skip=s, actor=request.user, agree=yes, comment=comment
        ),
    )
