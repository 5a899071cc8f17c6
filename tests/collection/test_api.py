"""The collection API: a call walked through MCA, issues, a referral and a payee's lead,
the bad input the issue names (each a clear refusal, nothing half-written), the call's
collection read and the customer's issues list, and the figures' permissions."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.collection.models import McaRecord, PayeeLead, PresentingIssue
from cma.customers.models import agency_today
from cma.work.models import Intray
from tests.factories import CaseFactory

from .conftest import ALL_ADDRESSED, head, rows_since


@pytest.fixture
def api(officer):
    client = Client()
    client.force_login(officer)
    return client


def _post(client, url, body):
    return client.post(f"/api/v1{url}", body, content_type="application/json")


def test_CMA_1_CMA_2_CMA_3_CMA_4_a_call_walked_through_the_api(api, call, cases):
    base = f"/interactions/{call.pk}"
    for case in cases:
        response = _post(api, f"{base}/mca", {"case_id": case.pk, **ALL_ADDRESSED})
        assert response.status_code == 201, response.content
    common = _post(api, f"{base}/issues", {"kind": "payment-enquiry"}).json()
    routed = _post(api, f"{base}/issues", {"kind": "estimate", "case_id": cases[0].pk}).json()
    referred = _post(api, f"{base}/service-referrals", {"organisation": "ato", "consent": True})
    lead = _post(
        api,
        f"{base}/payee-leads",
        {
            "case_id": cases[0].pk,
            "kind": "employer",
            "name": "Acme Pty",
            "identifier": "51824753556",
        },
    )
    told = _post(
        api, f"{base}/payee-updates", {"case_id": cases[0].pk, "outcome": "told-action-taken"}
    )
    assert common["status"] == "resolved" and routed["status"] == "routed"
    assert routed["intray_status"] == "open" and referred.json()["status"] == "referred"
    assert lead.json()["identifier_masked"] == "••••••••556" and told.status_code == 201
    assert "51824753556" not in lead.content.decode()
    read = api.get(f"/api/v1{base}/collection").json()
    assert read["mca_complete"] and read["missing_case_ids"] == []
    assert [c["account"]["arrears"] for c in read["cases"]] == ["2500.00", "0.00"]
    assert len(read["issues"]) == 3 and len(read["leads"]) == 1
    ended = _post(api, f"{base}/end", {"reason": "completed"})
    assert ended.status_code == 200, ended.content
    listed = api.get(f"/api/v1/customers/{call.customer_id}/issues").json()
    assert {i["status"] for i in listed} == {"resolved", "routed", "referred"}


def test_CMA_1_ending_with_mca_incomplete_and_no_reason_prompts_for_it(api, call, cases):
    response = _post(api, f"/interactions/{call.pk}/end", {"reason": "completed"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "end-refused" and body["field"] == "override_reason"
    assert "C9100001, C9100002" in body["message"]
    done = _post(
        api,
        f"/interactions/{call.pk}/end",
        {"reason": "completed", "override_reason": "Customer asked to call back later"},
    )
    assert done.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        (
            "mca",
            lambda c: {"case_id": c.pk, **ALL_ADDRESSED, "care": "maybe"},
            "invalid-input",
            "care",
        ),
        (
            "mca",
            lambda c: {"case_id": CaseFactory().pk, **ALL_ADDRESSED},
            "not-party-to-case",
            "case_id",
        ),
        (
            "service-referrals",
            lambda c: {"organisation": "ghostbusters", "consent": True},
            "unknown-organisation",
            "organisation",
        ),
        (
            "service-referrals",
            lambda c: {"organisation": "ato", "consent": False},
            "issue-refused",
            "consent",
        ),
        ("issues", lambda c: {"kind": "tarot-reading"}, "unknown-issue-kind", "kind"),
        (
            "payee-leads",
            lambda c: {
                "case_id": c.pk,
                "kind": "employer",
                "name": "Acme",
                "note": "Ring 0491 570 111",
            },
            "personal-information",
            None,
        ),
    ],
)
def test_CMA_1_CMA_2_CMA_4_CMA_8_bad_input_is_refused_and_nothing_is_written(
    api, call, payee_case, path, body, code, field
):
    before = head()
    response = _post(api, f"/interactions/{call.pk}/{path}", body(payee_case))
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == code
    fields = [answer["field"], *[d.get("field") for d in answer["details"]]]
    assert field in fields or field is None
    assert not McaRecord.objects.exists() and not PresentingIssue.objects.exists()
    assert not PayeeLead.objects.exists() and not Intray.objects.exists()
    rows = rows_since(before)
    assert len(rows) <= 1 and all(outcome == Outcome.REFUSED for _, outcome in rows)


def test_CON_9_the_call_collection_waits_for_the_callers_identity(api, officer, customer, cases):
    from cma.contact import services as contact

    call = contact.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone", line="u9"
    )
    before = AuditRecord.objects.count()
    response = api.get(f"/api/v1/interactions/{call.pk}/collection")
    assert response.status_code == 409 and response.json()["code"] == "identity-not-confirmed"
    assert "C9100001" not in response.content.decode()
    assert AuditRecord.objects.count() - before == 1


def test_REP_1_figures_for_leaders_only(api, team_leader, call):
    today = agency_today().isoformat()
    url = f"/api/v1/collection/figures?start={today}&end={today}"
    assert api.get(url).status_code == 403
    leader = Client()
    leader.force_login(team_leader)
    before = AuditRecord.objects.count()
    got = leader.get(url)
    assert got.status_code == 200, got.content
    assert got.json()["scope"] == f"team:{team_leader.team_id}"
    assert AuditRecord.objects.count() - before == 1
    assert leader.get(url.replace("start=", "start=x")).status_code == 422
