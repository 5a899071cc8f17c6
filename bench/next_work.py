"""Benchmark next work (WRK-4, CONC-1) on PostgreSQL against a raw-SQL baseline.

    .venv/bin/python bench/next_work.py                       # modest: 100k items
    .venv/bin/python bench/next_work.py --items 1000000 --pulls 20000

Each configuration pulls the same number of items from a shared team queue with 1, 8
and 32 threads. Baseline: the bare one-statement `UPDATE ... WHERE id = (SELECT ... FOR
UPDATE SKIP LOCKED LIMIT 1) RETURNING` on the team queue. Service: `next_work()` as the
app runs it (three queues, history event, audit row, transaction). Prints throughput,
the ratio service/baseline in the same run, and double assignments (must be 0).
"""

import argparse
import threading
import time
from collections import Counter

from _setup import execute, insert_series, scalar, setup_django, vacuum

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cma_bench_next"

RAW = """
UPDATE work_intray SET status = 'in_progress', owner_user_id = %s, owner_team_id = NULL,
       started_at = now()
WHERE id = (SELECT id FROM work_intray
            WHERE status = 'open' AND owner_team_id = %s
            ORDER BY priority, due_on, id
            FOR UPDATE SKIP LOCKED LIMIT 1)
RETURNING id
"""
# The same bare statement plus the writes the requirements add to every hand-out (a
# history event and an audit row), still hand-written and on one queue: separates the
# cost of those writes from the cost of the application path.
RAW_WITH_WRITES = """
WITH taken AS (
  UPDATE work_intray SET status = 'in_progress', owner_user_id = %(user)s,
         owner_team_id = NULL, started_at = now()
  WHERE id = (SELECT id FROM work_intray
              WHERE status = 'open' AND owner_team_id = %(team)s
              ORDER BY priority, due_on, id
              FOR UPDATE SKIP LOCKED LIMIT 1)
  RETURNING id, customer_id
), ev AS (
  INSERT INTO work_intrayevent (intray_id, kind, at, actor_id, from_owner, to_owner, text)
  SELECT id, 'taken', now(), %(user)s, 'team:' || %(team)s, 'user:' || %(user)s, ''
  FROM taken
), aud AS (
  INSERT INTO audit_auditrecord (created_at, actor_id, actor_label, action, outcome,
    object_type, object_id, customer_id, reason, changes, seq, prev_hash, hash)
  SELECT now(), %(user)s, 'bench', 'work.intray.taken', 'ok', 'work.intray', id::text,
    customer_id, '', '{}'::jsonb, NULL, '', '' FROM taken
)
SELECT id FROM taken
"""


def load(items: int, shared_share: float, workers: int):
    from _setup import customers
    from django.contrib.auth.hashers import make_password

    from cma.policy.models import BusinessArea, IntrayType
    from cma.staff.models import Team, User
    from cma.work.models import Intray

    area = BusinessArea.objects.get(code="mainstream")
    shared = Team.objects.create(name="Bench shared queue", state="NSW", business_area=area)
    noise = Team.objects.bulk_create(
        Team(name=f"Bench team {i}", state="VIC", business_area=area) for i in range(100)
    )
    officers = User.objects.bulk_create(
        User(
            username=f"bench{i}", role="service_officer", team=shared, password=make_password(None)
        )
        for i in range(workers)
    )
    first, last = customers(20_000)
    kind = IntrayType.objects.get(code="general-follow-up")
    n_shared = int(items * shared_share)
    noise_ids = [t.pk for t in noise]
    insert_series(
        Intray,
        items,
        {
            "customer_id": f"{first} + mod(g, {last - first + 1})",
            "type_id": str(kind.pk),
            "priority": "1 + mod(g * 7, 5)",
            "status": "'open'",
            "due_on": "current_date + mod(g, 40)",
            "owner_team_id": (
                f"CASE WHEN g <= {n_shared} THEN {shared.pk} "
                f"ELSE (ARRAY{noise_ids})[1 + mod(g, {len(noise_ids)})] END"
            ),
        },
    )
    vacuum("work_intray", "customers_customer", "staff_user", "staff_team")
    return shared, officers


def reset(shared) -> None:
    execute(
        "UPDATE work_intray SET status = 'open', owner_user_id = NULL, owner_team_id = %s, "
        "started_at = NULL WHERE status = 'in_progress'",
        [shared.pk],
    )
    execute("DELETE FROM work_intrayevent")
    vacuum("work_intray", "work_intrayevent")


def run(workers: int, pulls: int, pull) -> tuple[float, list[int]]:
    """Threads behind a barrier pull until `pulls` items were taken in total."""
    from django.db import connection

    taken: list[list[int]] = [[] for _ in range(workers)]
    budget = iter(range(pulls))
    lock = threading.Lock()
    barrier = threading.Barrier(workers + 1)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            while True:
                with lock:
                    if next(budget, None) is None:
                        return
                got = pull(n)
                if got is None:
                    return
                taken[n].append(got)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise errors[0]
    return elapsed, [pk for chunk in taken for pk in chunk]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="open intrays loaded")
    parser.add_argument("--pulls", type=int, default=4_000, help="items pulled per run")
    parser.add_argument("--workers", default="1,8,32", help="thread counts, comma separated")
    parser.add_argument(
        "--shared", type=float, default=0.5, help="share of items in the officers' team queue"
    )
    parser.add_argument("--orm", action="store_true", help="also time the ORM strategy")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    setup_django(args.database_url)
    from django.db import connection

    from cma.work.services import next_work

    shared, officers = load(args.items, args.shared, max(counts))
    if args.pulls > args.items * args.shared:
        parser.error("--pulls must not exceed the items in the shared queue")

    def raw_pull(n: int):
        with connection.cursor() as cur:
            cur.execute(RAW, [officers[n].pk, shared.pk])
            row = cur.fetchone()
        return row[0] if row else None

    def raw_writes_pull(n: int):
        with connection.cursor() as cur:
            cur.execute(RAW_WITH_WRITES, {"user": officers[n].pk, "team": shared.pk})
            row = cur.fetchone()
        return row[0] if row else None

    def service_pull(strategy: str):
        def pull(n: int):
            item = next_work(officer=officers[n], strategy=strategy)
            return item.pk if item else None

        return pull

    strategies = [
        ("raw", raw_pull),
        ("raw+writes", raw_writes_pull),
        ("service", service_pull("sql")),
    ]
    if args.orm:
        strategies.append(("service-orm", service_pull("orm")))
    print(
        f"next work: {args.items:,} open intrays, {args.pulls:,} pulls per run, PostgreSQL "
        f"{scalar('SHOW server_version')}"
    )
    print("ratio = items/s over the bare raw statement; vs+w = over raw+writes")
    print(f"{'workers':>7} {'strategy':<12} {'items/s':>9} {'ratio':>6} {'vs+w':>6} {'double':>6}")
    for workers in counts:
        rates = {}
        for name, pull in strategies:
            reset(shared)
            elapsed, taken = run(workers, args.pulls, pull)
            doubles = sum(c - 1 for c in Counter(taken).values() if c > 1)
            db_doubles = scalar(
                "SELECT count(*) FROM (SELECT intray_id FROM work_intrayevent "
                "WHERE kind = 'taken' GROUP BY intray_id HAVING count(*) > 1) d"
            )
            rates[name] = len(taken) / elapsed
            ratio = rates[name] / rates["raw"]
            vs_writes = rates[name] / rates.get("raw+writes", rates[name])
            print(
                f"{workers:>7} {name:<12} {rates[name]:>9.0f} {ratio:>6.2f} "
                f"{vs_writes:>6.2f} {doubles + db_doubles:>6}"
            )


if __name__ == "__main__":
    main()
