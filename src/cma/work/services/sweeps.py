"""Periodic sweeps: record auto-unlocks (CMA-7) and escalate overdue work (WRK-5).

Correctness never waits for these: an expired lock is already inactive. The sweeps
*record* what happened, idempotently and in sets. Each batch is one transaction: the
oldest rows (by expiry or due date) are updated, their event rows inserted, and one
audit row lists the ids touched. The UPDATE re-checks its condition on rows a user
changed meanwhile (so nothing is recorded twice), and an advisory lock keeps a second
sweep of the same kind from duplicating the work. On PostgreSQL a batch is one
statement (data-modifying CTEs); elsewhere a few ORM statements under SQLite's
single-writer lock.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cma.audit.services import record
from cma.customers.models import agency_today
from cma.staff.models import Team

from ..models import LIVE_STATUSES, CustomerLock, Escalation, Intray, LockEvent, LockEventKind

DEFAULT_BATCH = 50_000
# One sweep of each kind at a time (transaction-scoped advisory locks): a second
# concurrent sweep finds the lock taken and leaves the work to the first. Users are
# never blocked by this; the UPDATE re-checks each row if a user changed it meanwhile.
_UNLOCK_KEY = 0x434D41_5701
_ESCALATE_KEY = 0x434D41_5702
_EXPIRED_REASON = "auto-unlock after decision advice"

# A batch is the next `batch` qualifying rows in key order, between the previous
# batch's last key and this one's (read from the partial index), so the UPDATE is one
# pass like a bare UPDATE (no join against a list of ids) and no batch rescans the
# rows an earlier one already did. A row a user changed meanwhile is re-checked by
# PostgreSQL on its newest version and skipped if it no longer qualifies.
_UNLOCK_CUT = """
SELECT expires_at, id FROM work_customerlock
WHERE released_at IS NULL AND expires_at IS NOT NULL AND expires_at <= %(now)s
  AND (%(lo_at)s IS NULL OR (expires_at, id) > (%(lo_at)s, %(lo_id)s))
ORDER BY expires_at, id OFFSET %(skip)s LIMIT 1
"""
_ESCALATE_CUT = """
SELECT due_on, id FROM work_intray
WHERE status IN ('open', 'in_progress') AND escalated_at IS NULL AND due_on < %(today)s
  AND (%(lo_at)s IS NULL OR (due_on, id) > (%(lo_at)s, %(lo_id)s))
ORDER BY due_on, id OFFSET %(skip)s LIMIT 1
"""
_LAST_ID = 2**63 - 1

_UNLOCK_SQL = """
WITH expired AS (
  UPDATE work_customerlock l
  SET released_at = l.expires_at, release_kind = 'expired', release_reason = %(reason)s
  WHERE l.released_at IS NULL AND l.expires_at IS NOT NULL AND l.expires_at <= %(now)s
    AND (l.expires_at, l.id) <= (%(cut_at)s, %(cut_id)s)
    AND (%(lo_at)s IS NULL OR (l.expires_at, l.id) > (%(lo_at)s, %(lo_id)s))
  RETURNING l.id, l.customer_id, l.expires_at,
    CASE WHEN l.owner_user_id IS NOT NULL THEN 'user:' || l.owner_user_id
         WHEN l.owner_team_id IS NOT NULL THEN 'team:' || l.owner_team_id
         ELSE 'area:' || l.owner_area_id END AS owner
), ev AS (
  INSERT INTO work_lockevent (lock_id, customer_id, kind, at, actor_id, owner, text)
  SELECT id, customer_id, 'auto_unlocked', expires_at, NULL, owner, '' FROM expired
)
SELECT count(*), coalesce(array_agg(id ORDER BY id), '{}') FROM expired
"""

_ESCALATE_SQL = """
WITH due AS (
  UPDATE work_intray i SET escalated_at = %(now)s
  WHERE i.status IN ('open', 'in_progress') AND i.escalated_at IS NULL
    AND i.due_on < %(today)s AND (i.due_on, i.id) <= (%(cut_at)s, %(cut_id)s)
    AND (%(lo_at)s IS NULL OR (i.due_on, i.id) > (%(lo_at)s, %(lo_id)s))
  RETURNING i.id, i.due_on, i.owner_user_id, i.owner_team_id, i.owner_area_id
), esc AS (
  INSERT INTO work_escalation (intray_id, due_on, team_id, area_id, leader_id, created_at)
  SELECT d.id, d.due_on, t.id, coalesce(d.owner_area_id, t.business_area_id),
         t.leader_id, %(now)s
  FROM due d
  LEFT JOIN staff_user u ON u.id = d.owner_user_id
  LEFT JOIN staff_team t ON t.id = coalesce(d.owner_team_id, u.team_id)
  ON CONFLICT (intray_id, due_on) DO NOTHING
)
SELECT count(*), coalesce(array_agg(id ORDER BY id), '{}') FROM due
"""


@dataclass
class SweepReport:
    auto_unlocked: int = 0
    escalated: int = 0
    batches: int = 0
    ids: dict[str, list[int]] = field(default_factory=dict)


def _unlock_batch_orm(now: dt.datetime, batch: int) -> list[int]:
    locks = list(
        CustomerLock.objects.select_for_update(skip_locked=True, no_key=True)
        .filter(released_at=None, expires_at__isnull=False, expires_at__lte=now)
        .order_by("expires_at", "id")[:batch]
    )
    ids = [lock.pk for lock in locks]
    CustomerLock.objects.filter(pk__in=ids).update(
        released_at=F("expires_at"), release_kind="expired", release_reason=_EXPIRED_REASON
    )
    LockEvent.objects.bulk_create(
        LockEvent(
            lock=lock, customer_id=lock.customer_id, kind=LockEventKind.AUTO_UNLOCKED,
            at=lock.expires_at, owner=lock.owner_key,
        )
        for lock in locks
    )  # fmt: skip
    return ids


def _escalate_batch_orm(now: dt.datetime, today: dt.date, batch: int) -> list[int]:
    rows = list(
        Intray.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
        .filter(status__in=LIVE_STATUSES, escalated_at=None, due_on__lt=today)
        .order_by("due_on", "id")
        .values("id", "due_on", "owner_user__team_id", "owner_team_id", "owner_area_id")[:batch]
    )
    ids = [r["id"] for r in rows]
    team_ids = {r["owner_team_id"] or r["owner_user__team_id"] for r in rows} - {None}
    teams = Team.objects.filter(pk__in=team_ids).values_list("pk", "leader_id", "business_area_id")
    leaders = {pk: leader for pk, leader, _ in teams}
    areas = {pk: area for pk, _, area in teams}
    Intray.objects.filter(pk__in=ids).update(escalated_at=now)
    escalations = []
    for r in rows:
        team_id = r["owner_team_id"] or r["owner_user__team_id"]
        escalations.append(
            Escalation(
                intray_id=r["id"], due_on=r["due_on"], team_id=team_id,
                area_id=r["owner_area_id"] or areas.get(team_id),
                leader_id=leaders.get(team_id), created_at=now,
            )
        )  # fmt: skip
    Escalation.objects.bulk_create(escalations, ignore_conflicts=True)
    return ids


def _run(cut_sql: str, sql: str, params: dict, key: int, lo: tuple) -> tuple | None:
    """One batch as one statement: (ids, last key or None when this was the last
    batch); None when another sweep holds this sweep's advisory lock."""
    bounds = {"lo_at": lo[0], "lo_id": lo[1]}
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        if not cur.fetchone()[0]:
            return None
        cur.execute(cut_sql, {**params, **bounds, "skip": params["batch"] - 1})
        cut = cur.fetchone()
        # Fewer rows than a batch left: no bound beyond the sweep's own condition.
        cut_at, cut_id = cut if cut else (params["end"], _LAST_ID)
        cur.execute(sql, {**params, **bounds, "cut_at": cut_at, "cut_id": cut_id})
        _count, ids = cur.fetchone()
    return list(ids), cut


def _batches(
    sql_batch: tuple[str, str, dict, int] | None, orm_batch, batch_size: int, audit: dict
) -> list[int]:
    """Run batches (one transaction each) until none are left; audit each batch."""
    done: list[int] = []
    lo: tuple = (None, 0)
    while True:
        with transaction.atomic():
            if sql_batch is not None:
                got = _run(*sql_batch, lo=lo)
                if got is None:
                    return done  # another sweep is doing this work right now
                ids, lo = got
                more = lo is not None
            else:
                ids = orm_batch()
                more = len(ids) == batch_size
            if ids:
                record(actor=None, changes={"count": len(ids), "ids": ids}, **audit)
        done += ids
        if not more:
            return done


def sweep_auto_unlocks(
    *, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH, set_sql: bool = True
) -> list[int]:
    """Release and record every lock whose expiry has passed. Returns the lock ids."""
    now = now or timezone.now()
    params = {"now": now, "batch": batch_size, "reason": _EXPIRED_REASON, "end": now}
    use_sql = set_sql and connection.vendor == "postgresql"
    return _batches(
        (_UNLOCK_CUT, _UNLOCK_SQL, params, _UNLOCK_KEY) if use_sql else None,
        lambda: _unlock_batch_orm(now, batch_size),
        batch_size,
        {
            "action": "work.sweep.auto_unlocked",
            "object_type": "work.customerlock",
            "reason": "expired after decision advice",
        },
    )


def sweep_escalations(
    *,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
    batch_size: int = DEFAULT_BATCH,
    set_sql: bool = True,
) -> list[int]:
    """Escalate live intrays past their due date (agency date) to the owner's Team
    Leader, once per due date. Returns the intray ids escalated."""
    now = now or timezone.now()
    today = today or agency_today()
    params = {"now": now, "today": today, "batch": batch_size, "end": today}
    use_sql = set_sql and connection.vendor == "postgresql"
    return _batches(
        (_ESCALATE_CUT, _ESCALATE_SQL, params, _ESCALATE_KEY) if use_sql else None,
        lambda: _escalate_batch_orm(now, today, batch_size),
        batch_size,
        {"action": "work.sweep.escalated", "object_type": "work.intray", "reason": "overdue"},
    )


def run_sweeps(*, batch_size: int = DEFAULT_BATCH, only: str | None = None) -> SweepReport:
    """Every sweep once, in a fixed order. Safe to run concurrently with itself."""
    report = SweepReport()
    if only in (None, "unlock"):
        ids = sweep_auto_unlocks(batch_size=batch_size)
        report.auto_unlocked = len(ids)
    if only in (None, "escalate"):
        ids = sweep_escalations(batch_size=batch_size)
        report.escalated = len(ids)
    return report
