"""Benchmark the staff customer page (issue 23) against a raw lookup in the same run.

    .venv/bin/python bench/customer_page.py                          # SQLite, a temp file
    .venv/bin/python bench/customer_page.py --database-url postgres://postgres@127.0.0.1:5432/cma_bench_page
    DATABASE_URL=postgres://... .venv/bin/python bench/customer_page.py --customers 100000

The customer has 500 notes, 100 intrays and 50 letters (and one interaction, contact
attempt, lock and decision) among `--customers` others with a note each. Page: the full
request through Django's test Client in-process (middleware, session, the door, the
audit row, every section rendered). Raw: the same core facts by hand-written SQL
through `connection.cursor()` (customer and protection flags, cases and accounts,
numbers, open intrays, the lock, one timeline page of each kind, decisions to
explain). Prints p50/p95 of each, the page's query count and the ratio page/raw.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RAW = [
    """SELECT c.id, c.crn, c.given_names, c.family_name, c.date_of_birth, c.state,
       EXISTS (SELECT 1 FROM notes_safetymarker m WHERE m.customer_id = c.id
               AND m.ended_at IS NULL),
       EXISTS (SELECT 1 FROM notes_sensitiveindicator s WHERE s.customer_id = c.id
               AND s.removed_at IS NULL),
       EXISTS (SELECT 1 FROM notes_restrictedservice r WHERE r.customer_id = c.id
               AND r.ended_at IS NULL)
       FROM customers_customer c WHERE c.id = %(c)s""",
    """SELECT k.id, k.case_number, a.arrears, a.ongoing_liability, a.last_payment_date
       FROM customers_case k LEFT JOIN customers_accountsummary a ON a.case_id = k.id
       WHERE k.payer_id = %(c)s OR k.payee_id = %(c)s ORDER BY k.case_number""",
    "SELECT id, kind, number FROM customers_contactdetail WHERE customer_id = %(c)s",
    """SELECT i.id, t.name, i.due_on, i.status FROM work_intray i
       JOIN policy_intraytype t ON t.id = i.type_id
       WHERE i.customer_id = %(c)s AND i.status IN ('open', 'in_progress')
       ORDER BY i.priority, i.due_on, i.id""",
    """SELECT id, owner_user_id, owner_team_id, locked_at FROM work_customerlock
       WHERE customer_id = %(c)s AND released_at IS NULL""",
    """SELECT id, started_at, receipt FROM contact_interaction WHERE customer_id = %(c)s
       ORDER BY started_at DESC, id DESC LIMIT 21""",
    """SELECT id, at, outcome FROM contact_contactattempt WHERE customer_id = %(c)s
       ORDER BY at DESC, id DESC LIMIT 21""",
    """SELECT id, created_at, subject FROM notes_note WHERE customer_id = %(c)s
       ORDER BY created_at DESC, id DESC LIMIT 21""",
    """SELECT id, issued_at, reference FROM letters_letter WHERE customer_id = %(c)s
       ORDER BY issued_at DESC, id DESC LIMIT 21""",
    """SELECT id, created_at, status FROM work_intray WHERE customer_id = %(c)s
       ORDER BY created_at DESC, id DESC LIMIT 21""",
    """SELECT d.id, d.created_at, d.state FROM decisions_decision d
       JOIN customers_case k ON k.id = d.case_id
       WHERE k.payer_id = %(c)s OR k.payee_id = %(c)s
       ORDER BY d.created_at DESC, d.id DESC LIMIT 21""",
    """SELECT id, at, kind FROM work_lockevent WHERE customer_id = %(c)s
       ORDER BY at DESC, id DESC LIMIT 21""",
    """SELECT p.id, d.kind FROM decisions_affectedparty p
       JOIN decisions_decision d ON d.id = p.decision_id
       WHERE p.customer_id = %(c)s AND p.explained_at IS NULL
       AND d.state IN ('draft', 'ready')""",
]


def setup(url: str) -> None:
    # As production runs: connections kept between requests, checked before reuse.
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.web.history builds the customer's history
    if url.startswith("postgres"):
        sys.path.insert(0, str(ROOT / "bench"))
        from _setup import setup_django

        setup_django(url)
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cma.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from cma.policy.loader import load_all

    call_command("migrate", verbosity=0)
    load_all()


def load(others: int):
    from django.conf import settings
    from django.db import connection
    from tests.web.history import add_history

    from cma.customers.models import Customer
    from cma.notes.models import Note
    from cma.policy.models import BusinessArea
    from cma.staff.models import Role, Team
    from cma.staff.services import create_staff_user

    settings.DEBUG = False  # no query log: it would slow every request
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    area = BusinessArea.objects.get(code="mainstream")
    team = Team.objects.create(name="Bench Service NSW", state="NSW", business_area=area)
    officer = create_staff_user(
        username="bench-officer",
        password=secrets.token_urlsafe(),
        role=Role.SERVICE_OFFICER,
        team=team,
    )
    born = "1980-01-01"
    filler = Customer.objects.bulk_create(
        Customer(
            crn=f"B{i:09d}",
            given_names="Bench",
            family_name=f"Customer {i}",
            date_of_birth=born,
            role="payer",
            state="NSW",
        )
        for i in range(others)
    )
    Note.objects.bulk_create(
        Note(customer=c, subject="Call", body="Discussed care", author=officer) for c in filler
    )
    heavy = Customer.objects.create(
        crn="H000000001",
        given_names="Heavy",
        family_name="History",
        date_of_birth=born,
        role="payer",
        state="NSW",
        address_line="12 Example Street",
        locality="Parramatta",
        postcode="2150",
    )
    payee = Customer.objects.create(
        crn="H000000002", given_names="Other", family_name="Party", date_of_birth=born,
        role="payee", state="VIC",
    )  # fmt: skip
    add_history(heavy, officer, payee, notes_n=500, intrays_n=100, letters_n=50)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return officer, heavy


def timings(fn, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds of each of n calls (the CPU time
    says how much of the wall time is ours on a shared machine)."""
    for _ in range(max(5, n // 10)):  # warm caches, connections, templates
        fn()
    wall, cpu = [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--customers", type=int, default=5_000, help="other customers")
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each")
    args = parser.parse_args()
    url = args.database_url
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory(prefix="cma-bench-page-")
        url = f"sqlite:///{tmp.name}/bench.sqlite3"
    setup(url)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    officer, heavy = load(args.customers)
    client = Client()
    client.force_login(officer)
    page_url = reverse("web:customer-detail", args=[heavy.pk])

    def page() -> None:
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code

    def raw() -> None:
        with connection.cursor() as cur:
            for sql in RAW:
                cur.execute(sql, {"c": heavy.pk})
                cur.fetchall()

    page()
    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("page()", globals(), {"page": page}, sort=os.environ["BENCH_PROFILE"])
    (page_ms, page_cpu), (raw_ms, raw_cpu) = (
        timings(page, args.requests),
        timings(raw, args.requests),
    )
    print(f"customer page benchmark on {connection.vendor}: heavy customer (500 notes, ")
    print(f"100 intrays, 50 letters) among {args.customers} others; {args.requests} requests")
    print(f"page queries: {len(seen)}   raw statements: {len(RAW)}")
    print(f"{'':<6} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")
    for label, values, cpu in (("page", page_ms, page_cpu), ("raw", raw_ms, raw_cpu)):
        print(f"{label:<6} {pct(values, 50):>8.2f} {pct(values, 95):>8.2f} {pct(cpu, 50):>8.2f}")
    print(
        f"ratio page/raw: p50 {pct(page_ms, 50) / pct(raw_ms, 50):.1f}x, "
        f"p95 {pct(page_ms, 95) / pct(raw_ms, 95):.1f}x"
    )
    if tmp is not None:
        connection.close()
        tmp.cleanup()


if __name__ == "__main__":
    main()
