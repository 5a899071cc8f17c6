"""The decision services: each one transaction and one audit row."""

from .drafting import create_decision, mark_ready, update_decision
from .explaining import record_explanation
from .finalising import finalise, notify

__all__ = [
    "create_decision",
    "finalise",
    "mark_ready",
    "notify",
    "record_explanation",
    "update_decision",
]
