"""The call screen's working parts: a note in the call, a message or an SMS (CON-8), the
guidelines' advice and the transfer (CON-11). Each form posts here; over htmx the
answer is its slot alone (`#slot-<name>`), else a redirect to the call screen, or the
call screen with the form's errors (422). A refusal writes nothing but its audited
row; a call that ended meanwhile sends the officer back to its summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cma.errors import DomainError

from . import call_slots, policy, selectors, selectors_pages, selectors_slots, services
from .errors import InteractionEnded
from .forms import show_refusal
from .forms_calls import AREA, EXTERNAL
from .models import Interaction, Transfer
from .views import _call_page, refused

NOTE_ALIASES: dict[str, str | None] = {"identity": None}


def call_url(interaction: Interaction, slot: str = "") -> str:
    url = reverse("contact:call", args=[interaction.pk])
    return f"{url}#slot-{slot}" if slot else url


def to_call(request: HttpRequest, interaction_id: int, text: str = "") -> HttpResponse:
    """Back to the call screen (its summary once the call has ended); htmx follows."""
    if text:
        messages.success(request, text)
    url = reverse("contact:call", args=[interaction_id])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def done(
    request: HttpRequest, interaction: Interaction, slot: str, text: str, **extra: object
) -> HttpResponse:
    """The step was taken: its slot again with what happened, or the call screen."""
    if request.htmx:
        context = call_slots.slot_context(slot, request.user, interaction, **extra)
        context["slot_notice"] = text
        return render(request, f"contact/_slot_{slot}.html", context)
    messages.success(request, text)
    return redirect(call_url(interaction, slot))


def ended(request: HttpRequest, interaction_id: int, error: DomainError) -> HttpResponse:
    """The call ended meanwhile (the platform, another tab): say so on its summary."""
    messages.warning(request, f"{error.message[:1].upper()}{error.message[1:]}.")
    return to_call(request, interaction_id)


def again(
    request: HttpRequest,
    interaction: Interaction,
    slot: str,
    given: call_slots.Forms,
    *,
    error: DomainError | None = None,
    status: int = 422,
    **extra: object,
) -> HttpResponse:
    """The form again with its errors (or with what it asked to see, status 200)."""
    if isinstance(error, InteractionEnded):
        return ended(request, interaction.pk, error)
    if request.htmx:
        context = call_slots.slot_context(slot, request.user, interaction, given, **extra)
        return render(request, f"contact/_slot_{slot}.html", context, status=status)
    view = selectors_pages.call_view_of(interaction)
    return _call_page(request, view, slot_forms=given, status=status, **extra)


@login_required
@require_POST
def add_note(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """A note on the customer's notepad, headed by the call's receipt (DOC-3 applies)."""
    try:
        it = selectors.interaction_for(request.user, interaction_id, action="contact.note.added")
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("note", request.user, it, request.POST)
    error = None
    if form.is_valid():
        try:
            services.add_call_note(
                interaction=it,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases=NOTE_ALIASES)
        else:
            return done(request, it, "notes", "Note saved on the customer's notepad.")
    return again(request, it, "notes", {"note": form}, error=error)


@login_required
@require_POST
def leave_message(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """A professional message left on this call (CON-8)."""
    try:
        it = selectors.interaction_for(request.user, interaction_id, action="contact.message.left")
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("message", request.user, it, request.POST)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            message = services.leave_message(
                interaction=it,
                customer=it.customer,
                actor=request.user,
                recipient=data["recipient"],
                template=data["template"],
                extra_text=data["extra_text"],
            )
        except DomainError as exc:
            error = exc
            show_refusal(form, exc, aliases={"customer": None, "customer_id": None})
        else:
            text = f"Message recorded for the {message.get_recipient_display().lower()}."
            return done(request, it, "messages", text)
    return again(request, it, "messages", {"message": form}, error=error)


@login_required
@require_POST
def send_sms(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """An SMS of policy text to the customer's mobile on record; sent once saved."""
    try:
        it = selectors_slots.live_call_for(
            request.user, interaction_id, action="contact.sms.queued"
        )
    except InteractionEnded as exc:
        return ended(request, interaction_id, exc)
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("sms", request.user, it, request.POST)
    if form.is_valid():
        try:
            services.queue_sms(
                customer=it.customer,
                actor=request.user,
                template_code=form.cleaned_data["template_code"],
            )
        except DomainError as exc:
            show_refusal(form, exc, aliases={"customer": None, "to_kind": None, "text": None})
        else:
            return done(request, it, "messages", "SMS sent to the customer's mobile on record.")
    return again(request, it, "messages", {"sms": form})


@login_required
@require_POST
def transfer_advice(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """Where the referral guidelines send the chosen issue: the owner and the reason."""
    action = "contact.transfer.advised"
    try:
        it = selectors_slots.live_call_for(request.user, interaction_id, action=action)
    except InteractionEnded as exc:
        return ended(request, interaction_id, exc)
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("transfer", request.user, it, request.POST)
    # Only the issue matters here: the rest of the form is kept as typed.
    form.is_valid()
    for name in [n for n in form.errors if n != "issue"]:
        del form.errors[name]  # only the issue matters here; the rest stays as typed
    issue = form.cleaned_data.get("issue")
    advice = None
    if not issue:
        form.add_error("issue", "Choose the caller's issue")
    else:
        try:
            advice = selectors_slots.transfer_advice(request.user, it, issue)
        except DomainError as exc:
            show_refusal(form, exc, aliases={"issues": "issue"})
    status = 422 if form.errors else 200
    return again(request, it, "transfer", {"transfer": form}, status=status, advice=advice)


def _transferred(transfer: Transfer, interaction: Interaction) -> str:
    text = f"{interaction.outcome}{' (warm transfer)' if transfer.warm else ''}."
    org = policy.organisations().get(transfer.organisation) if transfer.organisation else None
    if org is not None:
        return f"{text} Stay on the line until it connects to {org.phone}."
    return f"{text} Stay on the line until it connects."


@login_required
@require_POST
def transfer(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """Transfer the call (CON-11); the interaction ends and its summary is shown."""
    try:
        it = selectors.interaction_for(
            request.user, interaction_id, action="contact.call.transferred"
        )
    except DomainError as exc:
        return refused(request, exc)
    form = call_slots.new_form("transfer", request.user, it, request.POST)
    error = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        if kwargs["target"] == AREA:
            kwargs["area_code"] = selectors_slots.advised_area(request.user, it, kwargs["issue"])
        try:
            moved = services.transfer_call(interaction=it, actor=request.user, **kwargs)
        except DomainError as exc:
            error = exc
            aliases: dict[str, str | None] = {
                "issues": "issue",
                "area_code": "issue",
                "team_id": "target",
                "interaction_id": None,
            }
            if kwargs["target"] == EXTERNAL:
                aliases["target"] = "organisation"
            show_refusal(form, exc, aliases=aliases)
        else:
            return to_call(request, it.pk, _transferred(moved, moved.interaction))
    return again(request, it, "transfer", {"transfer": form}, error=error)
