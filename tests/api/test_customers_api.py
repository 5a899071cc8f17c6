"""The JSON API under /api/v1/: customers, cases, imports, errors, auth (API-2, AC-1)."""

import json
from datetime import date

import pytest
from django.test import Client

from cma.audit.models import AuditRecord
from cma.customers.models import (
    AlternativeContact,
    AuthorisedRepresentative,
    Child,
    Customer,
    RepresentativeAuthority,
)
from cma.staff.services import issue_api_token, revoke_api_token
from tests.factories import AccountSummaryFactory, CaseFactory, CustomerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def case():
    payer = CustomerFactory(given_names="Mia", family_name="Nguyen", crn="123456789A")
    payee = CustomerFactory(given_names="Jack", family_name="Smith", role="payee")
    case = CaseFactory(case_number="C1234567", payer=payer, payee=payee)
    Child.objects.create(
        case=case, given_names="Ava", family_name="Smith", date_of_birth=date(2018, 1, 2)
    )
    AccountSummaryFactory(case=case, arrears=1200)
    rep = AuthorisedRepresentative.objects.create(name="Jordan Legal-Aid", organisation="Legal Aid")
    RepresentativeAuthority.objects.create(
        representative=rep, customer=payer, starts_on=date(2025, 1, 1)
    )
    AlternativeContact.objects.create(
        customer=payer,
        name="Kim Nguyen",
        role="sibling",
        phone="+61491570111",
        ends_on=date(2099, 1, 1),
    )
    return case


@pytest.fixture
def customer(case):
    return case.payer


def _post(client, path, body, **headers):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **headers)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user, name="feed") -> tuple[str, dict]:
    _, raw = issue_api_token(user=user, name=name)
    return raw, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _new_audit(before_id: int) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(id__gt=before_id).order_by("id"))


def _head() -> int:
    last = AuditRecord.objects.order_by("-id").first()
    return last.id if last else 0


# --- schema and docs ---------------------------------------------------------------------


def test_openapi_schema_and_docs_need_a_sign_in(client, officer):
    for path in ("/openapi.json", "/docs"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    client.force_login(officer)
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/customers/search" in schema.json()["paths"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_health_is_open(client):
    response = client.get(f"{API}/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


# --- search and reads --------------------------------------------------------------------


def test_AUD_1_search_by_name_reference_and_case_number_is_audited(officer_client, officer, case):
    before = _head()
    expected = {
        "mia nguyen": ["123456789A"],
        "123456789A": ["123456789A"],
        "C1234567": sorted([case.payer.crn, case.payee.crn]),  # both parties to the case
    }
    for query, crns in expected.items():
        response = _post(officer_client, "/customers/search", {"query": query})
        assert response.status_code == 200, response.content
        assert sorted(c["crn"] for c in response.json()) == crns
    rows = _new_audit(before)
    assert [r.action for r in rows] == ["customers.customer.searched"] * 3
    assert all(r.actor_id == officer.pk for r in rows)
    assert rows[0].changes["results"] == [case.payer_id]


def test_search_with_no_match_is_an_empty_list(officer_client, customer):
    response = _post(officer_client, "/customers/search", {"query": "Zzyzx"})
    assert response.status_code == 200 and response.json() == []


def test_AUD_1_read_customer_returns_the_record_and_is_audited(officer_client, officer, customer):
    before = _head()
    response = officer_client.get(f"{API}/customers/{customer.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["crn"] == "123456789A" and body["given_names"] == "Mia"
    assert body["is_under_18"] is False and body["time_zone"] == "Australia/Sydney"
    assert body["representatives"][0]["name"] == "Jordan Legal-Aid"
    assert body["alternative_contacts"][0]["is_current"] is True
    assert "phone" not in body["alternative_contacts"][0]
    assert len(body["case_ids"]) == 1
    rows = _new_audit(before)
    assert [(r.action, r.customer_id, r.actor_id, r.outcome) for r in rows] == [
        ("customers.customer.viewed", customer.pk, officer.pk, "ok")
    ]


def test_AUD_1_read_case_with_children_and_account_is_audited(officer_client, case):
    before = _head()
    response = officer_client.get(f"{API}/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["case_number"] == "C1234567"
    assert body["children"] == [
        {"given_names": "Ava", "family_name": "Smith", "date_of_birth": "2018-01-02"}
    ]
    assert body["account"]["arrears"] in ("1200", "1200.00", 1200)
    rows = _new_audit(before)
    # AUD-1 / LOG-1: exactly one row, naming both parties.
    assert len(rows) == 1
    assert rows[0].changes["parties"] == [case.payer_id, case.payee_id]
    assert {r.action for r in rows} == {"customers.case.viewed"}


def test_case_without_account_has_null_account(officer_client):
    case = CaseFactory()
    assert officer_client.get(f"{API}/cases/{case.pk}").json()["account"] is None


def test_missing_customer_and_case_are_404_with_the_error_shape(officer_client):
    response = officer_client.get(f"{API}/customers/999999")
    assert response.status_code == 404
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    assert (body["code"], body["field"]) == ("not-found", "customer_id")
    response = officer_client.get(f"{API}/cases/999999")
    assert response.status_code == 404 and response.json()["field"] == "case_id"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": "mia", "owner": 1}, "owner"),
        ({"query": "mia", "limit": "lots"}, "limit"),
        ({"query": "mia", "limit": 5000}, "limit"),
        ({"query": ""}, "query"),
        ({}, "query"),
        ({"query": 12}, "query"),
    ],
)
def test_VAL_1_bad_search_input_is_422_naming_the_field(officer_client, body, field):
    before = _head()
    response = _post(officer_client, "/customers/search", body)
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "invalid-input"
    assert data["field"] == field
    assert field in data["message"]
    assert any(d["field"] == field for d in data["details"])
    assert _head() == before


def test_VAL_1_body_that_is_not_json_is_a_4xx_in_the_error_shape(officer_client):
    response = officer_client.post(
        f"{API}/customers/search", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert {"code", "message", "field"} <= set(response.json())


def test_VAL_1_path_parameter_of_the_wrong_type_is_422(officer_client):
    response = officer_client.get(f"{API}/customers/abc")
    assert response.status_code == 422
    assert response.json()["field"] == "customer_id"


# --- authentication ----------------------------------------------------------------------


def test_API_2_no_credentials_is_401(client, customer):
    response = client.get(f"{API}/customers/{customer.pk}")
    assert response.status_code == 401
    assert response.json()["code"] == "not-authenticated"
    assert _post(client, "/customers/search", {"query": "mia"}).status_code == 401


def test_API_2_bearer_token_works(officer, customer):
    _, headers = _bearer(officer)
    client = Client()
    response = client.get(f"{API}/customers/{customer.pk}", **headers)
    assert response.status_code == 200
    search = _post(client, "/customers/search", {"query": "Nguyen"}, **headers)
    assert search.status_code == 200 and len(search.json()) == 1
    row = AuditRecord.objects.filter(action="customers.customer.viewed").latest("id")
    assert row.actor_id == officer.pk


@pytest.mark.parametrize(
    "header",
    ["Bearer cma_not-a-real-token", "Bearer ", "Basic b2xpdmlhOnBhc3N3b3Jk", "cma_abc"],
)
def test_API_2_invalid_token_is_401(header, customer):
    response = Client().get(f"{API}/customers/{customer.pk}", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_AUTH_5_revoked_token_is_401(officer, customer):
    token, raw = issue_api_token(user=officer, name="feed")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(f"{API}/customers/{customer.pk}", **headers).status_code == 200
    revoke_api_token(token=token, actor=officer)
    assert Client().get(f"{API}/customers/{customer.pk}", **headers).status_code == 401


def test_AUTH_5_token_of_a_deactivated_user_is_401(officer, customer):
    _, headers = _bearer(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert Client().get(f"{API}/customers/{customer.pk}", **headers).status_code == 401


def test_AUTH_5_tokens_are_stored_only_as_digests(officer):
    token, raw = issue_api_token(user=officer, name="feed")
    assert raw.startswith("cma_") and len(raw) >= 4 + 43  # 256 bits, url-safe base64
    stored = {getattr(token, f.attname) for f in token._meta.concrete_fields}
    assert raw not in {str(v) for v in stored}
    assert raw[4:] not in {str(v) for v in stored}


def test_SES_4_session_post_needs_the_csrf_token(officer, customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    before = _head()
    refused = _post(client, "/customers/search", {"query": "mia"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf-failed"
    assert [r.outcome for r in _new_audit(before)] == ["refused"]
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    allowed = _post(client, "/customers/search", {"query": "mia"}, HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200


def test_SES_4_token_clients_need_no_csrf_token(officer, customer):
    _, headers = _bearer(officer)
    client = Client(enforce_csrf_checks=True)
    assert _post(client, "/customers/search", {"query": "mia"}, **headers).status_code == 200


# --- roles -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_SEC_1_administrators_and_auditors_are_refused_customer_data_and_it_is_audited(
    request, persona, case
):
    user = request.getfixturevalue(persona)
    client = _client_for(user)
    calls = [
        lambda: _post(client, "/customers/search", {"query": "mia"}),
        lambda: client.get(f"{API}/customers/{case.payer_id}"),
        lambda: client.get(f"{API}/cases/{case.pk}"),
    ]
    for call in calls:
        before = _head()
        response = call()
        assert response.status_code == 403
        assert response.json()["code"] == "permission-denied"
        rows = _new_audit(before)
        assert len(rows) == 1
        assert (rows[0].outcome, rows[0].actor_id) == ("refused", user.pk)
    viewed = AuditRecord.objects.filter(action="customers.customer.viewed", outcome="ok")
    assert not viewed.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "officer",
        "team_leader",
        "specialist",
        "ps_case_manager",
        "ps_team_leader",
        "national_manager",
    ],
)
def test_SEC_1_customer_facing_roles_may_read_customers(request, persona, customer):
    client = _client_for(request.getfixturevalue(persona))
    assert client.get(f"{API}/customers/{customer.pk}").status_code == 200


# --- bulk import -----------------------------------------------------------------------

FEED = (
    "crn,given_names,family_name,date_of_birth,role,state\n"
    "400000001A,Zara,Ali,1984-04-04,payer,SA\n"
    "400000002B,Omar,Ali,1983-03-03,payee,SA\n"
)


def test_bulk_import_by_a_team_leader_is_201(team_leader):
    client = _client_for(team_leader)
    body = {"kind": "customers", "format": "csv", "content": FEED}
    response = _post(client, "/imports", body)
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 2}
    assert Customer.objects.filter(family_name="Ali").count() == 2


def test_bulk_import_lists_every_bad_row_and_imports_nothing(team_leader):
    client = _client_for(team_leader)
    content = (
        FEED + "40000003C,Bad,Crn,1980-01-01,payer,SA\n400000004D,Bad,Date,2023-02-30,payer,SA\n"
    )
    before = (Customer.objects.count(), _head())
    response = _post(client, "/imports", {"kind": "customers", "format": "csv", "content": content})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import-rejected"
    assert [(d["line"], d["field"]) for d in body["details"]] == [(4, "crn"), (5, "date_of_birth")]
    assert (Customer.objects.count(), _head()) == before


def test_SEC_1_bulk_import_by_a_service_officer_is_403_and_audited(officer_client, officer):
    before = (Customer.objects.count(), _head())
    response = _post(
        officer_client, "/imports", {"kind": "customers", "format": "csv", "content": FEED}
    )
    assert response.status_code == 403
    assert Customer.objects.count() == before[0]
    rows = _new_audit(before[1])
    assert [(r.outcome, r.actor_id) for r in rows] == [("refused", officer.pk)]


def test_VAL_2_bulk_import_refuses_unknown_fields(team_leader):
    client = _client_for(team_leader)
    body = {"kind": "customers", "format": "csv", "content": FEED, "actor_id": 1}
    response = _post(client, "/imports", body)
    assert response.status_code == 422 and response.json()["field"] == "actor_id"
    body = {"kind": "children", "format": "csv", "content": FEED}
    assert _post(client, "/imports", body).json()["field"] == "kind"


def test_FILE_3_oversized_api_import_is_413_in_the_error_shape(team_leader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = _client_for(team_leader)
    body = {"kind": "customers", "format": "csv", "content": FEED + "x" * 2000}
    before = (Customer.objects.count(), _head())
    response = _post(client, "/imports", body)
    assert response.status_code == 413
    assert response.json()["code"] == "too-large"
    assert (Customer.objects.count(), _head()) == before
