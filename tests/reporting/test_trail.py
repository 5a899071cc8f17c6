"""AUD-1, SEC-1 (issue 23 item 7): the auditor's trail viewer. An auditor finds who
touched a customer, by reference or number, without seeing the customer's details;
each record shows its place in the chain and whether it verifies; a search is one audit
row; the pages and the API refuse everyone else."""

import pytest
from django.db import connection

from cma.audit import services as audit
from cma.audit.models import AuditRecord
from cma.customers.selectors import get_customer_for
from cma.reporting import trail
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _write(n: int, action: str = "test.thing.done") -> None:
    for i in range(n):
        audit.record(actor=None, action=action, object_type="thing", object_id=str(i))


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_append_only_row")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_append_only_row")


def test_AUD_1_SEC_1_an_auditor_finds_who_read_a_customer_without_their_details(
    client, officer, auditor
):
    customer = CustomerFactory(given_names="Sentinelgiven", family_name="Sentinelfamily")
    get_customer_for(officer, customer.pk)
    client.force_login(auditor)
    response = client.get("/reporting/trail/", {"customer": customer.crn})
    body = response.content.decode()
    assert response.status_code == 200
    assert officer.username in body and "customers.customer.viewed" in body
    assert f"customer number {customer.pk}" in body
    for detail in ("Sentinelgiven", "Sentinelfamily", customer.crn):
        assert detail not in body.split('id="trail"')[1]
    searched = AuditRecord.objects.filter(action="audit.trail.searched").get()
    assert searched.customer_id == customer.pk and searched.actor_id == auditor.pk
    assert searched.changes["filter"] == {"customer": customer.crn}


def test_AUD_1_each_record_shows_its_place_in_the_chain_and_a_broken_link(auditor):
    _write(6)
    audit.seal()
    _tamper("UPDATE audit_auditrecord SET reason = 'forged' WHERE seq = %s", [4])
    _write(1)  # not yet sealed
    page = trail.search_trail(auditor, trail.TrailFilter(action="test."))
    states = {row.seq: row.chain for row in page.rows}
    assert states == {
        None: "not yet sealed",
        6: "verified",
        5: "verified",
        4: "broken",
        3: "verified",
        2: "verified",
        1: "verified",
    }


def test_AUD_1_pages_of_the_trail_by_keyset_in_a_fixed_number_of_queries(
    auditor, django_assert_num_queries
):
    _write(trail.PAGE_SIZE + 7)
    audit.seal()
    wanted = trail.TrailFilter(action="test.thing.done")
    # The page, the predecessors' hashes, the audit row of the search.
    with django_assert_num_queries(3):
        first = trail.search_trail(auditor, wanted)
    assert len(first.rows) == trail.PAGE_SIZE and first.next_before == first.rows[-1].id
    second = trail.search_trail(auditor, wanted, before=first.next_before)
    assert len(second.rows) == 7 and second.next_before is None
    ids = [r.id for r in first.rows + second.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == trail.PAGE_SIZE + 7


def test_AUD_1_the_trail_filters_by_actor_action_and_period(auditor, officer):
    audit.record(actor=officer, action="work.customer.locked", object_type="x", object_id="1")
    audit.record(actor=auditor, action="work.customer.locked", object_type="x", object_id="2")
    audit.record(actor=officer, action="notes.note.added", object_type="x", object_id="3")
    by_officer = trail.search_trail(
        auditor, trail.TrailFilter(actor=officer.username.upper(), action="work.")
    )
    assert [r.object_id for r in by_officer.rows] == ["1"]
    today = AuditRecord.objects.get(object_id="1").created_at.date()
    none_yet = trail.search_trail(
        auditor, trail.TrailFilter(start=today.replace(year=today.year + 1))
    )
    assert none_yet.rows == []


def test_VAL_1_a_bad_search_lists_every_problem_and_writes_nothing(client, auditor):
    client.force_login(auditor)
    before = AuditRecord.objects.count()
    response = client.get(
        "/api/v1/audit/records",
        {
            "customer": "000000001Z",
            "action": "Not A Code",
            "start": "2026-02-01",
            "end": "2026-01-01",
        },
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {"customer", "action", "end"}
    page = client.get("/reporting/trail/", {"customer": "nonsense"})
    assert page.status_code == 422 and "customer reference number" in page.content.decode()
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("role", ["officer", "team_leader", "national_manager", "ps_team_leader"])
def test_SEC_1_only_auditors_and_administrators_see_the_trail(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/reporting/trail/").status_code == 403
    assert client.get("/reporting/trail/export.csv").status_code == 403
    assert client.post("/reporting/trail/verify/").status_code == 403
    assert client.get("/api/v1/audit/records").status_code == 403
    assert not AuditRecord.objects.filter(action__startswith="audit.").exists()


def test_AUD_1_the_administrator_checks_the_whole_chain_from_the_page(client, administrator):
    _write(5)
    client.force_login(administrator)
    expected = AuditRecord.objects.count()  # the five and the sign-in
    response = client.post("/reporting/trail/verify/", follow=True)
    assert f"The chain verifies: {expected} records intact." in response.content.decode()
    _tamper("UPDATE audit_auditrecord SET reason = 'forged' WHERE seq = %s", [2])
    response = client.post("/reporting/trail/verify/", follow=True)
    assert "The chain is broken at record 2" in response.content.decode()
    checks = AuditRecord.objects.filter(action="audit.chain.verified").order_by("id")
    assert [r.changes["intact"] for r in checks] == [True, False]


def test_FILE_1_FILE_2_the_search_exports_as_csv_audited_with_its_filter_and_count(client, auditor):
    audit.record(actor=None, action="test.csv", object_type="x", object_id="1", reason="=1+1")
    audit.record(actor=None, action="test.csv", object_type="x", object_id="2", reason='a, "b"')
    client.force_login(auditor)
    response = client.get("/reporting/trail/export.csv", {"action": "test.csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cma-audit-trail-')
    text = b"".join(response.streaming_content).decode()
    lines = text.split("\r\n")
    assert lines[0].startswith("record,position in chain,at,actor,action")
    assert len([line for line in lines if line]) == 3
    assert ",'=1+1," in lines[1] and ',"a, ""b""",' in lines[2]
    exported = AuditRecord.objects.get(action="audit.trail.exported")
    assert exported.changes == {"filter": {"action": "test.csv"}, "rows": 2}
