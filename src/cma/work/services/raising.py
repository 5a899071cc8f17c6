"""Sweeps that raise one intray per row that has come due (a contact plan's next step,
a PS segment 3 review). In batches; one sweep of a kind at a time (a transaction-scoped
advisory lock on PostgreSQL: a second concurrent sweep leaves the work to the first);
each batch one transaction with one audit row listing the rows and the intrays raised.
A row whose intray cannot be raised (its owner left, say) is skipped for the rest of
the run and stays due."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from cma.audit.services import record


@dataclass(frozen=True)
class RaisingSweep:
    key: int  # the advisory lock of this kind of sweep
    action: str  # the audit action of a batch
    object_type: str
    reason: str
    rows_name: str  # what the audit row calls the ids of the rows raised
    # The next batch of due rows (locked, SKIP LOCKED), leaving out the skipped ids.
    due: Callable[[list[int]], Sequence[Any]]
    # The intray raised for a row, or None when it cannot be raised now.
    raise_one: Callable[[Any], int | None]
    batch: int = 500


def run_raising_sweep(sweep: RaisingSweep) -> list[int]:
    """Raise every due row's intray. Returns the ids of the rows raised."""
    raised: list[int] = []
    skipped: list[int] = []
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [sweep.key])
                    if not cur.fetchone()[0]:
                        return raised  # another sweep is raising them right now
            rows = sweep.due(skipped)
            done: dict[int, int] = {}
            for row in rows:
                intray = sweep.raise_one(row)
                if intray is None:
                    skipped.append(row.pk)
                else:
                    done[row.pk] = intray
            if done:
                record(
                    actor=None,
                    action=sweep.action,
                    object_type=sweep.object_type,
                    reason=sweep.reason,
                    changes={
                        "count": len(done),
                        sweep.rows_name: list(done),
                        "intrays": list(done.values()),
                    },
                )
        raised += list(done)
        if len(rows) < sweep.batch:
            return raised
