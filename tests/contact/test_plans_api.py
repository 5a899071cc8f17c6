"""CON-1..CON-6 through the API: purposes, plans with their next step, attempts,
letters and cancelling; bad input is a 4xx naming the field, with nothing written but
the audited refusal."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.contact.models import ContactAttempt, ContactPlan
from cma.letters.models import Letter
from tests.contact.plan_helpers import customer_with, head, rows_since

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _create(client, customer, **body):
    body.setdefault("purpose", "explain-decision")
    return _post(client, f"/api/v1/customers/{customer.pk}/contact-plans", body)


def test_CON_3_CON_4_purposes_say_what_each_owes(officer_client):
    response = officer_client.get("/api/v1/contact/purposes")
    assert response.status_code == 200
    debt = {p["code"]: p for p in response.json()}["debt-no-collection-avenue"]
    assert debt["additional_attempts"] is True and debt["mx1_reason"] == "payments-behind"


def test_CON_1_create_read_and_list_a_plan(officer_client):
    customer = customer_with("mobile", "home", relay_need="nrs")
    response = _create(officer_client, customer, subject="decision:5")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["state"] == "open" and plan["purpose_name"] == "Explain a decision"
    assert plan["next_step"]["kind"] == "call"
    assert plan["next_step"]["number_types"] == ["mobile", "home"]
    assert plan["next_step"]["text"].endswith("mobile, home (NRS needed)")
    before = head()
    read = officer_client.get(f"/api/v1/contact-plans/{plan['id']}")
    assert read.status_code == 200 and read.json()["id"] == plan["id"]
    listed = officer_client.get(f"/api/v1/customers/{customer.pk}/contact-plans")
    assert [p["id"] for p in listed.json()] == [plan["id"]]
    assert rows_since(before) == [
        ("contact.plan.viewed", Outcome.OK),
        ("contact.plan.listed", Outcome.OK),
    ]
    number = customer.phones.first().number
    assert number not in read.content.decode() and number[-9:] not in read.content.decode()


def test_CON_5_attempts_are_recorded_and_counted(officer_client):
    customer = customer_with("mobile")
    plan = _create(officer_client, customer).json()
    url = f"/api/v1/contact-plans/{plan['id']}/attempts"
    response = _post(
        officer_client, url, {"channel": "phone", "number_type": "mobile", "outcome": "no-answer"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attempts"][0]["counted_for"] == "First call"
    assert body["attempts"][0]["number_type"] == "mobile"
    assert body["next_step"]["kind"] == "letter-mx1-1" and body["required_attempts_done"]


def test_CON_5_bad_attempts_are_refused_naming_the_field(officer_client):
    plan = _create(officer_client, customer_with("mobile")).json()
    url = f"/api/v1/contact-plans/{plan['id']}/attempts"
    before = head()
    fax = _post(
        officer_client, url, {"channel": "phone", "number_type": "fax", "outcome": "no-answer"}
    )
    assert fax.status_code == 422 and fax.json()["field"] == "number_type"
    assert rows_since(before) == []  # refused by the schema before any code ran
    work = _post(
        officer_client, url, {"channel": "phone", "number_type": "work", "outcome": "no-answer"}
    )
    assert work.status_code == 422 and work.json()["code"] == "plan-refused"
    assert "no work number on record" in work.json()["message"]
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.REFUSED)]
    assert not ContactAttempt.objects.exists()


def test_CON_6_a_non_preferred_contact_without_a_reason_is_refused(officer_client):
    customer = customer_with("mobile", preferred_contact_method="email")
    plan = _create(officer_client, customer).json()
    url = f"/api/v1/contact-plans/{plan['id']}/attempts"
    call = {"channel": "phone", "number_type": "mobile", "outcome": "no-answer"}
    before = head()
    refused = _post(officer_client, url, call)
    assert refused.status_code == 422
    assert refused.json()["field"] == "non_preferred_reason"
    assert "CON-6" in refused.json()["message"]
    assert rows_since(before) == [("contact.attempt.recorded", Outcome.REFUSED)]
    done = _post(officer_client, url, {**call, "non_preferred_reason": "Urgent debt matter"})
    assert done.status_code == 201 and done.json()["attempts"][0]["non_preferred"] is True


def test_CON_4_mx1_1_with_employer_non_compliance_is_refused(officer_client):
    customer = customer_with("mobile")
    plan = _create(officer_client, customer, employer_non_compliant=True).json()
    assert plan["unmet"][-1]["text"].startswith("Enforcement / no letter")
    before = head()
    response = _post(
        officer_client, f"/api/v1/contact-plans/{plan['id']}/letter", {"template": "MX1-1"}
    )
    assert response.status_code == 422 and "CON-4" in response.json()["message"]
    assert rows_since(before) == [("contact.plan.letter_issued", Outcome.REFUSED)]
    assert not Letter.objects.exists()


def test_CON_4_mx1_1_is_issued_after_failed_attempts(officer_client):
    customer = customer_with("mobile")
    plan = _create(officer_client, customer, purpose="request-information").json()
    _post(
        officer_client,
        f"/api/v1/contact-plans/{plan['id']}/attempts",
        {"channel": "phone", "number_type": "mobile", "outcome": "voicemail"},
    )
    response = _post(
        officer_client, f"/api/v1/contact-plans/{plan['id']}/letter", {"template": "MX1-1"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "letter-issued" and body["letter_template"] == "MX1-1"
    assert body["response_due_on"] and body["completed_unsuccessful"]


def test_an_unknown_purpose_is_422_and_audited(officer_client):
    customer = customer_with("mobile")
    before = head()
    response = _create(officer_client, customer, purpose="small-talk")
    assert response.status_code == 422 and response.json()["field"] == "purpose"
    assert rows_since(before) == [("contact.plan.created", Outcome.REFUSED)]
    missing_case = _create(officer_client, customer, case_id=987654)
    assert missing_case.status_code == 404 and missing_case.json()["field"] == "case_id"
    assert not ContactPlan.objects.exists()


def test_cancel_and_an_unknown_plan(officer_client):
    plan = _create(officer_client, customer_with("mobile")).json()
    url = f"/api/v1/contact-plans/{plan['id']}/cancel"
    assert _post(officer_client, url, {"reason": ""}).status_code == 422
    done = _post(officer_client, url, {"reason": "Decision withdrawn"})
    assert done.status_code == 200 and done.json()["state"] == "cancelled"
    again = _post(officer_client, url, {"reason": "Again"})
    assert again.status_code == 409 and again.json()["code"] == "plan-closed"
    before = head()
    assert officer_client.get("/api/v1/contact-plans/999999").status_code == 404
    row = AuditRecord.objects.get(pk__gt=before)
    assert (row.outcome, row.object_id) == (Outcome.REFUSED, "999999")


def test_SEC_1_roles_without_customers_get_403(client, auditor):
    plan_owner_customer = customer_with("mobile")
    client.force_login(auditor)
    response = _create(client, plan_owner_customer)
    assert response.status_code == 403
