"""AUD-1: append-only, hash-chained audit trail verified by `cma audit verify`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cma.audit import services
from cma.audit.models import AppendOnlyError, AuditRecord
from cma.customers.selectors import get_customer_for
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _write(n: int, actor=None) -> None:
    for i in range(n):
        services.record(
            actor=actor, action="test.thing.done", object_type="thing", object_id=str(i)
        )


def test_AUD_1_read_of_customer_record_is_audited(officer):
    customer = CustomerFactory()
    before = AuditRecord.objects.count()
    get_customer_for(officer, customer.pk)
    row = AuditRecord.objects.order_by("-id").first()
    assert AuditRecord.objects.count() == before + 1
    assert (row.action, row.customer_id, row.actor_id) == (
        "customers.customer.viewed",
        customer.pk,
        officer.pk,
    )


def test_AUD_1_orm_refuses_update_and_delete():
    _write(1)
    row = AuditRecord.objects.get()
    row.reason = "changed"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()


def test_AUD_1_seal_chains_contiguously_and_verify_passes():
    _write(25)
    assert services.seal(batch_size=7) == 25
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 26))
    result = services.verify()
    assert result.ok and result.checked == 25


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_append_only_row")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_append_only_row")


@pytest.mark.parametrize(
    ("sql", "bad_seq"),
    [
        ("UPDATE audit_auditrecord SET reason = 'forged' WHERE seq = %s", 4),
        ("DELETE FROM audit_auditrecord WHERE seq = %s", 4),
        ("UPDATE audit_auditrecord SET prev_hash = repeat('a', 64) WHERE seq = %s", 4),
    ],
    ids=["modified", "deleted", "relinked"],
)
def test_AUD_1_verify_names_first_broken_link(sql, bad_seq):
    _write(8)
    services.seal()
    _tamper(sql, [4])
    result = services.verify()
    assert not result.ok
    assert result.bad_seq == bad_seq
    with pytest.raises(CommandError, match=f"seq {bad_seq}"):
        call_command("audit", "verify")


def test_AUD_1_verify_command_reports_intact_chain(capsys):
    _write(3)
    call_command("audit", "verify")
    assert "3 records verified" in capsys.readouterr().out


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL trigger")
def test_AUD_1_postgres_trigger_blocks_update_delete_truncate():
    """Only runs on PostgreSQL; the SQLite run is covered by the ORM refusal test."""
    _write(2)
    services.seal()
    for statement in (
        "UPDATE audit_auditrecord SET reason = 'x'",
        "DELETE FROM audit_auditrecord",
        "UPDATE audit_auditrecord SET seq = seq + 100",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(statement)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_append_only_truncate")
            cur.execute("TRUNCATE audit_auditrecord")
    assert AuditRecord.objects.count() == 2


@pytest.mark.parametrize("customer_id", [2**63, -(2**63) - 1, 10**40, "not-a-number"])
def test_AUD_1_a_refusal_is_never_lost_to_an_id_out_of_range(customer_id):
    """SEC-1: the refusal of `/customers/<huge>` keeps its row; the id is kept as text."""
    row = services.record_refusal(
        actor=None,
        action="customers.customer.refused",
        error=PermissionError(),
        customer_id=customer_id,
        object_id="9" * 100,
    )
    row = AuditRecord.objects.get(pk=row.pk)
    assert row.customer_id is None
    assert row.changes["customer_id"] == str(customer_id)
    assert row.changes["object_id"] == "9" * 100 and row.object_id == "9" * 64
    assert services.verify().ok


def test_AUD_1_a_row_never_carries_nul_that_postgresql_would_refuse():
    row = services.record(actor=None, action="x.y\x00", reason="a\x00b", changes={"k": "\x00"})
    row = AuditRecord.objects.get(pk=row.pk)
    assert (row.action, row.reason, row.changes) == ("x.y\ufffd", "a\ufffdb", {"k": "\ufffd"})
