"""The collection parts of the call screen (htmx sections), the customer page's issues
panel and the figures page: each answer swaps its section alone, a refusal is shown
beside its field (422) and writes only its audited row; lists read fixed queries."""

from datetime import timedelta
from html import unescape

from django.test import Client
from django.urls import reverse

from cma.audit.models import Outcome
from cma.collection import services
from cma.collection.models import McaRecord, PayeeLead, PresentingIssue
from cma.contact import services as contact
from cma.customers.models import agency_today

from .conftest import ALL_ADDRESSED, confirmed_call, head, rows_since

HTMX = {"HX-Request": "true"}


def _html(response) -> str:
    return unescape(response.content.decode())


def test_CMA_1_the_call_screen_shows_mca_per_case_with_the_account_facts(
    officer_client, call, cases
):
    html = _html(officer_client.get(reverse("contact:call", args=[call.pk])))
    assert 'id="section-collection-mca"' in html and 'id="section-collection-issues"' in html
    assert "Case C9100001 (payee)" in html and "Case C9100002 (payer)" in html
    assert "$2,500.00" in html and "Departure Prohibition Order" in html
    assert "Collection information from the payee" in html


def test_CON_9_the_sections_wait_for_the_callers_identity(officer_client, officer, customer, cases):
    call = contact.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone", line="p1"
    )
    html = _html(officer_client.get(reverse("contact:call", args=[call.pk])))
    assert "section-collection" not in html and "C9100001" not in html


def test_CMA_1_recording_mca_over_htmx_swaps_the_section(officer_client, call, payee_case):
    url = reverse("collection:mca", args=[call.pk, payee_case.pk])
    response = officer_client.post(url, ALL_ADDRESSED, headers=HTMX)
    assert response.status_code == 200
    html = _html(response)
    assert "Minimum Collection Activity recorded for case C9100001" in html
    assert "<html" not in html and McaRecord.objects.count() == 1


def test_CMA_1_a_missing_outcome_is_shown_beside_its_field(officer_client, call, payee_case):
    url = reverse("collection:mca", args=[call.pk, payee_case.pk])
    before = head()
    response = officer_client.post(url, {"care": "addressed"}, headers=HTMX)
    assert response.status_code == 422
    html = _html(response)
    assert "Choose an outcome for income" in html and "govuk-error-summary" in html
    assert not McaRecord.objects.exists() and rows_since(before) == []
    # Without JavaScript: the section on its own page, 422.
    plain = officer_client.post(url, {"care": "addressed"})
    assert plain.status_code == 422 and "Back to the call" in _html(plain)


def test_CMA_4_CMA_8_issues_are_resolved_or_routed_from_the_section(officer_client, call):
    url = reverse("collection:issue", args=[call.pk])
    common = officer_client.post(url, {"kind": "general-enquiry"}, headers=HTMX)
    assert "General enquiry: resolved on this call" in _html(common)
    routed = officer_client.post(url, {"kind": "estimate"}, headers=HTMX)
    assert "routed to Specialised Assessments with an intray" in _html(routed)
    again = officer_client.post(url, {"kind": "estimate"}, headers=HTMX)
    assert again.status_code == 422 and "already recorded on this call" in _html(again)
    refer = reverse("collection:referral", args=[call.pk])
    refused = officer_client.post(refer, {"organisation": "ato"}, headers=HTMX)
    assert refused.status_code == 422 and "consents to the referral" in _html(refused)
    done = officer_client.post(refer, {"organisation": "ato", "consent": "on"}, headers=HTMX)
    assert "Referral recorded: give the customer Australian Taxation Office" in _html(done)
    assert PresentingIssue.objects.count() == 3


def test_CMA_2_DOC_3_a_lead_note_with_personal_information_is_marked_and_refused(
    officer_client, call, payee_case
):
    url = reverse("collection:lead", args=[call.pk])
    data = {
        "case_id": payee_case.pk,
        "kind": "employer",
        "name": "Harbourside Logistics",
        "note": "Her mobile is 0491 570 111",
    }
    before = head()
    response = officer_client.post(url, data, headers=HTMX)
    assert response.status_code == 422 and "0491 570 111" in _html(response)
    assert not PayeeLead.objects.exists()
    assert rows_since(before) == [("collection.lead.recorded", Outcome.REFUSED)]
    data["note"] = ""
    ok = officer_client.post(url, data, headers=HTMX)
    assert "routed to Intensive Collection" in _html(ok)
    assert "Harbourside Logistics" in _html(ok)  # the answer lists the new lead
    told = officer_client.post(
        reverse("collection:payee-update", args=[call.pk]),
        {"case_id": payee_case.pk, "outcome": "told-action-taken"},
        headers=HTMX,
    )
    assert "What the payee was told is recorded" in _html(told)


def test_CMA_1_the_end_form_prompts_for_the_reason(officer_client, call, cases):
    response = officer_client.post(
        reverse("contact:end", args=[call.pk]), {"reason": "completed"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "CMA-1: record Minimum Collection Activity" in _html(response)
    done = officer_client.post(
        reverse("contact:end", args=[call.pk]),
        {"reason": "completed", "override_reason": "Customer asked to finish"},
        headers=HTMX,
    )
    assert done.status_code == 204


def test_CMA_4_the_customer_page_lists_every_issue_with_fixed_queries(
    officer_client, officer, customer, cases, django_assert_max_num_queries
):
    def one_call(n):
        call = confirmed_call(customer, officer, line=f"cp{n}")
        services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
        services.raise_issue(interaction=call, actor=officer, kind="estimate")
        contact.end_interaction(
            interaction=call, actor=officer, reason="completed", override_reason="Test"
        )

    one_call(0)
    url = reverse("web:customer-detail", args=[customer.pk])
    officer_client.get(url)
    with django_assert_max_num_queries(80) as first:
        html = _html(officer_client.get(url))
    queries = len(first.captured_queries)  # each request resets the connection's log
    assert "Issues raised" in html and "Resolved at first contact" in html
    for n in range(1, 5):
        one_call(n)
    officer_client.get(url)
    with django_assert_max_num_queries(queries):
        html = _html(officer_client.get(url))
    assert html.count("Income estimate or estimate review") == 5


def test_REP_1_the_figures_page_is_for_leaders(officer_client, team_leader, call):
    assert officer_client.get(reverse("collection:figures")).status_code == 403
    leader = Client()
    leader.force_login(team_leader)
    page = leader.get(reverse("collection:figures"))
    assert page.status_code == 200 and "Minimum Collection Activity completion" in _html(page)
    today = agency_today()
    bad = leader.get(
        reverse("collection:figures"),
        {"start": today.isoformat(), "end": (today - timedelta(days=2)).isoformat()},
    )
    assert bad.status_code == 422 and "the period ends before it starts" in _html(bad)
