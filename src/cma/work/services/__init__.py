"""Every write of work management. Import from here: `from cma.work.services import ...`."""

from .bulk import reassign_intrays, versions_of
from .escalations import acknowledge_escalation
from .intrays import (
    assign_intray,
    complete_intray,
    create_follow_up,
    create_intray,
    delete_intray,
    due_date_for,
    start_intray,
)
from .locks import (
    lock_customer,
    record_decision_advice_issued,
    transfer_lock,
    unlock_customer,
)
from .next_work import next_work
from .sweeps import SweepReport, run_sweeps, sweep_auto_unlocks, sweep_escalations

__all__ = [
    "SweepReport",
    "acknowledge_escalation",
    "assign_intray",
    "complete_intray",
    "create_follow_up",
    "create_intray",
    "delete_intray",
    "due_date_for",
    "lock_customer",
    "next_work",
    "reassign_intrays",
    "record_decision_advice_issued",
    "run_sweeps",
    "start_intray",
    "sweep_auto_unlocks",
    "sweep_escalations",
    "transfer_lock",
    "unlock_customer",
    "versions_of",
]
