"""Work management: intrays (WRK-1..6), customer locks (CMA-5, CMA-7), escalations (WRK-5).

Ownership is three nullable foreign keys (officer, team, business area) with a check
constraint that exactly one is set, so every owner is a real row and the next-work
query can use one plain index per queue kind.
"""

from ._owned import OwnedMixin
from .intrays import (
    LIVE_STATUSES,
    Escalation,
    Intray,
    IntrayEvent,
    IntrayEventKind,
    IntrayStatus,
)
from .locks import CustomerLock, LockEvent, LockEventKind

__all__ = [
    "LIVE_STATUSES",
    "CustomerLock",
    "Escalation",
    "Intray",
    "IntrayEvent",
    "IntrayEventKind",
    "IntrayStatus",
    "LockEvent",
    "LockEventKind",
    "OwnedMixin",
]
