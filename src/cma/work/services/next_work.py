"""Next work (WRK-4): hand an officer the best open intray from the queues they serve
(their own, their team's, their business area's): priority (1 first), then earliest
due, then oldest. Two officers never receive the same item (CONC-1).

PostgreSQL: one statement, run in autocommit (a single statement is atomic). For each
of the three queues it locks that queue's best open row nobody else has locked
(FOR NO KEY UPDATE SKIP LOCKED, LIMIT 1, each an index range scan of the matching
partial index (owner, priority, due_on, id) WHERE status='open'); the best of those
(at most three) is updated, and its history event and audit row are inserted, in the
same statement. The other locked rows are released when the statement ends; a
concurrent puller skips them for that instant, the same trade every SKIP LOCKED queue
makes. Measured against the bare single-queue statement in bench/next_work.py.

Other databases (SQLite): each queue's best open rows, then a compare-and-set UPDATE
(`WHERE status='open'`), inside a transaction that SQLite runs as BEGIN IMMEDIATE, so
writers are serialised and a lost race simply retries.
"""

from typing import Any

import psycopg
import rules
from django.db import connection, transaction
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.audit.services import record, record_refusal
from cma.errors import PermissionDenied
from cma.staff.models import User

from ..models import Intray, IntrayEvent, IntrayEventKind, IntrayStatus

CANDIDATES = 64
_ORDER = ("priority", "due_on", "id")
_COLUMNS = list(Intray._meta.concrete_fields)
_TABLE = Intray._meta.db_table
_EVENTS = IntrayEvent._meta.db_table
_AUDIT = AuditRecord._meta.db_table
_ACTION = "work.intray.taken"

_branch = """{name} AS (
  SELECT id, priority, due_on, owner_user_id, owner_team_id, owner_area_id FROM {t}
  WHERE status = 'open' AND {col} = %(q{n})s
  ORDER BY priority, due_on, id LIMIT 1
  FOR NO KEY UPDATE SKIP LOCKED
)"""
# Built once from constants only; every value is a bound parameter. The audit row is
# written here (not through audit.services.record) so that the whole hand-out is one
# round trip; it has exactly the columns record() writes, unsealed (seq NULL).
_SQL = f"""
WITH {_branch.format(name="u", t=_TABLE, col="owner_user_id", n=0)},
{_branch.format(name="tm", t=_TABLE, col="owner_team_id", n=1)},
{_branch.format(name="ar", t=_TABLE, col="owner_area_id", n=2)},
best AS (
  SELECT * FROM (SELECT * FROM u UNION ALL SELECT * FROM tm UNION ALL SELECT * FROM ar) c
  ORDER BY priority, due_on, id LIMIT 1
),
taken AS (
  UPDATE {_TABLE} w
  SET status = 'in_progress', owner_user_id = %(q0)s, owner_team_id = NULL,
      owner_area_id = NULL, started_at = %(now)s
  FROM best p WHERE w.id = p.id
  RETURNING {", ".join(f"w.{f.column}" for f in _COLUMNS)},
    CASE WHEN p.owner_user_id IS NOT NULL THEN 'user:' || p.owner_user_id
         WHEN p.owner_team_id IS NOT NULL THEN 'team:' || p.owner_team_id
         ELSE 'area:' || p.owner_area_id END AS from_owner
),
ev AS (
  INSERT INTO {_EVENTS} (intray_id, kind, at, actor_id, from_owner, to_owner, text)
  SELECT id, %(kind)s, %(now)s, %(q0)s,
    CASE WHEN from_owner = %(to)s THEN '' ELSE from_owner END, %(to)s, '' FROM taken
),
aud AS (
  INSERT INTO {_AUDIT} (created_at, actor_id, actor_label, action, outcome, object_type,
    object_id, customer_id, reason, changes, seq, prev_hash, hash)
  SELECT %(now)s, %(q0)s, %(label)s, %(action)s, %(ok)s, 'work.intray', id::text,
    customer_id, '', jsonb_build_object('from', from_owner, 'to', %(to)s,
      'already_yours', from_owner = %(to)s), NULL, '', ''
  FROM taken
)
SELECT * FROM taken
"""  # noqa: S608


def _queues(officer: User) -> tuple[int, int | None, int | None]:
    team = officer.team if officer.team_id else None
    return officer.pk, (team.pk if team else None), (team.business_area_id if team else None)


def _execute_prepared(sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """Run with server-side binding as a prepared statement: planning this CTE costs
    more than executing it, and Django's default psycopg cursor binds client-side,
    which cannot prepare. Errors are still translated into django.db exceptions."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        with psycopg.Cursor(connection.connection) as cur:
            cur.execute(sql, params, prepare=True)
            return cur.fetchone()


def _take_sql(officer: User) -> Intray | None:
    user_id, team_id, area_id = _queues(officer)
    params = {
        "q0": user_id,
        "q1": team_id,
        "q2": area_id,
        "now": timezone.now(),
        "kind": IntrayEventKind.TAKEN.value,
        "to": f"user:{user_id}",
        "label": officer.username,
        "action": _ACTION,
        "ok": Outcome.OK.value,
    }
    row = _execute_prepared(_SQL, params)
    if row is None:
        return None
    intray = Intray.from_db(connection.alias, [f.attname for f in _COLUMNS], row[: len(_COLUMNS)])
    intray.already_yours = row[len(_COLUMNS)] == params["to"]
    return intray


def _candidates(officer: User, window: int) -> list[int]:
    """Each queue's best open rows (one small indexed query per queue: SQLite allows
    no LIMIT inside a UNION), merged in queue order."""
    user_id, team_id, area_id = _queues(officer)
    open_rows = Intray.objects.filter(status=IntrayStatus.OPEN).order_by(*_ORDER)
    queues = [("owner_user_id", user_id), ("owner_team_id", team_id), ("owner_area_id", area_id)]
    rows: list[tuple[Any, ...]] = []
    for column, value in queues:
        if value is not None:
            rows += open_rows.filter(**{column: value}).values_list(*_ORDER)[:window]
    return [r[-1] for r in sorted(rows)]


def _take_orm(officer: User) -> tuple[Intray, str] | None:
    """Select-then-update with the ORM: candidates, lock the best free one (skip
    locked where supported), compare-and-set. Used on SQLite and as the benchmark's
    ORM variant on PostgreSQL."""
    for window in (CANDIDATES, CANDIDATES * 16, 10**9):
        ids = _candidates(officer, window)
        if not ids:
            return None
        while True:
            qs = Intray.objects.filter(pk__in=ids, status=IntrayStatus.OPEN).order_by(*_ORDER)
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True, no_key=True)
            intray = qs.first()
            if intray is None:
                break
            frm = intray.owner_key
            now = timezone.now()
            won = Intray.objects.filter(pk=intray.pk, status=IntrayStatus.OPEN).update(
                status=IntrayStatus.IN_PROGRESS,
                owner_user=officer,
                owner_team=None,
                owner_area=None,
                started_at=now,
            )
            if won:
                intray.status, intray.started_at = IntrayStatus.IN_PROGRESS, now
                intray.owner_user, intray.owner_team, intray.owner_area = officer, None, None
                intray.already_yours = frm == intray.owner_key
                IntrayEvent.objects.create(
                    intray=intray, kind=IntrayEventKind.TAKEN, at=now, actor=officer,
                    from_owner="" if intray.already_yours else frm, to_owner=intray.owner_key,
                )  # fmt: skip
                return intray, frm
            ids.remove(intray.pk)
    return None


def next_work(*, officer: User, strategy: str = "auto") -> Intray | None:
    """Assign the officer their next intray (now in progress), or None if their queues
    are empty. `strategy` is "auto", "sql" (PostgreSQL only) or "orm".

    The officer's own queue is one of their queues, so work already assigned to them
    (open, not started) is handed out in its turn, flagged `already_yours` so the page
    says so; its history shows it started, not moved "from" them "to" them."""
    # The named rule itself (rules.has_perm skips Django's backend loop: this is hot).
    if not (officer.is_active and rules.has_perm("work.view_work", officer)):
        error = PermissionDenied("your role does not take customer work")
        record_refusal(actor=officer, action=_ACTION, error=error)
        raise error
    use_sql = strategy == "sql" or (strategy == "auto" and connection.vendor == "postgresql")
    if use_sql and not connection.in_atomic_block:
        intray = _take_sql(officer)  # one atomic statement: intray, event and audit row
    else:
        with transaction.atomic():
            intray = _take_sql(officer) if use_sql else _take_orm_audited(officer)
    if intray is None:
        record(actor=officer, action="work.intray.none_available")
    return intray


def _take_orm_audited(officer: User) -> Intray | None:
    taken = _take_orm(officer)
    if taken is None:
        return None
    intray, frm = taken
    record(
        actor=officer,
        action=_ACTION,
        object_type="work.intray",
        object_id=str(intray.pk),
        customer_id=intray.customer_id,
        changes={"from": frm, "to": intray.owner_key, "already_yours": intray.already_yours},
    )
    return intray
