"""The contact sweep: a "Contact attempt due" intray for each open plan whose next
step has come due (CON-1..CON-4), run by `cma sweep` and `cma worker` through work's
sweep registry (`register()` in ContactConfig.ready).

Idempotent: a plan gets an intray only while it has no live one. One sweep at a time
(a transaction-scoped advisory lock on PostgreSQL; a second concurrent sweep leaves
the work to the first), and the plans it takes are row-locked (SKIP LOCKED), so a
plan being recorded by an officer right now waits for the next run. Each batch is
one transaction with one audit row listing the plans and the intrays raised."""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cma.audit.services import as_step
from cma.errors import DomainError
from cma.work.models import LIVE_STATUSES
from cma.work.services import create_intray
from cma.work.services.raising import RaisingSweep, run_raising_sweep

from .models import ContactPlan

log = logging.getLogger(__name__)

INTRAY_TYPE = "contact-attempt-due"
BATCH = 500
_SWEEP_KEY = 0x434D41_5703  # beside work's own sweep keys


def _due(now: datetime, skip: list[int]) -> list[ContactPlan]:
    live = Q(step_intray__status__in=LIVE_STATUSES)
    return list(
        ContactPlan.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("customer", "owner", "case")
        .filter(closed_at=None, next_due_at__lte=now)
        .exclude(live)
        .exclude(pk__in=skip)
        .order_by("next_due_at", "pk")[:BATCH]
    )


def _raise(plan: ContactPlan) -> int | None:
    """The step intray for one plan, given to its owner; None when the owner may no
    longer take it (left, or lost need-to-know): the plan stays due."""
    try:
        with transaction.atomic(), as_step():
            intray = create_intray(
                customer=plan.customer,
                case=plan.case,
                type_code=INTRAY_TYPE,
                actor=plan.owner,
                owner_user=plan.owner,
                note=f"Contact attempt plan {plan.pk}: the next step is due. "
                "Open the plan to see it.",
                by_system=True,
            )
    except DomainError as exc:
        log.warning("contact sweep: plan %s not raised (%s)", plan.pk, exc.code)
        return None
    plan.step_intray = intray
    plan.save(update_fields=["step_intray"])
    return intray.pk


def raise_due_steps(now: datetime | None = None) -> list[int]:
    """Raise an intray for every due plan step without one. Returns the plan ids."""
    when = now or timezone.now()
    return run_raising_sweep(
        RaisingSweep(
            key=_SWEEP_KEY,
            action="contact.sweep.steps_raised",
            object_type="contact.contactplan",
            reason="contact attempt due",
            rows_name="plans",
            due=lambda skipped: _due(when, skipped),
            raise_one=_raise,
            batch=BATCH,
        )
    )


def register() -> None:
    from cma.work.services.sweeps import register_sweep

    register_sweep("contact-steps", "raised {n} contact attempt step(s)", raise_due_steps)
