"""The notes API: notes, macros, stacking documents, indicators, Separating Safely,
restricted service and the contact check (DOC-1..DOC-7, SEC-1, AC-1, AC-2)."""

import json
from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.notes import services
from cma.notes.models import Note
from cma.notes.services._common import add_months

from .conftest import client_for


def post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_DOC_1_create_list_search_and_read_notes(payer, case, officer):
    client = client_for(officer)
    url = f"/api/v1/customers/{payer.pk}/notes"
    created = post(client, url, {"subject": "Estimate call", "body": "Ok.", "case_id": case.pk})
    assert created.status_code == 201, created.content
    note = created.json()
    assert (note["subject"], note["case_id"], note["author"]) == (
        "Estimate call",
        case.pk,
        officer.display_name,
    )
    fix = post(client, url, {"body": "Actually fine.", "corrects_id": note["id"]})
    assert fix.status_code == 201 and fix.json()["subject"] == "Correction: Estimate call"
    listed = client.get(url, {"subject": "estimate"}).json()
    assert [n["id"] for n in listed] == [fix.json()["id"], note["id"]]
    assert listed[1]["corrected_by"] == [fix.json()["id"]]
    assert listed[0]["corrects_id"] == note["id"]
    today = agency_today()
    assert client.get(url, {"date_to": today - timedelta(days=1)}).json() == []
    assert client.get(f"/api/v1/notes/{note['id']}").json()["body"] == "Ok."


def test_DOC_3_api_refusal_details_give_spans_not_text(payer, officer):
    client = client_for(officer)
    body = "Mobile 0413 222 901, email jo@example.com"
    response = post(client, f"/api/v1/customers/{payer.pk}/notes", {"subject": "x", "body": body})
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "personal-information"
    spans = [(d["kind"], body[d["start"] : d["end"]]) for d in error["details"]]
    assert spans == [("phone", "0413 222 901"), ("email", "jo@example.com")]
    assert "0413" not in response.content.decode() and "example.com" not in json.dumps(error)
    assert not Note.objects.exists()


def test_DOC_2_macros_listed_and_used(payer, officer):
    client = client_for(officer)
    macros = {m["code"]: m for m in client.get("/api/v1/macros").json()}
    assert "contact-attempt" in macros and "ps-case-management" not in macros  # PS only
    assert macros["information-exchange"]["allowed_personal_information"] == ["phone_number"]
    bad = post(
        client,
        f"/api/v1/customers/{payer.pk}/notes",
        {"macro_code": "contact-attempt", "macro_fields": {"party": "customer"}},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "macro-invalid"
    assert len(bad.json()["details"]) == 4


def test_VAL_1_unknown_input_fields_are_refused(payer, officer):
    response = post(
        client_for(officer), f"/api/v1/customers/{payer.pk}/notes", {"body": "x", "author": 1}
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid-input"


def test_DOC_4_stacking_document_endpoints(payer, ps_case_manager):
    client = client_for(ps_case_manager)
    created = post(
        client,
        f"/api/v1/customers/{payer.pk}/stacking-documents",
        {"purpose": "ps", "referral_reason": "Ministerial response"},
    )
    assert created.status_code == 201, created.content
    doc = created.json()
    assert doc["entries"][0]["note"]["subject"] == "PS referral"
    income = services.add_note(
        customer=payer, actor=ps_case_manager, subject="Income", body="x", function="income"
    )
    added = post(client, f"/api/v1/stacking-documents/{doc['id']}/pointers", {"note_id": income.pk})
    assert added.status_code == 201 and added.json()["position"] == 2
    pad = post(
        client,
        f"/api/v1/stacking-documents/{doc['id']}/notepads",
        {"subject": "COA application discussion", "body": "Explained."},
    )
    assert pad.status_code == 201 and pad.json()["position"] == 3
    read = client.get(f"/api/v1/stacking-documents/{doc['id']}").json()
    assert [e["kind"] for e in read["entries"]] == ["notepad", "pointer", "notepad"]
    missing = post(client, f"/api/v1/customers/{payer.pk}/stacking-documents", {"purpose": "ps"})
    assert missing.status_code == 422 and missing.json()["field"] == "referral_reason"


def test_DOC_5_DOC_6_DOC_7_sensitive_endpoints(payer, ps_team_leader, national_manager):
    client = client_for(ps_team_leader)
    base = f"/api/v1/customers/{payer.pk}"
    indicator = post(
        client,
        f"{base}/sensitive-indicators",
        {
            "kind": "security-incident",
            "reason": "Threats",
            "review_on": agency_today() + timedelta(days=30),
        },
    )
    assert indicator.status_code == 201, indicator.content
    reviewed = post(
        client,
        f"/api/v1/sensitive-indicators/{indicator.json()['id']}/reviews",
        {"outcome": "removed", "comment": "Resolved"},
    )
    assert reviewed.status_code == 201
    assert post(client, f"{base}/safety/at-risk", {"reason": "Order in place"}).status_code == 201
    safety = client.get(f"{base}/safety").json()
    assert safety["at_risk"] is True and "Separating Safely" in safety["banner"]
    due = add_months(agency_today(), 4)
    arrangement = post(
        client,
        f"{base}/restricted-service",
        {"allowed_channels": ["post"], "conditions": "Post only", "review_due_on": due},
    )
    assert arrangement.status_code == 201, arrangement.content
    check = post(client, f"{base}/contact-check", {"channel": "phone"})
    assert check.status_code == 409 and check.json()["code"] == "contact-restricted"
    assert post(client, f"{base}/contact-check", {"channel": "post"}).json()["allowed"] is True
    review = post(
        client,
        f"/api/v1/restricted-service/{arrangement.json()['id']}/reviews",
        {"outcome": "continue", "recommendation": "Continue", "next_review_due_on": due},
    )
    assert review.status_code == 201
    wrong = post(
        client,
        f"/api/v1/restricted-service-reviews/{review.json()['id']}/decision",
        {"approve": True},
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong-approver"
    assert client.get("/api/v1/restricted-service-reviews/pending").status_code == 403
    nm = client_for(national_manager)
    assert [r["id"] for r in nm.get("/api/v1/restricted-service-reviews/pending").json()] == [
        review.json()["id"]
    ]
    ok = post(
        nm, f"/api/v1/restricted-service-reviews/{review.json()['id']}/decision", {"approve": True}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    ended = post(client, f"{base}/safety/end", {"reason": "Order expired"})
    assert ended.status_code == 200 and ended.json()["at_risk"] is False


@pytest.mark.parametrize(
    "path",
    [
        "/customers/{c}/notes",
        "/customers/{c}/stacking-documents",
        "/customers/{c}/sensitive-indicators",
        "/customers/{c}/safety",
        "/customers/{c}/restricted-service",
        "/notes/{n}",
        "/stacking-documents/{d}",
    ],
)
def test_SEC_1_AC_2_sensitive_customer_out_of_scope_is_404_and_audited(
    path, payer, ps_case_manager, other_officer
):
    note = services.add_note(customer=payer, actor=ps_case_manager, subject="x", body="y")
    doc = services.create_stacking_document(customer=payer, actor=ps_case_manager, heading="H")
    services.mark_at_risk(customer=payer, actor=ps_case_manager, reason="Risk")
    url = "/api/v1" + path.format(c=payer.pk, n=note.pk, d=doc.pk)
    before = AuditRecord.objects.filter(outcome=Outcome.REFUSED).count()
    response = client_for(other_officer).get(url)
    assert response.status_code == 404 and response.json()["code"] == "restricted-record"
    assert AuditRecord.objects.filter(outcome=Outcome.REFUSED).count() == before + 1
    assert client_for(ps_case_manager).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_AC_1_auditor_and_administrator_refused_and_audited(request, persona, payer):
    client = client_for(request.getfixturevalue(persona))
    for url in (f"/api/v1/customers/{payer.pk}/notes", f"/api/v1/customers/{payer.pk}/safety"):
        assert client.get(url).status_code == 403
    assert client.get("/api/v1/macros").status_code == 403
    assert AuditRecord.objects.filter(outcome=Outcome.REFUSED).count() == 3


def test_LOG_1_listing_notes_writes_one_audit_row(payer, officer):
    client = client_for(officer)
    before = AuditRecord.objects.count()
    client.get(f"/api/v1/customers/{payer.pk}/notes")
    rows = AuditRecord.objects.order_by("-id")[: AuditRecord.objects.count() - before]
    assert [r.action for r in rows] == ["customers.customer.notes-listed"]
