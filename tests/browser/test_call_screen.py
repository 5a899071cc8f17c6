"""A call in headless Chromium on the demo office (`cma demo load`): an officer opens a
call from the customer page, sees only the identity check (CON-9), confirms the
caller's identity with the keyboard, then sees the customer; the live call appears in
the navigation and its receipt finds it again (CON-16). Another officer records a
disputed identity (CON-10). Every state is checked with axe-core (WCAG 2.2 A/AA) at
1280 and 320 CSS px, for sideways scrolling, CSP violations and console errors."""

import pytest

from cma.contact.models import Interaction
from tests.browser.test_every_page import (
    LOCKED_TO_OFFICER,
    NORFOLK,
    UNLOCKED,
    assert_no_problems,
    customer,
    demo,  # noqa: F401  (the demo office fixture)
    focused_class,
    sign_in,
    submit,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]


def _start_call(watched, who) -> Interaction:
    page = watched.page
    page.click("text=Start a call or record contact")
    page.check("#contact_direction_0")  # inbound
    page.check("#contact_who_0")  # the customer
    with page.expect_navigation():
        page.click("button:has-text('Start and open the call screen')")
    call = Interaction.objects.get(customer=who, ended_at=None)
    assert page.url == f"{watched.base_url}/contact/interactions/{call.pk}/"
    return call


def test_CON_9_CON_16_an_officer_takes_a_call_from_the_customer_page(watched, output_dir):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    who = customer(LOCKED_TO_OFFICER)
    visit(watched, found, f"/customers/{who.pk}/")
    call = _start_call(watched, who)
    call_path = f"/contact/interactions/{call.pk}/"

    # Before confirmation: the receipt, the timer, the needs and the check; no customer.
    main = page.inner_text("main")
    assert call.receipt in page.inner_text("#call-receipt")
    assert who.family_name not in main and who.crn not in main
    page.wait_for_selector("[data-call-timer-toggle]:not([hidden])")
    found += watched.check("call screen before confirmation")
    page.screenshot(path=str(output_dir / "call-screen-unconfirmed.png"), full_page=True)

    # The timer can be stopped from the keyboard (WCAG 2.2.2).
    page.focus("[data-call-timer-toggle]")
    page.keyboard.press("Enter")
    assert page.inner_text("[data-call-timer-toggle]") == "Restart the timer"

    # No answers: the error summary, focused.
    submit(watched, "button:has-text('Check the answers')", f"{call_path}identity/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("identity check with no answers")

    # The caller's answers, typed with the keyboard.
    page.focus("#identity_q_full_name")
    page.keyboard.type(who.full_name)
    page.keyboard.press("Tab")
    page.keyboard.type(who.date_of_birth.strftime("%d/%m/%Y"))
    page.keyboard.press("Tab")
    page.keyboard.type(who.crn.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == watched.base_url + call_path
    main = page.inner_text("main")
    assert "Identity confirmed for this call" in main
    assert who.full_name in main and who.crn in main
    assert page.is_visible("#slot-end") and page.is_visible("#slot-notes")
    found += watched.check("call screen after confirmation")
    page.screenshot(path=str(output_dir / "call-screen-confirmed.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=str(output_dir / "call-screen-confirmed-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The screen pop: the navigation offers the live call, with its receipt.
    page.wait_for_selector("#live-call-link")
    assert call.receipt in page.inner_text("#live-call-link")
    found += watched.check("call screen with the live call in the navigation")

    # The receipt finds the call again, over htmx; a wrong one says so beside the field.
    visit(watched, found, "/contact/receipts/")
    page.fill("#id_receipt", "zzzz zzzz")
    watched.expect("/contact/receipts/", 422)
    page.click("button:has-text('Find the call')")
    page.wait_for_selector("#receipt-result .govuk-error-summary")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("receipt not found")
    page.fill("#id_receipt", call.receipt.lower().replace("-", " "))
    page.click("button:has-text('Find the call')")
    page.wait_for_selector("#receipt-result-heading")
    found += watched.check("receipt found")

    # The customer page now shows the live call instead of the start form.
    visit(watched, found, f"/customers/{who.pk}/")
    assert "You are on a live call" in page.inner_text("main")
    # Norfolk Island: the remote indicator and local time before any contact (CON-13).
    visit(watched, found, f"/customers/{customer(NORFOLK).pk}/")
    assert "Pacific/Norfolk" in page.inner_text("#contact-heading + h3 + dl")
    assert_no_problems(found)


def test_CON_10_an_officer_records_a_disputed_identity(watched):
    sign_in(watched, "officer2")
    found: list[str] = []
    page = watched.page
    who = customer(UNLOCKED)
    visit(watched, found, f"/customers/{who.pk}/")
    call = _start_call(watched, who)
    dispute = f"/contact/interactions/{call.pk}/identity-dispute/"
    page.click("text=The person disputes being party to the case")
    submit(watched, "button:has-text('Record the dispute and refer to SGT')", dispute)
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("dispute with nothing chosen")
    page.check("#id_dispute_disputed_1")
    page.fill("#id_dispute_details", "Says the payer on this record is someone else")
    with page.expect_navigation():
        page.click("button:has-text('Record the dispute and refer to SGT')")
    assert "Potential identity mismatch" in page.inner_text("main")
    assert who.family_name not in page.inner_text("main")
    found += watched.check("disputed identity")
    assert_no_problems(found)
