"""Review intrays for indicators and restrictions, created through the work app."""

from datetime import date
from typing import Any

from cma.audit.services import as_step
from cma.customers.models import Customer
from cma.staff.models import User
from cma.work.models import LIVE_STATUSES, Intray
from cma.work.services import complete_intray, create_intray


def open_review(
    *, customer: Customer, type_code: str, actor: User, due_on: date, owner: Any = None, note: str
) -> Intray:
    """A review intray due on the review date, owned by `owner` (else the actor)."""
    with as_step():
        return create_intray(
            customer=customer,
            type_code=type_code,
            actor=actor,
            owner_user=owner or actor,
            due_on=due_on,
            note=note,
            by_system=True,
        )


def close_review(intray_id: int | None, actor: User, outcome: str) -> None:
    """Complete the previous review intray when the reviewer may; otherwise its owner
    completes it (it stays visible in their queue)."""
    if intray_id is None:
        return
    intray = Intray.objects.filter(pk=intray_id, status__in=LIVE_STATUSES).first()
    if intray is not None and actor.has_perm("work.work_intray", intray):
        with as_step():
            complete_intray(intray=intray, actor=actor, outcome=outcome)
