"""Periodic sweeps: record auto-unlocks (CMA-7) and escalate overdue work (WRK-5).

Correctness never waits for these: an expired lock is already inactive. The sweeps
*record* what happened, idempotently and in sets. Each batch is one transaction:
pick rows with SKIP LOCKED (so users and a second sweep are never blocked and never
double-counted), update them, insert their event rows, and write one audit row that
lists the ids it touched. On PostgreSQL a batch is one statement (data-modifying
CTEs); elsewhere it is a few ORM statements under SQLite's single-writer lock.
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
_EXPIRED_REASON = "auto-unlock after decision advice"

_UNLOCK_SQL = """
WITH expired AS (
  UPDATE work_customerlock l
  SET released_at = l.expires_at, release_kind = 'expired', release_reason = %(reason)s
  WHERE l.id IN (
    SELECT id FROM work_customerlock
    WHERE released_at IS NULL AND expires_at IS NOT NULL AND expires_at <= %(now)s
    ORDER BY expires_at LIMIT %(batch)s
    FOR NO KEY UPDATE SKIP LOCKED)
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
  WHERE i.id IN (
    SELECT id FROM work_intray
    WHERE status IN ('open', 'in_progress') AND escalated_at IS NULL AND due_on < %(today)s
    ORDER BY due_on LIMIT %(batch)s
    FOR NO KEY UPDATE SKIP LOCKED)
  RETURNING i.id, i.due_on, i.owner_user_id, i.owner_team_id, i.owner_area_id
), esc AS (
  INSERT INTO work_escalation (intray_id, due_on, team_id, area_id, leader_id, created_at)
  SELECT d.id, d.due_on, t.id, CASE WHEN t.id IS NULL THEN d.owner_area_id END,
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
    leaders = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "leader_id"))
    Intray.objects.filter(pk__in=ids).update(escalated_at=now)
    escalations = []
    for r in rows:
        team_id = r["owner_team_id"] or r["owner_user__team_id"]
        escalations.append(
            Escalation(
                intray_id=r["id"], due_on=r["due_on"], team_id=team_id,
                area_id=None if team_id else r["owner_area_id"],
                leader_id=leaders.get(team_id), created_at=now,
            )
        )  # fmt: skip
    Escalation.objects.bulk_create(escalations, ignore_conflicts=True)
    return ids


def _run(sql: str, params: dict) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        _count, ids = cur.fetchone()
    return list(ids)


def sweep_auto_unlocks(
    *, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH, set_sql: bool = True
) -> list[int]:
    """Release and record every lock whose expiry has passed. Returns the lock ids."""
    now = now or timezone.now()
    done: list[int] = []
    use_sql = set_sql and connection.vendor == "postgresql"
    while True:
        with transaction.atomic():
            if use_sql:
                params = {"now": now, "batch": batch_size, "reason": _EXPIRED_REASON}
                ids = _run(_UNLOCK_SQL, params)
            else:
                ids = _unlock_batch_orm(now, batch_size)
            if ids:
                record(
                    actor=None,
                    action="work.sweep.auto_unlocked",
                    object_type="work.customerlock",
                    reason="expired after decision advice",
                    changes={"count": len(ids), "ids": ids},
                )
        done += ids
        if len(ids) < batch_size:
            return done


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
    done: list[int] = []
    use_sql = set_sql and connection.vendor == "postgresql"
    while True:
        with transaction.atomic():
            if use_sql:
                ids = _run(_ESCALATE_SQL, {"now": now, "today": today, "batch": batch_size})
            else:
                ids = _escalate_batch_orm(now, today, batch_size)
            if ids:
                record(
                    actor=None,
                    action="work.sweep.escalated",
                    object_type="work.intray",
                    reason="overdue",
                    changes={"count": len(ids), "ids": ids},
                )
        done += ids
        if len(ids) < batch_size:
            return done


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
