"""Shared set-up for the work benchmarks: a PostgreSQL database of their own, migrated,
policy loaded, and fast set-based loaders. Not imported by the application."""

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cma_bench_work"


def setup_django(url: str) -> None:
    """Point Django at the benchmark database (created if missing), migrate, load policy."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cma.settings.local")
    if not url.startswith("postgres"):
        sys.exit("the benchmarks need PostgreSQL (--database-url postgres://...)")
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        # A fresh database every run: results never depend on an earlier run's leftovers.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    from cma.policy.loader import load_all

    call_command("migrate", verbosity=0)
    load_all()


def execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def vacuum(*tables: str) -> None:
    """Autovacuum is off on these machines: without this, plans and timings are wrong."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")


def insert_series(model, n: int, values: dict[str, str], start: int = 1) -> None:
    """INSERT n rows of `model` from generate_series (g = start..start+n-1). `values` maps
    column to a SQL expression over g; other columns get NULL, '', false or now()."""
    from django.db import models

    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        col = field.column
        if col in values:
            expr = values[col]
        elif field.null:
            expr = "NULL"
        elif isinstance(field, models.BooleanField):
            expr = "false"
        elif isinstance(field, models.DateTimeField):
            expr = "now()"
        elif isinstance(field, models.JSONField):
            expr = "'[]'::jsonb"
        elif isinstance(field, (models.CharField, models.TextField)):
            expr = "''"
        else:
            raise ValueError(f"give a value for {model.__name__}.{col}")
        columns.append(col)
        exprs.append(expr)
    execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM generate_series(%s, %s) AS g",
        [start, start + n - 1],
    )


def customers(n: int) -> tuple[int, int]:
    """n synthetic customers; returns their (first id, last id)."""
    from cma.customers.models import Customer

    start = (scalar("SELECT coalesce(max(id), 0) FROM customers_customer") or 0) + 1
    insert_series(
        Customer,
        n,
        {
            "crn": "'B' || lpad(g::text, 9, '0')",
            "given_names": "'Bench'",
            "family_name": "'Customer ' || g",
            "date_of_birth": "date '1980-01-01' + mod(g, 7000)",
            "role": "CASE WHEN mod(g, 2) = 0 THEN 'payer' ELSE 'payee' END",
            "state": "'NSW'",
            "country": "'AU'",
            "preferred_contact_method": "'phone'",
        },
        start=start,
    )
    first = scalar("SELECT min(id) FROM customers_customer WHERE crn >= %s", [f"B{start:09d}"])
    return first, first + n - 1


@contextmanager
def timed(label: str, results: dict):
    t0 = time.perf_counter()
    yield
    results[label] = time.perf_counter() - t0
