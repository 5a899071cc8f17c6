"""A keyboard-only journey through the staff pages in headless Chromium: sign in, skip
link, visible focus, search, the customer page; no CSP violations, no console errors."""

import re

import pytest

from cma.audit.models import AuditRecord
from cma.customers.models import AlternativeContact, ContactDetail, agency_today
from tests.factories import AccountSummaryFactory, CaseFactory, CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def office(team):
    officer = UserFactory(username="olivia", role="service_officer", team=team)
    customer = CustomerFactory(
        given_names="Mia", family_name="Nguyen", crn="123456789A", interpreter_language="Arabic"
    )
    ContactDetail.objects.create(customer=customer, kind="mobile", number="+61491570156")
    case = CaseFactory(case_number="C1234567", payer=customer)
    AccountSummaryFactory(case=case)
    AlternativeContact.objects.create(
        customer=customer,
        name="Kim Nguyen",
        role="sibling",
        phone="+61491570111",
        ends_on=agency_today().replace(year=agency_today().year - 1),
    )
    return officer, customer


def _tab_until(watched, predicate, limit: int = 15) -> dict:
    for _ in range(limit):
        watched.page.keyboard.press("Tab")
        focused = watched.focused()
        if predicate(focused):
            return focused
    raise AssertionError(f"never reached the element; last focus {focused}")


def _sign_in_with_keyboard(watched) -> None:
    watched.goto("/login/")
    _tab_until(watched, lambda f: f["name"] == "username")
    watched.page.keyboard.type("olivia")
    watched.page.keyboard.press("Tab")
    assert watched.focused()["name"] == "password"
    watched.page.keyboard.type(PASSWORD)
    with watched.page.expect_navigation():
        watched.page.keyboard.press("Enter")


def test_sign_in_with_the_keyboard_only(watched, office):
    _sign_in_with_keyboard(watched)
    assert watched.page.url == watched.base_url + "/"
    assert "Welcome, " in watched.page.inner_text("h1")
    watched.collect()
    assert watched.problems == []


def test_skip_link_is_first_and_moves_focus_to_main(watched, office):
    _sign_in_with_keyboard(watched)
    watched.page.keyboard.press("Tab")
    first = watched.focused()
    assert "skip-link" in first["cls"] and first["text"] == "Skip to main content"
    box = watched.page.locator(".govuk-skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link is on screen when focused"
    watched.page.keyboard.press("Enter")
    assert watched.focused()["id"] == "main"
    # The next Tab continues inside main, not back in the header.
    watched.page.keyboard.press("Tab")
    inside = watched.page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
    )
    assert inside
    watched.collect()
    assert watched.problems == []


def test_focus_indicator_is_visible(watched, office):
    _sign_in_with_keyboard(watched)
    focused = _tab_until(watched, lambda f: f["tag"] == "a" and "skip-link" not in f["cls"])
    style = watched.page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    color: s.outlineColor, shadow: s.boxShadow,
                    background: s.backgroundColor}; }"""
    )
    # An outline is always there (forced-colours mode draws it even when transparent).
    assert style["style"] not in ("none", "hidden"), (focused, style)
    assert style["width"] >= 2, style
    # Visible in normal colours: a coloured outline, or GOV.UK Frontend's focus state
    # (yellow background, black bar underneath).
    coloured_outline = style["color"] not in ("transparent", "rgba(0, 0, 0, 0)")
    govuk_focus = style["background"] == "rgb(255, 221, 0)" and "rgb(11, 12, 12)" in style["shadow"]
    assert coloured_outline or govuk_focus, style
    watched.collect()
    assert watched.problems == []


def test_search_and_open_the_customer_page_by_keyboard(watched, office, output_dir):
    officer, customer = office
    _sign_in_with_keyboard(watched)
    watched.goto("/customers/search/")
    field = watched.page.locator("#id_query")
    field.focus()
    watched.page.keyboard.type("Nguyen")
    watched.page.keyboard.press("Enter")
    # htmx swaps the results in without a page load.
    watched.page.wait_for_selector("#results-heading")
    assert watched.page.inner_text("#results-heading") == "1 customer found"
    assert watched.visited[-1] == "/customers/search/"
    link = _tab_until(watched, lambda f: f["tag"] == "a" and "Nguyen" in f["text"])
    assert link["text"] == "Nguyen, Mia"
    with watched.page.expect_navigation():
        watched.page.keyboard.press("Enter")
    assert re.search(rf"/customers/{customer.pk}/$", watched.page.url)
    watched.visited.append(watched.page.url)
    page_text = watched.page.inner_text("main")
    assert "Mia Nguyen" in watched.page.inner_text("h1")
    assert "interpreter needed (Arabic)" in page_text
    assert "Case C1234567" in page_text and "Account summary" in page_text
    assert "do not use" in page_text
    watched.page.screenshot(path=str(output_dir / "customer-page.png"), full_page=True)
    assert AuditRecord.objects.filter(
        action="customers.customer.viewed", customer_id=customer.pk, actor_id=officer.pk
    ).exists()
    watched.collect()
    assert watched.problems == []
