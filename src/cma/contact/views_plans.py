"""The call screen's contact-attempt plan (CON-1..CON-6): start a plan for a purpose,
record this call as an attempt, send the plan's pre-call SMS, issue its MX0-1 or MX1-1
letter. As the other slots: over htmx the answer is the slot alone (`#slot-plan`),
else a redirect to the call screen or the screen with the form's errors (422)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cma import formats
from cma.errors import DomainError, ValidationFailed

from . import call_slots, selectors_slots, services
from .errors import InteractionEnded
from .forms import show_refusal
from .forms_plans import PlanStepForm
from .models import Channel, NumberType
from .views import refused
from .views_calls import again, call_url, done, ended

ATTEMPT_ALIASES: dict[str, str | None] = {"channel": None, "party": None, "interaction_id": None}


def _live(request: HttpRequest, interaction_id: int, action: str):
    """The officer's own live call, or the answer that refuses it."""
    try:
        return selectors_slots.live_call_for(request.user, interaction_id, action=action), None
    except InteractionEnded as exc:
        return None, ended(request, interaction_id, exc)
    except DomainError as exc:
        return None, refused(request, exc)


@login_required
@require_POST
def create_plan(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """Start the attempts owed for an outbound purpose; its first step is shown."""
    it, answer = _live(request, interaction_id, "contact.plan.created")
    if it is None:
        return answer
    form = call_slots.new_form("plan", request.user, it, request.POST)
    if form.is_valid():
        try:
            services.create_plan(customer=it.customer, actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            show_refusal(form, exc, aliases={"case_id": None, "subject": None})
        else:
            return done(request, it, "plan", "Contact-attempt plan started.")
    return again(request, it, "plan", {"plan": form})


def _plan(request: HttpRequest, it, form, action: str):
    """The plan the form names, of the call's customer (404, audited, otherwise)."""
    return selectors_slots.plan_on_call(request.user, it, form.cleaned_data["plan"], action=action)


@login_required
@require_POST
def record_attempt(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """This call as an attempt of the plan: outcome and number type (CON-5)."""
    action = "contact.attempt.recorded"
    it, answer = _live(request, interaction_id, action)
    if it is None:
        return answer
    form = call_slots.new_form("attempt", request.user, it, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = _plan(request, it, form, action)
            attempt = services.record_attempt(
                plan=plan,
                actor=request.user,
                channel=it.channel,
                number_type=data["number_type"],
                outcome=data["outcome"],
                party=it.party,
                interaction=it,
                non_preferred_reason=data["non_preferred_reason"],
            )
        except DomainError as exc:
            show_refusal(form, exc, aliases=ATTEMPT_ALIASES)
        else:
            it.plan_id = attempt.plan_id
            text = f"Attempt recorded: {attempt.get_outcome_display().lower()}."
            return done(request, it, "plan", text)
    return again(request, it, "plan", {"attempt": form})


def _step_refused(request: HttpRequest, it, exc: DomainError) -> HttpResponse:
    text = f"{exc.message[:1].upper()}{exc.message[1:]}."
    details = getattr(exc, "details", None) or []
    text += "".join(f" {d['message'][:1].upper()}{d['message'][1:]}." for d in details)
    if not request.htmx:
        messages.warning(request, text)
        return redirect(call_url(it, "plan"))
    context = call_slots.slot_context("plan", request.user, it, plan_error=text)
    return render(request, "contact/_slot_plan.html", context, status=422)


@login_required
@require_POST
def send_plan_sms(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The plan's pre-call SMS (CON-3): recorded as its attempt and sent on commit."""
    action = "contact.attempt.recorded"
    it, answer = _live(request, interaction_id, action)
    if it is None:
        return answer
    form = PlanStepForm(request.POST)
    if not form.is_valid():
        return _step_refused(request, it, ValidationFailed("choose the plan"))
    try:
        services.record_attempt(
            plan=_plan(request, it, form, action),
            actor=request.user,
            channel=Channel.SMS,
            number_type=NumberType.MOBILE,
            outcome="sms-sent",
        )
    except DomainError as exc:
        return _step_refused(request, it, exc)
    return done(request, it, "plan", "Pre-call SMS sent to the customer's mobile.")


@login_required
@require_POST
def issue_plan_letter(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The plan's letter: MX0-1 instead of the first call (CON-2), MX1-1 when the
    attempts failed (CON-4)."""
    action = "contact.plan.letter_issued"
    it, answer = _live(request, interaction_id, action)
    if it is None:
        return answer
    form = PlanStepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("template"):
        return _step_refused(request, it, ValidationFailed("choose the plan and its letter"))
    try:
        letter = services.issue_plan_letter(
            plan=_plan(request, it, form, action),
            actor=request.user,
            template=form.cleaned_data["template"],
        )
    except DomainError as exc:
        return _step_refused(request, it, exc)
    due = f", response due {formats.day(letter.response_due_on)}" if letter.response_due_on else ""
    return done(request, it, "plan", f"{letter.template_code} letter issued{due}.")
