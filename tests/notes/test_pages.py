"""Staff pages of the notes app: notes, macros, corrections, stacking documents and the
sensitive-customer page (DOC-1..DOC-7)."""

from datetime import timedelta

from django.urls import reverse

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.notes import services
from cma.notes.models import Note, RestrictedService, SafetyMarker, SensitiveIndicator
from cma.notes.services._common import add_months

from .conftest import client_for


def test_DOC_1_customer_page_shows_notes_panel_and_sensitive_summary(
    officer_client, officer, payer
):
    services.add_note(customer=payer, actor=officer, subject="Call", body="Hello.")
    page = officer_client.get(reverse("web:customer-detail", args=[payer.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="notes-heading"' in html and "Hello." in html
    assert 'id="sensitive-heading"' in html


def test_DOC_1_write_note_page_saves_and_redirects(officer_client, officer, payer, case):
    url = reverse("notes:new-note", args=[payer.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url, {"subject": "Care", "body": "Care discussed.", "case": case.pk, "function": "care"}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.subject, note.case, note.function) == ("Care", case, "care")


def test_DOC_3_page_refusal_marks_each_span_and_says_what_to_write(officer_client, officer, payer):
    url = reverse("notes:new-note", args=[payer.pk])
    body = "Called 0413 222 901 and emailed jo@example.com"
    response = officer_client.post(url, {"subject": "Call", "body": body, "function": "general"})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<mark title="phone">0413 222 901</mark>' in html
    assert '<mark title="email">jo@example.com</mark>' in html
    assert "attempted to contact on mobile" in html
    assert 'class="govuk-error-message"' in html
    assert Note.objects.count() == 0


def test_DOC_2_macro_page_lists_every_missing_field(officer_client, officer, payer):
    url = reverse("notes:new-note", args=[payer.pk])
    page = officer_client.get(url, {"macro": "contact-attempt"})
    assert "Number type" in page.content.decode()
    response = officer_client.post(url, {"macro": "contact-attempt", "mf_party": "customer"})
    html = response.content.decode()
    assert response.status_code == 422
    for label in ("Channel is required", "Number type is required", "Outcome is required"):
        assert label in html
    ok = officer_client.post(
        url,
        {
            "macro": "contact-attempt",
            "mf_party": "customer",
            "mf_channel": "phone",
            "mf_number_type": "mobile",
            "mf_outcome": "engaged",
            "mf_attempt": "second",
        },
    )
    assert ok.status_code == 302
    assert Note.objects.get().body.startswith("Attempted to contact the customer by phone")


def test_DOC_1_search_partial_for_htmx(officer_client, officer, payer):
    actor = officer
    services.add_note(customer=payer, actor=actor, subject="Estimate call", body="x")
    services.add_note(customer=payer, actor=actor, subject="Care change", body="y")
    response = officer_client.get(
        reverse("notes:customer-notes", args=[payer.pk]),
        {"subject": "estimate"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html and "Estimate call" in html and "Care change" not in html


def test_DOC_1_correction_page_adds_a_linked_note(officer_client, officer, payer):
    note = services.add_note(customer=payer, actor=officer, subject="Inc", body="x")
    page = officer_client.get(reverse("notes:note-detail", args=[note.pk]))
    assert "Write a correction" in page.content.decode()
    response = officer_client.post(
        reverse("notes:correct-note", args=[note.pk]), {"subject": "", "body": "Fixed."}
    )
    fix = Note.objects.exclude(pk=note.pk).get()
    assert response.status_code == 302 and fix.corrects_id == note.pk
    assert (
        f"note {fix.pk}"
        in officer_client.get(reverse("notes:note-detail", args=[note.pk])).content.decode()
    )


def test_VAL_4_note_text_is_escaped_in_pages_and_partials(officer_client, officer, payer):
    services.add_note(
        customer=payer, actor=officer, subject="<b>x</b>", body="<script>alert(1)</script>"
    )
    for kwargs in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = officer_client.get(
            reverse("notes:customer-notes", args=[payer.pk]), **kwargs
        ).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_DOC_4_stacking_pages(client, payer, ps_case_manager):
    client.force_login(ps_case_manager)
    url = reverse("notes:new-stacking", args=[payer.pk])
    refused = client.post(url, {"purpose": "ps", "heading": ""})
    assert refused.status_code == 422 and "PS referral" in refused.content.decode()
    response = client.post(url, {"purpose": "ps", "referral_reason": "Step 3 complaint."})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "PS referral" in detail and "Step 3 complaint." in detail
    income = services.add_note(
        customer=payer, actor=ps_case_manager, subject="Income", body="x", function="income"
    )
    doc_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert (
        client.post(reverse("notes:stacking-pointer", args=[doc_id]), {"note": income.pk})
    ).status_code == 302
    assert (
        client.post(
            reverse("notes:stacking-notepad", args=[doc_id]),
            {"subject": "Call about estimate", "body": "Discussed."},
        )
    ).status_code == 302
    detail = client.get(reverse("notes:stacking-detail", args=[doc_id])).content.decode()
    assert (
        detail.index("PS referral")
        < detail.index("income notepad")
        < detail.index("Call about estimate")
    )


def test_DOC_5_DOC_6_DOC_7_sensitive_page_flows(client, payer, ps_team_leader, national_manager):
    client.force_login(ps_team_leader)
    page = reverse("notes:sensitive", args=[payer.pk])
    assert client.get(page).status_code == 200
    assert (
        client.post(
            reverse("notes:mark-at-risk", args=[payer.pk]), {"reason": "Disclosed violence"}
        ).status_code
        == 302
    )
    review_on = agency_today() + timedelta(days=60)
    assert (
        client.post(
            reverse("notes:add-indicator", args=[payer.pk]),
            {"kind": "family-violence", "reason": "Disclosed", "review_on": review_on},
        ).status_code
        == 302
    )
    too_late = agency_today() + timedelta(days=800)
    refused = client.post(
        reverse("notes:add-indicator", args=[payer.pk]),
        {"kind": "other", "reason": "x", "review_on": too_late},
    )
    assert refused.status_code == 422 and "at most 12 months" in refused.content.decode()
    due = add_months(agency_today(), 4)
    assert (
        client.post(
            reverse("notes:create-restriction", args=[payer.pk]),
            {
                "allowed_channels": ["post", "email"],
                "conditions": "Written only",
                "review_due_on": due,
            },
        ).status_code
        == 302
    )
    arrangement = RestrictedService.objects.get()
    assert (
        client.post(
            reverse("notes:propose-restriction-review", args=[arrangement.pk]),
            {
                "outcome": "continue",
                "recommendation": "Conduct continues",
                "next_review_due_on": due,
            },
        ).status_code
        == 302
    )
    html = client.get(page).content.decode()
    assert "Awaiting approval" in html and "safety-banner" in html
    assert SafetyMarker.objects.count() == 1 and SensitiveIndicator.objects.count() == 1
    # The PS team leader has no approvals page; the National Manager QCC does.
    assert client.get(reverse("notes:approvals")).status_code == 403
    client.force_login(national_manager)
    queue = client.get(reverse("notes:approvals"))
    assert payer.crn in queue.content.decode()
    review = arrangement.reviews.get()
    assert (
        client.post(reverse("notes:decide", args=[review.pk]), {"decision": "approve"}).status_code
        == 302
    )
    review.refresh_from_db()
    assert review.status == "approved"


def test_SEC_1_page_refusal_for_out_of_scope_sensitive_customer_is_404_and_audited(
    client, payer, other_officer, ps_case_manager
):
    services.mark_at_risk(customer=payer, actor=ps_case_manager, reason="Risk")
    client.force_login(other_officer)
    for url in (
        reverse("web:customer-detail", args=[payer.pk]),
        reverse("notes:customer-notes", args=[payer.pk]),
        reverse("notes:sensitive", args=[payer.pk]),
    ):
        assert client.get(url).status_code == 404
    refusals = AuditRecord.objects.filter(
        outcome=Outcome.REFUSED, customer_id=payer.pk, reason="restricted-record"
    )
    assert refusals.count() == 3


def test_AC_1_auditor_and_administrator_get_no_notes_pages(payer, auditor, administrator):
    for user in (auditor, administrator):
        client = client_for(user)
        assert client.get(reverse("notes:customer-notes", args=[payer.pk])).status_code == 403
        assert client.get(reverse("notes:sensitive", args=[payer.pk])).status_code == 403
