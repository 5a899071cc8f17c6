"""The staff pages on GOV.UK Frontend and MoJ Frontend: error summaries at the top of
each form, linked to their fields and keeping what was submitted; one set of element ids
per form; the htmx configuration the strict CSP needs."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cma.customers.models import agency_today
from cma.notes import services as notes
from cma.notes.services._common import add_months
from tests.factories import CustomerFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "the page has an error summary"
    return match.group(0)


def _assert_links_to_fields(html: str, summary: str) -> None:
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets, summary
    ids = _ids(html)
    for target in targets:
        assert target in ids, f"#{target} links to nothing"


def test_error_summary_comes_first_in_the_form_and_links_to_the_field(client, officer):
    customer = CustomerFactory()
    item = IntrayFactory(customer=customer, owner_user=officer)
    client.force_login(officer)
    response = client.post(reverse("work:intray-action", args=[item.pk, "delete"]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 422
    summary = _summary(html)
    _assert_links_to_fields(html, summary)
    assert 'href="#delete_reason"' in summary and "Why delete this intray?:" in summary
    form = html[html.index(reverse("work:intray-action", args=[item.pk, "delete"])) :]
    assert form.index("govuk-error-summary") < form.index('name="reason"')
    duplicates = {i for i in _ids(html) if _ids(html).count(i) > 1}
    assert duplicates == set(), "every form on the intray page has its own ids"


def test_DOC_7_approval_error_summary_is_above_its_form_and_keeps_the_chosen_radio(
    client, officer, ps_team_leader, ps_case_manager, national_manager
):
    customer = CustomerFactory()
    arrangement = notes.create_restricted_service(
        customer=customer,
        actor=ps_team_leader,
        allowed_channels=["post"],
        conditions="Written contact only",
        review_due_on=add_months(agency_today(), 4),
    )
    review = notes.propose_restriction_review(
        arrangement=arrangement,
        actor=ps_case_manager,
        outcome="continue",
        recommendation="Keep written contact",
        next_review_due_on=add_months(agency_today(), 3),
    )
    client.force_login(national_manager)
    # Rejecting needs a comment: refused, with the choice kept.
    response = client.post(reverse("notes:decide", args=[review.pk]), {"decision": "reject"})
    html = response.content.decode()
    assert response.status_code == 422
    summary = _summary(html)
    _assert_links_to_fields(html, summary)
    assert f'href="#id_review{review.pk}_comment"' in summary
    form_at = html.index(f'action="{reverse("notes:decide", args=[review.pk])}"')
    assert form_at < html.index("govuk-error-summary") < html.index('name="decision"')
    chosen = re.search(r'<input[^>]*value="reject"[^>]*>', html).group(0)
    assert " checked" in chosen
    assert not re.search(r'<input[^>]*value="approve"[^>]*checked', html)


def test_CFG_4_htmx_swaps_a_422_and_never_settles_style(client, officer):
    """htmx drops a 4xx by default (and logs a console error); its settling would copy
    `style` attributes, a CSP style-src-attr violation. The configuration changes both and
    keeps allowEval, script tags, indicator styles and history caching off."""
    import json

    client.force_login(officer)
    html = client.get("/").content.decode()
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']+)'", html).group(1))
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False and config["historyCacheSize"] == 0
    assert config["selfRequestsOnly"] is True
    assert "style" not in config["attributesToSettle"]
    handling = config["responseHandling"]
    first_422 = next(r for r in handling if re.fullmatch(r["code"].replace(".", r"\d"), "422"))
    assert first_422["swap"] is True and not first_422.get("error")


def test_route_errors_over_htmx_come_back_as_the_partial_with_a_summary(client, officer):
    customer = CustomerFactory()
    client.force_login(officer)
    # A browser sends the CSRF token even when no box is ticked.
    response = client.post(
        reverse("work:route", args=[customer.pk]),
        {"csrfmiddlewaretoken": "x"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 422 and "<html" not in html
    assert 'href="#id_issues_0"' in _summary(html)


def test_CFG_3_every_page_loads_the_design_system_and_no_inline_code(client, officer):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "web/vendor/cma-frontend.min.css" in html
    assert '<script type="module" src="/static/web/site.js">' in html
    assert 'class="govuk-template__body"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle\s*=", html)


def test_anonymous_pages_have_no_navigation(client):
    html = Client().get("/login/").content.decode()
    assert "govuk-service-navigation" not in html and "Sign out" not in html


def test_future_review_dates_render_in_the_agency_format(client, officer, ps_case_manager):
    customer = CustomerFactory()
    notes.add_sensitive_indicator(
        customer=customer,
        actor=ps_case_manager,
        kind="other",
        reason="Reason",
        review_on=agency_today() + timedelta(days=30),
    )
    client.force_login(ps_case_manager)
    html = client.get(reverse("notes:sensitive", args=[customer.pk])).content.decode()
    due = agency_today() + timedelta(days=30)
    assert f"{due.day} {due:%b} {due.year}" in html
