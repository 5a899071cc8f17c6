"""Staff pages: sign-in, home, search and the customer page; headers on every page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from cma.audit.models import AuditRecord
from cma.customers.models import (
    AlternativeContact,
    AuthorisedRepresentative,
    Child,
    ContactDetail,
    RepresentativeAuthority,
    agency_today,
)
from tests.factories import AccountSummaryFactory, CaseFactory, CustomerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's


@pytest.fixture
def customer():
    payer = CustomerFactory(
        given_names="Mia",
        family_name="Nguyen",
        crn="123456789A",
        interpreter_language="Vietnamese",
        relay_need="tty",
        special_contact_considerations="Call after 10am.",
    )
    ContactDetail.objects.create(
        customer=payer, kind="mobile", number="+61491570156", is_preferred=True
    )
    case = CaseFactory(case_number="C1234567", payer=payer)
    Child.objects.create(
        case=case, given_names="Ava", family_name="Smith", date_of_birth="2018-01-02"
    )
    AccountSummaryFactory(
        case=case, arrears=1200, compliance_flags=["late payments"], dpo_recorded=True
    )
    rep = AuthorisedRepresentative.objects.create(name="Jordan Legal-Aid", organisation="Legal Aid")
    RepresentativeAuthority.objects.create(
        representative=rep, customer=payer, starts_on="2025-07-01"
    )
    today = agency_today()
    AlternativeContact.objects.create(
        customer=payer,
        name="Kim Current",
        role="sibling",
        phone="+61491570111",
        ends_on=today + timedelta(days=30),
    )
    AlternativeContact.objects.create(
        customer=payer,
        name="Lee Ended",
        role="parent",
        phone="+61491570112",
        ends_on=today - timedelta(days=1),
    )
    return payer


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- sign in and out ---------------------------------------------------------------------


def test_SES_2_login_issues_a_new_session_key(client, officer):
    session = client.session
    session["probe"] = 1
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    response = client.post("/login/", {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert client.get("/").status_code == 200


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, officer):
    response = client.post("/login/", {"username": "olivia", "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "There is a problem" in _text(response)
    assert client.get("/").status_code == 302


def test_login_page_is_accessible_markup(client):
    html = _text(client.get("/login/"))
    assert 'class="govuk-label govuk-label--s" for="id_username">' in html
    assert 'class="govuk-label govuk-label--s" for="id_password">' in html
    assert '<main id="main"' in html


def test_SES_2_logout_ends_the_server_side_session(client, officer):
    client.post("/login/", {"username": "olivia", "password": PASSWORD})
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old
    assert replay.get("/").status_code == 302


def test_SES_4_login_form_needs_its_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/", "/customers/search/", "/customers/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# --- home and search ---------------------------------------------------------------------


def test_home_greets_the_officer(officer_client, officer):
    html = _text(officer_client.get("/"))
    assert f"Welcome, {officer.first_name}" in html
    assert "Service Officer" in html and "Mainstream Parramatta (NSW)" in html
    assert 'href="#main" class="govuk-skip-link"' in html


def test_search_finds_customers_and_links_to_them(officer_client, customer):
    response = officer_client.post("/customers/search/", {"query": "Nguyen"})
    html = _text(response)
    assert response.status_code == 200
    assert "1 customer found" in html
    assert f'href="/customers/{customer.pk}/"' in html
    assert "123456789A" in html


def test_search_with_an_empty_query_shows_the_message_beside_the_field(officer_client):
    response = officer_client.post("/customers/search/", {"query": "   "})
    html = _text(response)
    field = re.search(r'<div class="govuk-form-group govuk-form-group--error">(.*?)<input', html)
    assert field, "the field is marked as having an error"
    assert "This field is required." in field.group(1)
    assert 'aria-describedby="id_query_helptext id_query_error"' in html
    assert not AuditRecord.objects.filter(action="customers.customer.searched").exists()


def test_search_over_htmx_returns_only_the_results_partial(officer_client, customer):
    response = officer_client.post("/customers/search/", {"query": "Mia"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert html.startswith('<section id="search-results"')
    assert "<html" not in html and "<form" not in html
    assert "Nguyen, Mia" in html


def test_search_page_get_shows_the_form(officer_client):
    html = _text(officer_client.get("/customers/search/"))
    assert 'hx-post="/customers/search/"' in html and 'name="query"' in html


def test_SEC_1_administrator_search_is_refused_and_audited(client, administrator, customer):
    client.force_login(administrator)
    html = _text(client.post("/customers/search/", {"query": "Nguyen"}))
    assert "your role does not give access to customer records" in html
    assert "123456789A" not in html
    row = AuditRecord.objects.latest("id")
    assert (row.outcome, row.actor_id) == ("refused", administrator.pk)


# --- customer page -------------------------------------------------------------------------


def test_customer_page_shows_details_cases_account_and_contacts(officer_client, customer):
    response = officer_client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    html = _text(response)
    for expected in [
        "Mia Nguyen",
        "123456789A",
        "Mobile: 0491 570 156 (preferred)",
        "Case C1234567",
        "Payer in this case",
        "Ava (2018)",
        "Account summary",
        "$1,200.00",
        "late payments",
        'Departure Prohibition Order</dt><dd class="govuk-summary-list__value">Recorded',
        "Jordan Legal-Aid, Legal Aid",
        "Kim Current (sibling)",
        "Call after 10am.",
    ]:
        assert expected in html, expected


def test_CON_7_ended_alternative_contact_is_marked_do_not_use(officer_client, customer):
    html = _text(officer_client.get(f"/customers/{customer.pk}/"))
    ended = re.search(r"<li>Lee Ended \(parent\) · (.*?)</li>", html)
    assert ended and "do not use" in ended.group(1)
    current = re.search(r"<li>Kim Current \(sibling\) · (.*?)</li>", html)
    assert current and "do not use" not in current.group(1)
    assert "never disclose case or customer information to them" in html
    assert "+61491570111" not in html  # alternative contacts' numbers are not shown here


def test_CON_14_interpreter_and_relay_needs_are_surfaced_first(officer_client, customer):
    """CON-14: interpreter and NRS/TTY needs appear before any contact detail."""
    html = _text(officer_client.get(f"/customers/{customer.pk}/"))
    banner = html.index("Before contact:")
    assert "interpreter needed (Vietnamese)" in html
    assert "Uses the TTY" in html
    assert banner < html.index('id="details-heading"')


def test_under_18_customer_carries_a_warning(officer_client):
    young = CustomerFactory(date_of_birth=agency_today() - timedelta(days=17 * 365))
    html = _text(officer_client.get(f"/customers/{young.pk}/"))
    assert "Under 18." in html


def test_AUD_1_customer_page_view_is_audited(officer_client, officer, customer):
    before = AuditRecord.objects.count()
    officer_client.get(f"/customers/{customer.pk}/")
    rows = AuditRecord.objects.filter(action="customers.customer.viewed", customer_id=customer.pk)
    assert rows.count() == 1 and rows.get().actor_id == officer.pk
    assert AuditRecord.objects.count() >= before + 1


def test_missing_customer_is_404(officer_client):
    assert officer_client.get("/customers/999999/").status_code == 404


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_SEC_1_admin_and_auditor_are_refused_the_customer_page(client, request, persona, customer):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 403
    html = _text(response)
    assert "Not available" in html and "123456789A" not in html
    row = AuditRecord.objects.latest("id")
    assert (row.outcome, row.actor_id, row.customer_id) == ("refused", user.pk, customer.pk)


# --- headers and markup ---------------------------------------------------------------------


def _pages(client, customer) -> dict[str, object]:
    return {
        "home": client.get("/"),
        "search": client.get("/customers/search/"),
        "results": client.post("/customers/search/", {"query": "Mia"}),
        "customer": client.get(f"/customers/{customer.pk}/"),
    }


def test_CFG_3_csp_without_unsafe_tokens_and_framing_denied(officer_client, customer):
    pages = {"login": Client().get("/login/"), **_pages(officer_client, customer)}
    for name, response in pages.items():
        csp = response["Content-Security-Policy"]
        assert "'unsafe-" not in csp, name
        assert "script-src 'self'" in csp and "object-src 'none'" in csp, name
        assert "frame-ancestors 'none'" in csp, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_PRV_2_signed_in_pages_are_not_cached(officer_client, customer):
    for name, response in _pages(officer_client, customer).items():
        assert response["Cache-Control"] == "no-store", name


def test_CFG_3_pages_have_no_inline_script_or_style(officer_client, customer):
    pages = {"login": Client().get("/login/"), **_pages(officer_client, customer)}
    for name, response in pages.items():
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert not re.search(r"\sstyle\s*=", html), name
        assert "<style" not in html, name
        assert not re.search(r"\shx-on", html), name
        assert '"allowEval": false' in html and '"historyCacheSize": 0' in html, name
