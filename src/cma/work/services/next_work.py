"""Next work (WRK-4): hand an officer the best open intray from the queues they serve
(their own, their team's, their business area's): priority (1 first), then earliest
due, then oldest. Two officers never receive the same item (CONC-1).

PostgreSQL: one statement. Each queue's best `CANDIDATES` rows come from its own
partial index (owner, priority, due_on, id) WHERE status='open'; the best of those
that no other transaction has locked is taken with FOR NO KEY UPDATE SKIP LOCKED,
updated, and its history event inserted, all in the same statement. If every
candidate was taken meanwhile, the candidate window widens, then becomes unlimited.

Other databases (SQLite): the same candidates, then a compare-and-set UPDATE
(`WHERE status='open'`), inside a transaction that SQLite runs as BEGIN IMMEDIATE, so
writers are serialised and a lost race simply retries.
"""

from typing import Any

from django.db import connection
from django.utils import timezone

from cma.audit.services import record
from cma.errors import PermissionDenied

from ..models import Intray, IntrayEventKind, IntrayStatus
from ._common import audited_refusals

CANDIDATES = 64
_ORDER = ("priority", "due_on", "id")
_COLUMNS = list(Intray._meta.concrete_fields)

_TABLE = Intray._meta.db_table
_EVENTS = "work_intrayevent"
_branch = (
    "(SELECT id FROM {t} WHERE status = 'open' AND {col} = %(q{n})s "
    "ORDER BY priority, due_on, id LIMIT %(n)s)"
)
# Built once from constants only; every value is a bound parameter.
_SQL = f"""
WITH cand AS (
  {_branch.format(t=_TABLE, col="owner_user_id", n=0)}
  UNION ALL {_branch.format(t=_TABLE, col="owner_team_id", n=1)}
  UNION ALL {_branch.format(t=_TABLE, col="owner_area_id", n=2)}
),
picked AS (
  SELECT i.id, i.owner_user_id, i.owner_team_id, i.owner_area_id FROM {_TABLE} i
  WHERE i.id IN (SELECT id FROM cand) AND i.status = 'open'
  ORDER BY i.priority, i.due_on, i.id
  LIMIT 1
  FOR NO KEY UPDATE OF i SKIP LOCKED
),
taken AS (
  UPDATE {_TABLE} w
  SET status = 'in_progress', owner_user_id = %(q0)s, owner_team_id = NULL,
      owner_area_id = NULL, started_at = %(now)s
  FROM picked p WHERE w.id = p.id
  RETURNING {", ".join("w." + f.column for f in _COLUMNS)},
    CASE WHEN p.owner_user_id IS NOT NULL THEN 'user:' || p.owner_user_id
         WHEN p.owner_team_id IS NOT NULL THEN 'team:' || p.owner_team_id
         ELSE 'area:' || p.owner_area_id END AS from_owner
),
ev AS (
  INSERT INTO {_EVENTS} (intray_id, kind, at, actor_id, from_owner, to_owner, text)
  SELECT id, %(kind)s, %(now)s, %(q0)s, from_owner, 'user:' || %(q0)s, '' FROM taken
)
SELECT * FROM taken
"""  # noqa: S608


def _queues(officer: Any) -> tuple[int, int | None, int | None]:
    team = officer.team if officer.team_id else None
    return officer.pk, (team.pk if team else None), (team.business_area_id if team else None)


def _take_sql(officer: Any) -> tuple[Intray, str] | None:
    user_id, team_id, area_id = _queues(officer)
    params = {
        "q0": user_id,
        "q1": team_id,
        "q2": area_id,
        "now": timezone.now(),
        "kind": IntrayEventKind.TAKEN.value,
    }
    with connection.cursor() as cur:
        for window in (CANDIDATES, CANDIDATES * 16, None):
            params["n"] = window
            cur.execute(_SQL, params)
            row = cur.fetchone()
            if row is not None:
                intray = Intray.from_db(
                    connection.alias, [f.attname for f in _COLUMNS], row[: len(_COLUMNS)]
                )
                return intray, row[-1]
            # Nothing free among the candidates: were there any open rows at all?
            cur.execute(
                f"SELECT EXISTS (SELECT 1 FROM {_TABLE} WHERE status = 'open' AND "  # noqa: S608
                "(owner_user_id = %s OR owner_team_id = %s OR owner_area_id = %s))",
                [user_id, team_id, area_id],
            )
            if not cur.fetchone()[0]:
                return None
    return None


def _candidates(officer: Any, window: int) -> list[int]:
    """Each queue's best open rows (one small indexed query per queue: SQLite allows
    no LIMIT inside a UNION), merged in queue order."""
    user_id, team_id, area_id = _queues(officer)
    open_rows = Intray.objects.filter(status=IntrayStatus.OPEN).order_by(*_ORDER)
    queues = [("owner_user_id", user_id), ("owner_team_id", team_id), ("owner_area_id", area_id)]
    rows: list[tuple] = []
    for column, value in queues:
        if value is not None:
            rows += open_rows.filter(**{column: value}).values_list(*_ORDER)[:window]
    return [r[-1] for r in sorted(rows)]


def _take_orm(officer: Any) -> tuple[Intray, str] | None:
    """Select-then-update with the ORM: candidates, lock the best free one (skip
    locked where supported), compare-and-set. Used on SQLite and as the benchmark's
    ORM variant on PostgreSQL."""
    from ..models import IntrayEvent

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
                IntrayEvent.objects.create(
                    intray=intray, kind=IntrayEventKind.TAKEN, at=now, actor=officer,
                    from_owner=frm, to_owner=intray.owner_key,
                )  # fmt: skip
                return intray, frm
            ids.remove(intray.pk)
    return None


@audited_refusals("work.intray.taken")
def next_work(*, officer: Any, strategy: str = "auto") -> Intray | None:
    """Assign the officer their next intray (now in progress), or None if their queues
    are empty. `strategy` is "auto", "sql" (PostgreSQL only) or "orm"."""
    if not (officer.is_active and officer.has_perm("work.view_work")):
        raise PermissionDenied("your role does not take customer work")
    use_sql = strategy == "sql" or (strategy == "auto" and connection.vendor == "postgresql")
    taken = _take_sql(officer) if use_sql else _take_orm(officer)
    if taken is None:
        record(actor=officer, action="work.intray.none_available")
        return None
    intray, frm = taken
    record(
        actor=officer,
        action="work.intray.taken",
        object_type="work.intray",
        object_id=str(intray.pk),
        customer_id=intray.customer_id,
        changes={"from": frm, "to": intray.owner_key},
    )
    return intray
