"""Periodic sweeps: record auto-unlocks (CMA-7) and escalate overdue work (WRK-5).

Correctness never waits for these: an expired lock is already inactive. The sweeps
*record* what happened, idempotently and in sets. Each batch is one transaction: its
rows are updated, their event rows inserted, and one audit row lists the ids touched.
The UPDATE re-checks its condition on rows a user changed meanwhile (so nothing is
recorded twice), and an advisory lock keeps a second sweep of the same kind from
duplicating the work. On PostgreSQL a batch is one statement (data-modifying CTEs);
elsewhere a few ORM statements under SQLite's single-writer lock.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
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

# Each sweep is a template: {range} is empty for a single statement, or bounds the
# rows to a range of table pages (a TID range scan, PostgreSQL 14+) for a backlog.
_PAGES = "AND {a}.ctid >= %(lo)s::tid AND {a}.ctid < %(hi)s::tid"
_UNLOCK_WHERE = "released_at IS NULL AND expires_at IS NOT NULL AND expires_at <= %(now)s"
_UNLOCK_SQL = """
WITH expired AS (
  UPDATE work_customerlock l
  SET released_at = l.expires_at, release_kind = 'expired', release_reason = %(reason)s
  WHERE l.released_at IS NULL AND l.expires_at IS NOT NULL AND l.expires_at <= %(now)s
    {range}
  RETURNING l.id, l.customer_id, l.expires_at,
    CASE WHEN l.owner_user_id IS NOT NULL THEN 'user:' || l.owner_user_id
         WHEN l.owner_team_id IS NOT NULL THEN 'team:' || l.owner_team_id
         ELSE 'area:' || l.owner_area_id END AS owner
), ev AS (
  INSERT INTO work_lockevent (lock_id, customer_id, kind, at, actor_id, owner, text)
  SELECT id, customer_id, 'auto_unlocked', expires_at, NULL, owner, '' FROM expired
)
SELECT count(*), coalesce(array_agg(id ORDER BY id), '{{}}') FROM expired
"""

_ESCALATE_WHERE = (
    "status IN ('open', 'in_progress') AND escalated_at IS NULL AND due_on < %(today)s"
)
_ESCALATE_SQL = """
WITH due AS (
  UPDATE work_intray i SET escalated_at = %(now)s
  WHERE i.status IN ('open', 'in_progress') AND i.escalated_at IS NULL
    AND i.due_on < %(today)s
    {range}
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
SELECT count(*), coalesce(array_agg(id ORDER BY id), '{{}}') FROM due
"""


@dataclass(frozen=True)
class _SetSweep:
    """One PostgreSQL sweep: its table, condition, statement and advisory-lock key."""

    table: str
    where: str
    sql: str
    alias: str
    key: int

    def statement(self, ranged: bool) -> str:
        return self.sql.format(range=_PAGES.format(a=self.alias) if ranged else "")


_UNLOCK = _SetSweep("work_customerlock", _UNLOCK_WHERE, _UNLOCK_SQL, "l", _UNLOCK_KEY)
_ESCALATE = _SetSweep("work_intray", _ESCALATE_WHERE, _ESCALATE_SQL, "i", _ESCALATE_KEY)


@dataclass
class SweepReport:
    auto_unlocked: int = 0
    escalated: int = 0
    batches: int = 0
    ids: dict[str, list[int]] = field(default_factory=dict)
    # name of each registered sweep (EXTRA_SWEEPS) -> rows it handled
    extra: dict[str, int] = field(default_factory=dict)

    def summary(self, *, short: bool = False) -> str:
        """One line for `cma sweep` (or, short, for `cma worker`)."""
        if short:
            parts = [f"auto-unlocked {self.auto_unlocked}", f"escalated {self.escalated}"]
            parts += [f"{name} {n}" for name, n in self.extra.items()]
            return ", ".join(parts)
        parts = [
            f"auto-unlocked {self.auto_unlocked} lock(s)",
            f"escalated {self.escalated} intray(s)",
        ]
        labels = {s.name: s.label for s in EXTRA_SWEEPS}
        parts += [labels.get(name, name + " {n}").format(n=n) for name, n in self.extra.items()]
        return "; ".join(parts)


@dataclass(frozen=True)
class ExtraSweep:
    """A periodic sweep of a higher app (contact's due plan steps, ...). Work cannot
    import those apps (dependencies point down), so they register here in their
    AppConfig.ready() and `cma sweep` / `cma worker` run them after work's own."""

    name: str  # `cma sweep --only <name>`
    label: str  # the command's summary of the count, e.g. "raised {n} step(s)"
    run: Callable[[], list[int]]  # idempotent; returns the ids it handled


EXTRA_SWEEPS: list[ExtraSweep] = []


def register_sweep(name: str, label: str, run: Callable[[], list[int]]) -> None:
    """Add (or replace, by name) a sweep run by `run_sweeps`."""
    EXTRA_SWEEPS[:] = [s for s in EXTRA_SWEEPS if s.name != name]
    EXTRA_SWEEPS.append(ExtraSweep(name, label, run))


def sweep_names() -> list[str]:
    return ["unlock", "escalate", *(s.name for s in EXTRA_SWEEPS)]


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
            at=cast(dt.datetime, lock.expires_at), owner=lock.owner_key,  # due: has one
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


def _locked_run(
    cur: CursorWrapper, sweep: _SetSweep, params: dict[str, Any], ranged: bool
) -> list[int] | None:
    """One batch (call inside its transaction); None if another sweep holds the lock."""
    cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [sweep.key])
    if not cur.fetchone()[0]:
        return None
    cur.execute(sweep.statement(ranged), params)
    return list(cur.fetchone()[1])


def _set_batches(
    sweep: _SetSweep,
    params: dict[str, Any],
    batch: int,
    audit: Callable[[list[int] | None], None],
) -> list[int] | None:
    """PostgreSQL. The usual case — at most `batch` rows due, found through the sweep's
    partial index — is one statement. A backlog is swept in ranges of table pages
    holding about `batch` rows each, in physical order: one sequential pass over the
    table, like a bare UPDATE, instead of each batch visiting rows spread over every
    page. Updated rows no longer match, wherever their new versions land."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {sweep.table} "  # noqa: S608
            f"WHERE {sweep.where} LIMIT %(limit)s) due",
            {**params, "limit": batch + 1},
        )
        if cur.fetchone()[0] <= batch:
            ids = _locked_run(cur, sweep, params, ranged=False)
            audit(ids)
            return ids
        cur.execute(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int, "
            "greatest(reltuples, 1) FROM pg_class WHERE oid = %s::regclass",
            [sweep.table, sweep.table],
        )
        pages, tuples = cur.fetchone()
    step = max(1, int(batch * pages / tuples))
    done: list[int] = []
    for first in range(0, pages, step):
        bounds = {"lo": f"({first},0)", "hi": f"({first + step},0)"}
        with transaction.atomic(), connection.cursor() as cur:
            ids = _locked_run(cur, sweep, {**params, **bounds}, ranged=True)
            audit(ids)
        if ids is None:
            return done  # another sweep is doing this work right now
        done += ids
    # Rows that came due in pages added while this ran (rare): one more plain batch.
    with transaction.atomic(), connection.cursor() as cur:
        ids = _locked_run(cur, sweep, params, ranged=False)
        audit(ids)
    return done + (ids or [])


def _batches(
    set_sweep: _SetSweep | None,
    params: dict[str, Any],
    orm_batch: Callable[[], list[int]],
    batch_size: int,
    audit: dict[str, Any],
) -> list[int]:
    """Run a sweep to the end, one transaction and one audit row per batch."""

    def audit_batch(ids: list[int] | None) -> None:
        if ids:
            record(actor=None, changes={"count": len(ids), "ids": ids}, **audit)

    if set_sweep is not None:
        return _set_batches(set_sweep, params, batch_size, audit_batch) or []
    done: list[int] = []
    while True:
        with transaction.atomic():
            ids = orm_batch()
            audit_batch(ids)
        done += ids
        if len(ids) < batch_size:
            return done


def sweep_auto_unlocks(
    *, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH, set_sql: bool = True
) -> list[int]:
    """Release and record every lock whose expiry has passed. Returns the lock ids."""
    now = now or timezone.now()
    params = {"now": now, "reason": _EXPIRED_REASON}
    use_sql = set_sql and connection.vendor == "postgresql"
    return _batches(
        _UNLOCK if use_sql else None,
        params,
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
    params = {"now": now, "today": today}
    use_sql = set_sql and connection.vendor == "postgresql"
    return _batches(
        _ESCALATE if use_sql else None,
        params,
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
    for extra in list(EXTRA_SWEEPS):
        if only in (None, extra.name):
            report.extra[extra.name] = len(extra.run())
    return report
