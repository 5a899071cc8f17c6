"""Every write of the contact app (services) — one transaction and one audit row each."""

from .attempts import record_attempt
from .call_notes import add_call_note
from .ending import (
    acknowledge_notification,
    end_interaction,
    put_on_hold,
    record_warning,
)
from .identity import confirm_identity, dispute_identity
from .interactions import open_interaction
from .messages import leave_message
from .phones import record_phone_number, remove_phone_number
from .plans import cancel_plan, create_plan, issue_plan_letter
from .sms import deliver, queue_sms, record_delivery_status, send_queued
from .telephony import receive_event
from .transfers import transfer_call

__all__ = [
    "acknowledge_notification",
    "add_call_note",
    "cancel_plan",
    "confirm_identity",
    "create_plan",
    "deliver",
    "dispute_identity",
    "end_interaction",
    "issue_plan_letter",
    "leave_message",
    "open_interaction",
    "put_on_hold",
    "queue_sms",
    "receive_event",
    "record_attempt",
    "record_delivery_status",
    "record_phone_number",
    "record_warning",
    "remove_phone_number",
    "send_queued",
    "transfer_call",
]
