"""Endpoints for what happens on a call: notes in the call's context, messages (CON-8),
SMS, transfers (CON-11), the warning, hold and ending (CON-15, CON-12), and the Team
Leader's notifications. Interaction endpoints pass `selectors.interaction_for` first
(only the officer on an open call acts on it; out of scope is 404, audited)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cma.customers import access
from cma.errors import ValidationFailed
from cma.notes.models import Note
from cma.notes.selectors import mask_notes, require_internal
from cma.schemas import ERRORS, PathId

from . import policy, selectors, selectors_calls, services
from .api import call_answer
from .models import ContactPlan, Message, Notification, Sms, Transfer
from .schemas import InteractionOut
from .schemas_calls import (
    CallNoteIn,
    CallNoteOut,
    CallTransferIn,
    EndIn,
    MessageIn,
    MessageOut,
    NotificationOut,
    OrganisationOut,
    SmsIn,
    SmsOut,
    TemplateOut,
    TransferOut,
    WarningIn,
)
from .services.messages import first_name

router = Router(tags=["contact"])


def _note_out(note: Note) -> dict[str, Any]:
    return {
        "id": note.pk,
        "subject": getattr(note, "shown_subject", note.subject),
        "body": getattr(note, "shown_body", note.body),
        "author": note.author.display_name,
        "created_at": note.created_at,
    }


def _message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "interaction_id": message.interaction_id,
        "recipient": message.recipient,
        "template": message.template,
        "text": message.text,
        "at": message.at,
    }


def _notification_out(note: Notification) -> dict[str, Any]:
    return {
        "id": note.pk,
        "kind": note.kind,
        "reason": note.reason,
        "interaction_id": note.interaction_id,
        "receipt": note.interaction.receipt,
        "officer": note.interaction.officer.display_name,
        "created_at": note.created_at,
        "acknowledged_at": note.acknowledged_at,
    }


def _transfer_out(request: HttpRequest, transfer: Transfer) -> dict[str, Any]:
    org = policy.organisations().get(transfer.organisation) if transfer.organisation else None
    return {
        "id": transfer.pk,
        "target": transfer.target,
        "rule": transfer.rule,
        "area": transfer.area.name if transfer.area else None,
        "team": transfer.team.name if transfer.team else None,
        "to_officer": transfer.to_officer.display_name if transfer.to_officer else None,
        "organisation": org.name if org else None,
        "organisation_phone": org.phone if org else None,
        "warm": transfer.warm,
        "at": transfer.at,
        "interaction": call_answer(request, transfer.interaction),
    }


@router.post("/interactions/{interaction_id}/notes", response={201: CallNoteOut, **ERRORS})
def add_call_note(request: HttpRequest, interaction_id: PathId, payload: CallNoteIn):
    """Write a contact note on the customer, in this call's context (its receipt number
    heads the note). Allowed before identity is confirmed: writing discloses nothing.
    Never a phone number or other personal information (CON-5, DOC-3)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.note.added"
    )
    note = services.add_call_note(interaction=interaction, actor=request.user, **payload.dict())
    return Status(201, _note_out(mask_notes(note.customer, [note])[0]))


@router.get("/interactions/{interaction_id}/notes", response={200: list[CallNoteOut], **ERRORS})
def call_notes(request: HttpRequest, interaction_id: PathId):
    """The notes written on this call; on a live call only once the caller's identity is
    confirmed (CON-9)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.notes.viewed"
    )
    return [_note_out(n) for n in selectors_calls.call_notes(request.user, interaction)]


@router.post("/interactions/{interaction_id}/messages", response={201: MessageOut, **ERRORS})
def leave_message(request: HttpRequest, interaction_id: PathId, payload: MessageIn):
    """Record a professional message left on this call for the customer's voicemail, a
    representative, an alternative contact or a third party (CON-8)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.message.left"
    )
    message = services.leave_message(
        interaction=interaction,
        customer=interaction.customer,
        actor=request.user,
        **payload.dict(),
    )
    return Status(201, _message_out(message))


@router.post("/customers/{customer_id}/sms", response={201: SmsOut, **ERRORS})
def queue_sms(request: HttpRequest, customer_id: PathId, payload: SmsIn):
    """Queue an SMS to the customer's mobile on record; it is sent once the request
    commits. Policy text ("pre-call" or a customer message template) or checked text."""
    require_internal(request)
    customer = access.enter(request.user, customer_id, action="contact.sms.queued")
    data = payload.dict()
    plan_id = data.pop("plan_id")
    plan = None
    if plan_id is not None:
        plan = ContactPlan.objects.filter(pk=plan_id, customer=customer).first()
        if plan is None:
            raise ValidationFailed("no such contact plan for this customer", field="plan_id")
    sms: Sms = services.queue_sms(customer=customer, actor=request.user, plan=plan, **data)
    return Status(
        201,
        {
            "id": sms.pk,
            "customer_id": sms.customer_id,
            "template": sms.template,
            "text": sms.text,
            "status": sms.status,
            "to": sms.to.kind,
            "queued_at": sms.queued_at,
        },
    )


@router.post("/interactions/{interaction_id}/transfers", response={201: TransferOut, **ERRORS})
def transfer_call(request: HttpRequest, interaction_id: PathId, payload: CallTransferIn):
    """Transfer the call where the referral guidelines send it, to the owning officer, or
    to a catalogue organisation's public number (CON-11); the interaction ends."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.call.transferred"
    )
    transfer = services.transfer_call(interaction=interaction, actor=request.user, **payload.dict())
    return Status(201, _transfer_out(request, transfer))


@router.post("/interactions/{interaction_id}/warning", response={200: InteractionOut, **ERRORS})
def record_warning(request: HttpRequest, interaction_id: PathId, payload: WarningIn):
    """Record the warning given for aggressive behaviour, before ending the call (CON-15)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.call.warned"
    )
    interaction = services.record_warning(
        interaction=interaction, actor=request.user, behaviour=payload.behaviour
    )
    return call_answer(request, interaction)


@router.post("/interactions/{interaction_id}/hold", response={200: InteractionOut, **ERRORS})
def put_on_hold(request: HttpRequest, interaction_id: PathId):
    """The customer put the call on hold: they are allowed 30 seconds (CON-15)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.call.held"
    )
    return call_answer(request, services.put_on_hold(interaction=interaction, actor=request.user))


@router.post("/interactions/{interaction_id}/end", response={200: InteractionOut, **ERRORS})
def end_interaction(request: HttpRequest, interaction_id: PathId, payload: EndIn):
    """End the call: aggressive only after a recorded warning, against the customer's
    wishes notifies the Team Leader, hold timeout after 30 s, disconnected prompts a
    call-back; an opted-in customer is handed to the survey (CON-15, CON-12, CON-11)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.interaction.ended"
    )
    interaction = services.end_interaction(
        interaction=interaction, actor=request.user, **payload.dict()
    )
    return call_answer(request, interaction)


@router.get("/contact/message-templates", response={200: list[TemplateOut], **ERRORS})
def message_templates(request: HttpRequest):
    """The professional message templates per recipient kind (policy data, CON-8), with
    the text as the caller would leave it."""
    name = first_name(request.user)
    return [
        {
            "code": t.code,
            "recipient": t.recipient,
            "text": t.text,
            "preview": policy.fill(t.text, officer_first_name=name),
        }
        for t in policy.templates().values()
    ]


@router.get("/contact/external-organisations", response={200: list[OrganisationOut], **ERRORS})
def external_organisations(request: HttpRequest):
    """Organisations a call may be transferred to, by their public number (CON-11)."""
    return [vars(o) for o in policy.organisations().values()]


@router.get("/contact/notifications", response={200: list[NotificationOut], **ERRORS})
def notifications(request: HttpRequest):
    """The caller's own notifications as a Team Leader (calls ended against the
    customer's wishes, CON-15), newest first."""
    require_internal(request)
    return [_notification_out(n) for n in selectors_calls.notifications_for(request.user)]


@router.post(
    "/contact/notifications/{notification_id}/acknowledge",
    response={200: NotificationOut, **ERRORS},
)
def acknowledge_notification(request: HttpRequest, notification_id: PathId):
    """Acknowledge one of the caller's own notifications (others' are not found)."""
    require_internal(request)
    # The service re-reads it as the caller's own under a row lock: someone else's, or
    # none, is "not found" (audited) either way.
    note = services.acknowledge_notification(
        notification=Notification(pk=notification_id), actor=request.user
    )
    return _notification_out(note)
