"""Work API: status codes, one audit row per call, refusals, mass assignment (AC-1,
AC-2, VAL-1, VAL-2, LOG-1) over CMA-5, CMA-7, CMA-8, WRK-1, WRK-4, WRK-5, WRK-6."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cma.audit.models import AuditRecord
from cma.work.models import CustomerLock, Escalation, Intray
from cma.work.services.sweeps import sweep_escalations
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def post(client, url, data=None):
    return client.post(API + url, data or {}, content_type="application/json")


def audit_count():
    return AuditRecord.objects.count()


def test_CMA_5_lock_read_unlock_round_trip_each_call_audited_once(as_user, officer, customer):
    c = as_user(officer)
    n = audit_count()
    r = post(c, f"/customers/{customer.pk}/lock", {"reason": "COA in progress"})
    assert r.status_code == 201, r.content
    assert r.json()["owner_key"] == f"user:{officer.pk}"
    assert audit_count() == n + 1
    r = c.get(f"{API}/customers/{customer.pk}/work")
    assert r.status_code == 200 and r.json()["lock"]["reason"] == "COA in progress"
    assert audit_count() == n + 2
    r = post(c, f"/customers/{customer.pk}/lock", {"reason": "again"})
    assert r.status_code == 409 and r.json()["code"] == "customer-already-locked"
    assert audit_count() == n + 3  # the refusal
    r = post(c, f"/customers/{customer.pk}/unlock", {"reason": "resolved"})
    assert r.status_code == 200 and r.json()["release_kind"] == "unlocked"


def test_CMA_5_unlock_by_other_team_is_403_and_audited(as_user, officer, other_officer, customer):
    post(as_user(officer), f"/customers/{customer.pk}/lock", {"reason": "x"})
    c = as_user(other_officer)
    n = audit_count()
    r = post(c, f"/customers/{customer.pk}/unlock", {"reason": "mine"})
    assert r.status_code == 403 and r.json()["code"] == "not-lock-holder"
    assert AuditRecord.objects.count() == n + 1
    assert CustomerLock.objects.get().released_at is None


def test_VAL_2_lock_input_rejects_unknown_fields(as_user, officer, customer):
    r = post(
        as_user(officer),
        f"/customers/{customer.pk}/lock",
        {"reason": "x", "expires_at": "2020-01-01T00:00:00Z", "id": 5},
    )
    assert r.status_code == 422
    assert not CustomerLock.objects.exists()


def test_AC_1_auditor_and_administrator_refused_and_audited(
    as_user, auditor, administrator, customer
):
    for user in (auditor, administrator):
        c = as_user(user)
        n = audit_count()
        assert c.get(f"{API}/customers/{customer.pk}/work").status_code == 403
        assert post(c, f"/customers/{customer.pk}/lock", {"reason": "x"}).status_code == 403
        assert post(c, "/work/next").status_code == 403
        assert audit_count() == n + 3


def test_AC_2_unknown_customer_is_404(as_user, officer):
    r = post(as_user(officer), "/customers/999999/lock", {"reason": "x"})
    assert r.status_code == 404


def test_CMA_7_decision_advice_endpoint_sets_expiry(as_user, officer, customer):
    c = as_user(officer)
    r = post(
        c, f"/customers/{customer.pk}/decision-advice", {"issued_at": "2026-11-02T09:00:00+11:00"}
    )
    assert r.status_code == 204  # not locked
    post(c, f"/customers/{customer.pk}/lock", {"reason": "decision"})
    r = post(
        c, f"/customers/{customer.pk}/decision-advice", {"issued_at": "2026-11-02T09:00:00+11:00"}
    )
    assert r.status_code == 200
    expires = datetime.fromisoformat(r.json()["expires_at"])
    assert expires == datetime(2026, 11, 16, 9, tzinfo=ZoneInfo("Australia/Sydney"))


def test_WRK_1_intray_create_read_assign_complete(as_user, officer, teammate, team, customer):
    c = as_user(officer)
    r = post(
        c,
        "/intrays",
        {"customer_id": customer.pk, "type_code": "client-call-back", "note": "after 3pm"},
    )
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["owner_key"] == f"user:{officer.pk}" and item["status"] == "open"
    r = post(c, f"/intrays/{item['id']}/assign", {"owner_team_id": team.pk, "reason": "leave"})
    assert r.status_code == 200 and r.json()["owner_kind"] == "team"
    c2 = as_user(teammate)
    assert post(c2, f"/intrays/{item['id']}/start").status_code == 200
    r = post(c2, f"/intrays/{item['id']}/complete", {"outcome": "Called back"})
    assert r.status_code == 200 and r.json()["status"] == "completed"
    r = c2.get(f"{API}/intrays/{item['id']}")
    assert [h["kind"] for h in r.json()["history"]] == [
        "created",
        "assigned",
        "started",
        "completed",
    ]


def test_WRK_1_bad_intray_input_is_4xx_and_writes_nothing(as_user, officer, customer):
    c = as_user(officer)
    cases = [
        ({"customer_id": customer.pk, "type_code": "no-such-type"}, 422),
        ({"customer_id": customer.pk, "type_code": "general-follow-up", "status": "done"}, 422),
        (
            {"customer_id": customer.pk, "type_code": "x", "owner_user_id": 1, "owner_team_id": 1},
            422,
        ),
        ({"customer_id": customer.pk, "type_code": "general-follow-up", "case_id": 999999}, 422),
        ({"customer_id": 999999, "type_code": "general-follow-up"}, 404),
    ]
    for body, status in cases:
        r = post(c, "/intrays", body)
        assert r.status_code == status, (body, r.content)
        assert set(r.json()) >= {"code", "message", "field", "details"}
    assert not Intray.objects.exists()


def test_WRK_1_delete_without_reason_is_422(as_user, officer, customer):
    item = IntrayFactory(customer=customer, owner_user=officer)
    r = post(as_user(officer), f"/intrays/{item.pk}/delete", {"reason": ""})
    assert r.status_code == 422
    item.refresh_from_db()
    assert item.status == "open"


def test_WRK_6_tl_only_referral_via_api(as_user, officer, team_leader, customer):
    body = {"customer_id": customer.pk, "type_code": "ps-referral-tl-only", "note": "Urgent"}
    r = post(as_user(officer), "/intrays", body)
    assert r.status_code == 403 and r.json()["code"] == "intray-type-restricted"
    assert post(as_user(team_leader), "/intrays", body).status_code == 201


def test_WRK_4_next_work_endpoint(as_user, officer, team):
    item = IntrayFactory(owner_team=team)
    c = as_user(officer)
    r = post(c, "/work/next")
    assert r.status_code == 200 and r.json()["id"] == item.pk
    assert r.json()["status"] == "in_progress"
    assert post(c, "/work/next").status_code == 204
    mine = c.get(f"{API}/work/mine").json()
    assert [i["id"] for i in mine["items"]] == [item.pk]


def test_WRK_5_team_queue_for_leaders_only(as_user, officer, team_leader, customer):
    late = IntrayFactory(customer=customer, owner_user=officer, due_on=date.today() - timedelta(2))
    sweep_escalations()
    assert as_user(officer).get(f"{API}/work/team-queue").status_code == 403
    c = as_user(team_leader)
    r = c.get(f"{API}/work/team-queue")
    assert r.status_code == 200
    body = r.json()
    assert [i["id"] for i in body["items"]] == [late.pk] and body["items"][0]["overdue"]
    (esc,) = body["escalations"]
    assert esc["intray_id"] == late.pk
    r = post(c, f"/work/escalations/{esc['id']}/acknowledge")
    assert r.status_code == 204
    assert Escalation.objects.get().acknowledged_by == team_leader
    assert post(c, f"/work/escalations/{esc['id']}/acknowledge").status_code == 409


def test_CMA_8_routing_endpoint(as_user, officer, customer):
    c = as_user(officer)
    kinds = c.get(f"{API}/referral-guidelines/issue-kinds").json()
    assert {"complaint", "residency"} <= {k["code"] for k in kinds}
    r = post(c, f"/customers/{customer.pk}/routing", {"issues": ["complaint", "payment-enquiry"]})
    assert r.status_code == 200
    first, second = r.json()
    assert first["area"] == "complaints" and not first["resolve_at_point_of_entry"]
    assert second["resolve_at_point_of_entry"] and second["rule"] == "default"
    r = post(c, f"/customers/{customer.pk}/routing", {"issues": ["nope"]})
    assert r.status_code == 422
