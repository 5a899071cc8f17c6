"""The plan's contact page (PS-7..PS-11): the first-contact checklist, what followed the
contact, follow-up contacts, the PS letters and the UQ140.01 skip, options and the
face-to-face request and booking. Each form posts to its step; a refusal comes back
(422) beside the fields it names, with nothing written but its audit row."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.audit.services import record_refusal
from cma.customers.access import RestrictedRecord
from cma.errors import DomainError, NotFound
from cma.web.views_access import restricted_page

from . import contact_policy
from . import selectors_pages as pages
from .errors import PsRefused
from .forms_contact import (
    AfterContactForm,
    BookForm,
    DiscussionForm,
    FaceToFaceForm,
    FollowUpForm,
    LetterForm,
    OptionForm,
    SkipForm,
    StartForm,
)
from .models import FaceToFaceState, PsPlan
from .services import after_contact, face_to_face, first_contact, options, ps_letters


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, RestrictedRecord):
        return restricted_page(request, exc.notice)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _forms() -> dict[str, forms.Form]:
    return {
        "start": StartForm(),
        "discussion": DiscussionForm(),
        "after": AfterContactForm(),
        "follow_up": FollowUpForm(),
        "letter": LetterForm(),
        "skip": SkipForm(),
        "option": OptionForm(),
        "meeting": FaceToFaceForm(),
        "book": BookForm(),
    }


def _page(
    request: HttpRequest,
    view: dict[str, Any],
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    warnings: list[str] | None = None,
) -> HttpResponse:
    found = _forms()
    found.update(bound or {})
    fc = view["first_contact"]
    if fc is not None and "discussion" not in (bound or {}):
        found["discussion"] = DiscussionForm(
            initial={
                "items_done": fc.items_done,
                "summary": fc.summary,
                "summary_acknowledged": fc.summary_acknowledged,
                "next_contact_at": fc.next_contact_at.strftime("%Y-%m-%d %H:%M")
                if fc.next_contact_at
                else "",
            }
        )
    meetings = view["meetings"]
    context = {
        **view,
        "forms": found,
        "checklist": first_contact.checklist(fc) if fc else [],
        "bookable": next((m for m in meetings if m.state == FaceToFaceState.APPROVED), None),
        "open_meeting": next(
            (
                m
                for m in meetings
                if m.state in (FaceToFaceState.REQUESTED, FaceToFaceState.APPROVED)
            ),
            None,
        ),
        "locations": {p.code: p.name for p in contact_policy.face_to_face_locations()},
        "option_names": contact_policy.names(contact_policy.option_kinds()),
        "is_case_manager": view["plan"].case_manager_id == request.user.pk,
        "warnings": warnings or [],
        "skippable": contact_policy.letters().get("skippable"),
    }
    return render(request, "personalised/contact.html", context, status=status)


@login_required
@require_GET
def contact_page(request: HttpRequest, ps_plan_id: int) -> HttpResponse:
    try:
        view = pages.contact_page(request.user, ps_plan_id)
    except DomainError as exc:
        return refused(request, exc)
    return _page(request, view)


def _start(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    _, warnings = first_contact.start_first_contact(
        plan=plan, actor=request.user, channel=data["channel"]
    )
    for warning in warnings:
        messages.warning(request, warning)
    return "The restricted-service check is done. Record the discussion."


def _first(plan: PsPlan) -> Any:
    fc = plan.first_contacts.order_by("-recorded_at", "-pk").first()
    if fc is None:
        raise PsRefused.from_problems(
            "there is no first contact yet", [(None, "start the first contact first")]
        )
    return fc


def _discussion(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    first_contact.record_discussion(
        first_contact=_first(plan),
        actor=request.user,
        items_done=data["items_done"],
        summary=data["summary"],
        summary_acknowledged=data["summary_acknowledged"],
        next_contact_at=data["next_contact_at"],
    )
    return "The discussion is saved."


def _complete(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    first_contact.complete_first_contact(first_contact=_first(plan), actor=request.user)
    return "The first contact is complete; the mandatory issues discussed are confirmed."


def _after(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    after_contact.record_after_contact(
        plan=plan,
        actor=request.user,
        products_services=data["products_services"],
        follow_up_type=data["follow_up_type"],
        follow_up_note=data["follow_up_note"],
        customer_view=data["customer_view"],
        agreed_actions=data["agreed_actions"],
        agreed_contact_times=data["agreed_contact_times"],
        approve_plan=data["approve_plan"],
        sensitive_kind=data["sensitive_kind"],
        sensitive_reason=data["sensitive_reason"],
        sensitive_review_on=data["sensitive_review_on"],
        security_incident=data["security_incident"],
        special_contact_details=data["special_contact_details"],
    )
    return "Recorded: the follow-up intray is raised and the referral intray deleted."


def _follow_up(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    after_contact.record_follow_up_contact(
        plan=plan,
        actor=request.user,
        subject=data["subject"],
        body=data["body"],
        channel=data["channel"],
        next_contact_at=data["next_contact_at"],
    )
    return "The follow-up contact is in the PS stacking document."


def _letter(request: HttpRequest, plan: PsPlan, data: dict[str, Any], form: Any) -> str:
    letter = ps_letters.issue_ps_letter(
        plan=plan, actor=request.user, letter=data["letter"], fields=form.letter_fields()
    )
    return f"{letter.template_code} issued, signed by you."


def _skip(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    ps_letters.request_letter_skip(plan=plan, actor=request.user, reason=data["reason"])
    return "Sent to the PS Team Leader for agreement."


def _option(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    options.record_option(
        plan=plan, actor=request.user, kind=data["kind"], description=data["description"]
    )
    return "The option is recorded in the plan."


def _meeting(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    face_to_face.request_face_to_face(plan=plan, actor=request.user, **data)
    return "The face-to-face request is with the PS Team Leader."


def _book(request: HttpRequest, plan: PsPlan, data: dict[str, Any]) -> str:
    meeting = plan.face_to_faces.order_by("-requested_at", "-pk").first()
    if meeting is None:
        raise PsRefused.from_problems(
            "nothing to book", [(None, "request a face-to-face meeting first")]
        )
    face_to_face.book_face_to_face(
        meeting=meeting, actor=request.user, meeting_at=data["meeting_at"]
    )
    return "The face-to-face meeting is booked."


Handler = Callable[..., str]
STEPS: dict[str, tuple[str, type[forms.Form], Handler, str]] = {
    "first-contact": ("start", StartForm, _start, "personalised.first-contact.started"),
    "discussion": (
        "discussion",
        DiscussionForm,
        _discussion,
        "personalised.first-contact.discussed",
    ),
    "complete": ("discussion", forms.Form, _complete, "personalised.first-contact.completed"),
    "after-contact": ("after", AfterContactForm, _after, "personalised.after-contact.recorded"),
    "follow-up": ("follow_up", FollowUpForm, _follow_up, "personalised.follow-up-contact.recorded"),
    "letter": ("letter", LetterForm, _letter, "personalised.letter.issued"),
    "letter-skip": ("skip", SkipForm, _skip, "personalised.letter-skip.requested"),
    "option": ("option", OptionForm, _option, "personalised.option.recorded"),
    "face-to-face": ("meeting", FaceToFaceForm, _meeting, "personalised.face-to-face.requested"),
    "book": ("book", BookForm, _book, "personalised.face-to-face.booked"),
}


@login_required
@require_POST
def contact_step(request: HttpRequest, ps_plan_id: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("no such step")
    key, form_class, handler, action = STEPS[step]
    try:
        plan = pages.plan_for(request.user, ps_plan_id, action=action)
    except DomainError as exc:
        return refused(request, exc)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            problems = [(f if f != "__all__" else None, str(e[0])) for f, e in form.errors.items()]
            error = PsRefused.from_problems("check the form", problems)
            record_refusal(
                actor=request.user, action=action, error=error, customer_id=plan.customer_id
            )
            raise error
        data = form.cleaned_data
        done = (
            handler(request, plan, data, form)
            if handler is _letter
            else handler(request, plan, data)
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            return refused(request, exc)
        if hasattr(form, "apply_refusal") and form.is_bound and not form.errors:
            form.apply_refusal(exc)
        view = pages.contact_view(plan)
        bound: dict[str, forms.Form] = {key: form} if hasattr(form, "apply_refusal") else {}
        problems = [d["message"] for d in exc.details] or [exc.message]  # type: ignore[list-item]
        return _page(
            request, {**view, "problems": [] if bound else problems}, bound, status=exc.http_status
        )
    messages.success(request, done)
    return redirect(f"/ps/plans/{plan.pk}/contact/#{key}")
