"""Benchmark the work sweeps (CMA-7 auto-unlock, WRK-5 escalation) on PostgreSQL
against a bare raw-SQL UPDATE of the same rows, in the same run.

    .venv/bin/python bench/sweep.py                                  # modest: 100k + 100k
    .venv/bin/python bench/sweep.py --locks 1000000 --intrays 1000000

Baselines: one `UPDATE work_customerlock SET released_at = expires_at ... WHERE expired`
and one `UPDATE work_intray SET escalated_at = now() WHERE overdue`. The sweeps do the
same updates in batches, also inserting one event (lock event / escalation) per row
and one audit row per batch. Each is timed from the same starting state (reset,
VACUUM ANALYZE, CHECKPOINT); best of --repeat runs; prints the ratio sweep/baseline.
"""

import argparse
import time

from _setup import DEFAULT_URL, customers, execute, insert_series, scalar, setup_django, vacuum

UNLOCK_BASELINE = """
UPDATE work_customerlock SET released_at = expires_at, release_kind = 'expired',
       release_reason = 'auto-unlock after decision advice'
WHERE released_at IS NULL AND expires_at IS NOT NULL AND expires_at <= now()
"""
ESCALATE_BASELINE = """
UPDATE work_intray SET escalated_at = now()
WHERE status IN ('open', 'in_progress') AND escalated_at IS NULL AND due_on < current_date
"""


def load(locks: int, intrays: int) -> None:
    from django.contrib.auth.hashers import make_password

    from cma.policy.models import BusinessArea, IntrayType
    from cma.staff.models import Team, User
    from cma.work.models import CustomerLock, Intray

    area = BusinessArea.objects.get(code="mainstream")
    teams = Team.objects.bulk_create(
        Team(name=f"Sweep team {i}", state="NSW", business_area=area) for i in range(50)
    )
    users = User.objects.bulk_create(
        User(username=f"sweep{i}", team=teams[i % 50], password=make_password(None))
        for i in range(500)
    )
    for team, leader in zip(teams, users, strict=False):
        team.leader = leader
    Team.objects.bulk_update(teams, ["leader"])
    first, _ = customers(locks)
    team_ids, user_ids = [t.pk for t in teams], [u.pk for u in users]
    # 90 % expired (some long ago, some minutes ago), 10 % still running.
    insert_series(
        CustomerLock,
        locks,
        {
            "customer_id": f"{first - 1} + g",
            "owner_team_id": f"(ARRAY{team_ids})[1 + mod(g, {len(team_ids)})]",
            "business_area_id": str(area.pk),
            "reason": "'bench'",
            "locked_at": "now() - interval '40 days'",
            "decision_advice_issued_at": "now() - interval '20 days'",
            "expires_at": (
                "CASE WHEN mod(g, 10) = 0 THEN now() + interval '3 days' "
                "ELSE now() - make_interval(mins => 5 + mod(g, 10000)) END"
            ),
        },
    )
    kind = IntrayType.objects.get(code="general-follow-up")
    # 90 % overdue; half owned by officers, half by teams.
    insert_series(
        Intray,
        intrays,
        {
            "customer_id": f"{first} + mod(g, {locks})",
            "type_id": str(kind.pk),
            "priority": "1 + mod(g, 5)",
            "status": "CASE WHEN mod(g, 3) = 0 THEN 'in_progress' ELSE 'open' END",
            "due_on": (
                "CASE WHEN mod(g, 10) = 0 THEN current_date + 5 "
                "ELSE current_date - 1 - mod(g, 60) END"
            ),
            "owner_user_id": f"CASE WHEN mod(g, 2) = 0 THEN (ARRAY{user_ids})[1 + mod(g, 500)] END",
            "owner_team_id": f"CASE WHEN mod(g, 2) = 1 THEN (ARRAY{team_ids})[1 + mod(g, 50)] END",
        },
    )


def settle(*tables: str) -> None:
    vacuum(*tables)
    execute("CHECKPOINT")


def reset_locks() -> None:
    execute(
        "UPDATE work_customerlock SET released_at = NULL, release_kind = '', "
        "release_reason = '' WHERE release_kind = 'expired'"
    )
    execute("TRUNCATE work_lockevent")
    settle("work_customerlock", "work_lockevent")


def reset_intrays() -> None:
    execute("UPDATE work_intray SET escalated_at = NULL WHERE escalated_at IS NOT NULL")
    execute("TRUNCATE work_escalation")
    settle("work_intray", "work_escalation")


def timed_pairs(repeat: int, reset, raw, sweep) -> tuple[float, float, int, int]:
    """Alternate baseline and sweep from the same state, after one untimed warm-up of
    each (so neither meets a freshly loaded table the other never saw); best of each."""
    raw_t, sweep_t, raw_rows, rows = [], [], 0, 0
    for timed in [False] + [True] * repeat:
        for run, times in ((raw, raw_t), (sweep, sweep_t)):
            reset()
            t0 = time.perf_counter()
            n = run()
            if timed:
                times.append(time.perf_counter() - t0)
            if run is raw:
                raw_rows = n
            else:
                rows = n
    reset()
    return min(raw_t), min(sweep_t), raw_rows, rows


def once(reset, run) -> float:
    reset()
    t0 = time.perf_counter()
    run()
    elapsed = time.perf_counter() - t0
    reset()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locks", type=int, default=100_000, help="locks loaded (90%% expired)")
    parser.add_argument(
        "--intrays", type=int, default=100_000, help="intrays loaded (90%% overdue)"
    )
    parser.add_argument("--batch-size", type=int, default=None, help="sweep batch size")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; best is kept")
    parser.add_argument("--orm", action="store_true", help="also time the ORM batch path")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    setup_django(args.database_url)
    from cma.work.services.sweeps import DEFAULT_BATCH, sweep_auto_unlocks, sweep_escalations

    batch = args.batch_size or DEFAULT_BATCH
    t0 = time.perf_counter()
    load(args.locks, args.intrays)
    print(
        f"sweep: {args.locks:,} locks, {args.intrays:,} intrays loaded in "
        f"{time.perf_counter() - t0:.0f}s; batch {batch:,}; PostgreSQL "
        f"{scalar('SHOW server_version')}"
    )
    cases = [
        ("auto-unlock", reset_locks, lambda: execute(UNLOCK_BASELINE),
         lambda: len(sweep_auto_unlocks(batch_size=batch)),
         lambda: len(sweep_auto_unlocks(batch_size=batch, set_sql=False))),
        ("escalation", reset_intrays, lambda: execute(ESCALATE_BASELINE),
         lambda: len(sweep_escalations(batch_size=batch)),
         lambda: len(sweep_escalations(batch_size=batch, set_sql=False))),
    ]  # fmt: skip
    head = f"{'sweep':<12} {'rows':>9} {'raw s':>8} {'sweep s':>8} {'ratio':>6}"
    print(head + (f" {'orm s':>8} {'orm':>6}" if args.orm else ""))
    for name, reset, raw, sweep, orm in cases:
        raw_s, sweep_s, raw_rows, rows = timed_pairs(args.repeat, reset, raw, sweep)
        if rows != raw_rows:
            raise SystemExit(f"{name}: sweep touched {rows} rows, baseline {raw_rows}")
        line = f"{name:<12} {rows:>9,} {raw_s:>8.2f} {sweep_s:>8.2f} {sweep_s / raw_s:>6.2f}"
        if args.orm:
            orm_s = once(reset, orm)
            line += f" {orm_s:>8.2f} {orm_s / raw_s:>6.2f}"
        print(line)


if __name__ == "__main__":
    main()
