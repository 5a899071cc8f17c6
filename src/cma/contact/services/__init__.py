"""Every write of the contact app (services) — one transaction and one audit row each."""

from .identity import confirm_identity, dispute_identity
from .interactions import open_interaction
from .phones import record_phone_number, remove_phone_number
from .telephony import receive_event

__all__ = [
    "confirm_identity",
    "dispute_identity",
    "open_interaction",
    "receive_event",
    "record_phone_number",
    "remove_phone_number",
]
