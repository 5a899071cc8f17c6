"""Every write of the contact app (services) — one transaction and one audit row each."""

from .attempts import record_attempt
from .identity import confirm_identity, dispute_identity
from .interactions import open_interaction
from .phones import record_phone_number, remove_phone_number
from .plans import cancel_plan, create_plan, issue_plan_letter
from .telephony import receive_event

__all__ = [
    "cancel_plan",
    "confirm_identity",
    "create_plan",
    "dispute_identity",
    "issue_plan_letter",
    "open_interaction",
    "receive_event",
    "record_attempt",
    "record_phone_number",
    "remove_phone_number",
]
