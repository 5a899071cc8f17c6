"""Letters API: catalogue, preview, issue, list, read, download (LOG-1, AC-2, VAL-1, VAL-2)."""

import json

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.letters.models import Letter

from .conftest import SAMPLE_FIELDS, flat, pdf_text

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post(client, path, body):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _body(customer, code="DEC-1", **extra):
    return {"customer_id": customer.pk, "template": code, "fields": SAMPLE_FIELDS[code], **extra}


@pytest.fixture
def issued(officer_client, customer):
    response = _post(officer_client, "/letters", _body(customer))
    assert response.status_code == 201, response.content
    return response.json()


def test_catalogue_lists_templates_with_their_inputs(officer_client):
    response = officer_client.get(f"{API}/letters/templates")
    assert response.status_code == 200
    mx1 = next(t for t in response.json() if t["code"] == "MX1-1")
    assert mx1["requests_response"] is True
    assert mx1["preconditions"] == ["employer-notices-complied"]
    reason = next(f for f in mx1["fields"] if f["name"] == "reason")
    assert reason["kind"] == "choice" and "income-details" in reason["choices"]


def test_CON_4_preview_returns_the_text_and_dates_without_issuing(officer_client, customer):
    body = _body(customer, "MX1-1", employer_notice_outstanding=False)
    response = _post(officer_client, "/letters/preview", body)
    assert response.status_code == 200
    data = response.json()
    assert "up-to-date details of your income" in data["body_text"]
    assert data["reply_by"] < data["response_due_on"]
    assert data["address_lines"][0] == customer.full_name
    assert not Letter.objects.exists()
    assert AuditRecord.objects.filter(action="letters.letter.previewed").count() == 1


def test_preview_pdf_is_marked_as_a_preview(officer_client, customer):
    response = _post(officer_client, "/letters/preview.pdf", _body(customer))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="preview-DEC-1.pdf"'
    assert "PREVIEW · NOT ISSUED" in flat(pdf_text(response.content)).upper()
    assert not Letter.objects.exists()


def test_CON_4_refusal_is_422_listing_every_problem(officer_client, customer):
    body = {"customer_id": customer.pk, "template": "MX1-1", "fields": {}}
    response = _post(officer_client, "/letters", body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "letter-refused"
    assert sorted(d["code"] for d in data["details"]) == [
        "employer-notice-unanswered",
        "missing-field",
        "missing-field",
    ]
    assert not Letter.objects.exists()


def test_unknown_template_and_customer_are_404(officer_client, customer):
    assert (
        _post(officer_client, "/letters", _body(customer) | {"template": "NOPE"}).status_code == 404
    )
    assert (
        _post(officer_client, "/letters", _body(customer) | {"customer_id": 999999}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "change",
    [
        {"issued_by": 1},
        {"sha256": "0" * 64},
        {"fields": {"reason": 5}},
        {"request_key": "short"},
        {"fields": {f"f{i}": "x" for i in range(21)}},
    ],
)
def test_VAL_2_unknown_or_badly_typed_input_is_422_and_nothing_is_written(
    officer_client, customer, change
):
    response = _post(officer_client, "/letters", _body(customer) | change)
    assert response.status_code == 422
    assert not Letter.objects.exists()


def test_LOG_1_issue_list_read_and_download(officer_client, officer, customer, issued):
    assert issued["template"] == "DEC-1" and issued["response_due_on"] is None
    assert issued["issued_by"] == officer.display_name

    listed = officer_client.get(f"{API}/customers/{customer.pk}/letters")
    assert listed.status_code == 200
    assert [x["reference"] for x in listed.json()] == [issued["reference"]]

    read = officer_client.get(f"{API}/letters/{issued['id']}")
    assert read.status_code == 200 and read.json()["sha256"] == issued["sha256"]

    before = AuditRecord.objects.filter(action="letters.letter.downloaded").count()
    download = officer_client.get(issued["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="letter-{issued["reference"]}-DEC-1.pdf"'
    )
    assert customer.family_name not in download["Content-Disposition"]
    assert download.content.startswith(b"%PDF-")
    row = AuditRecord.objects.filter(action="letters.letter.downloaded").last()
    assert AuditRecord.objects.filter(action="letters.letter.downloaded").count() == before + 1
    assert (row.actor_id, row.customer_id, row.object_id) == (
        officer.pk,
        customer.pk,
        str(issued["id"]),
    )


def test_AC_2_missing_letter_is_404_and_the_refusal_is_audited(officer_client):
    for path in ("/letters/424242", "/letters/424242/pdf"):
        response = officer_client.get(f"{API}{path}")
        assert response.status_code == 404
    assert AuditRecord.objects.filter(outcome=Outcome.REFUSED, object_id="424242").count() == 2


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_AC_1_roles_without_customer_access_get_403(request, persona, customer, issued):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"{API}/letters/templates").status_code == 403
    assert client.get(f"{API}/customers/{customer.pk}/letters").status_code == 403
    assert client.get(f"{API}/letters/{issued['id']}/pdf").status_code == 403
    assert _post(client, "/letters", _body(customer)).status_code == 403


def test_API_2_anonymous_requests_are_401(customer, issued):
    client = Client()
    assert client.get(f"{API}/letters/{issued['id']}/pdf").status_code == 401
    assert _post(client, "/letters/preview", _body(customer)).status_code == 401
