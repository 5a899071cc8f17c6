"""Ending a call from the call screen (CON-15, CON-12, CON-11): the warning given, the
customer's hold, and the end itself, after which the call screen is its read-only
summary. And the Team Leader's notifications of calls ended against the customer's
wishes, which they acknowledge (CON-15)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cma.errors import DomainError, NotFound

from . import call_slots, policy, selectors, selectors_calls, services
from .errors import InteractionEnded
from .forms import show_refusal
from .models import EndReason, Interaction, Notification
from .services.ending import warning_text
from .views import refused
from .views_calls import again, call_url, done, ended, to_call

END_ALIASES: dict[str, str | None] = {"interaction_id": None}


@login_required
@require_POST
def record_warning(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The warning given for aggressive behaviour, before such a call may be ended."""
    try:
        it = selectors.interaction_for(request.user, interaction_id, action="contact.call.warned")
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("warning", request.user, it, request.POST)
    error = None
    if form.is_valid():
        try:
            it = services.record_warning(
                interaction=it, actor=request.user, behaviour=form.cleaned_data["behaviour"]
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=END_ALIASES)
        else:
            return done(request, it, "end", f"Warning recorded: “{warning_text(it.warning)}”")
    return again(request, it, "end", {"warning": form}, error=error)


@login_required
@require_POST
def put_on_hold(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The customer put the call on hold: the seconds allowed start now."""
    try:
        it = selectors.interaction_for(request.user, interaction_id, action="contact.call.held")
    except DomainError as exc:
        return refused(request, exc)
    try:
        it = services.put_on_hold(interaction=it, actor=request.user)
    except InteractionEnded as exc:
        return ended(request, it.pk, exc)
    except DomainError as exc:
        text = f"{exc.message[:1].upper()}{exc.message[1:]}."
        if not request.htmx:
            messages.warning(request, text)
            return redirect(call_url(it, "end"))
        context = call_slots.slot_context("end", request.user, it, hold_error=text)
        return render(request, "contact/_slot_end.html", context, status=422)
    seconds = policy.call_hold_seconds()
    text = (
        f"On hold. Allow the customer {seconds} seconds to come back; if they do not, "
        "end the call as not returned from hold."
    )
    return done(request, it, "end", text)


def _ended(it: Interaction) -> str:
    """What ending set going, in words for the officer."""
    if it.end_reason == EndReason.AGAINST_WISHES:
        return "Call ended. Your Team Leader has been notified, with your reason."
    if it.end_reason == EndReason.DISCONNECTED:
        return "Call disconnected: call the customer back now."
    if it.end_reason == EndReason.AGGRESSIVE:
        return "Call ended after the warning. Discuss it with your Team Leader."
    if it.end_reason == EndReason.HOLD_TIMEOUT:
        return "Call ended: the customer did not come back from hold. They must ring again."
    if it.survey_handed_over:
        return (
            f"Call ended. The customer was handed to the post-call survey ({policy.survey().name})."
        )
    return "Call ended."


@login_required
@require_POST
def end_call(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """End the call for a reason; then the call screen is its summary."""
    try:
        it = selectors.interaction_for(
            request.user, interaction_id, action="contact.interaction.ended"
        )
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("end", request.user, it, request.POST)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            it = services.end_interaction(
                interaction=it,
                actor=request.user,
                reason=data["reason"],
                outcome=data["outcome"],
                wishes_reason=data["wishes_reason"],
                override_reason=data["override_reason"],
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=END_ALIASES)
        else:
            return to_call(request, it.pk, _ended(it))
    return again(request, it, "end", {"end": form}, error=error)


# --- The Team Leader's notifications ----------------------------------------------


def _require_leader(request: HttpRequest) -> None:
    if not request.user.has_perm("contact.view_notifications"):
        raise PermissionDenied("only Team Leaders receive call notifications")


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The leader's own notifications, newest first; open ones to acknowledge."""
    _require_leader(request)
    found = selectors_calls.notifications_for(request.user)
    return render(request, "contact/notifications.html", {"notifications": found})


@login_required
@require_POST
def acknowledge(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Acknowledge one of the leader's own notifications (anyone else's is not found)."""
    _require_leader(request)
    error = ""
    try:
        note = services.acknowledge_notification(
            notification=Notification(pk=notification_id), actor=request.user
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        error = f"{exc.message[:1].upper()}{exc.message[1:]}."
        found = selectors_calls.notification_of(request.user, notification_id)
        if found is None:
            raise Http404("no such notification") from None
        note = found
    if request.htmx:
        context = {"note": note, "row_notice": error or "Acknowledged."}
        return render(
            request, "contact/notifications.html#row", context, status=422 if error else 200
        )
    if error:
        messages.warning(request, error)
    else:
        messages.success(request, f"Notification for call {note.interaction.receipt} acknowledged.")
    return redirect("contact:notifications")
