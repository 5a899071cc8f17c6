"""CMA-6, CMA-7, CON-17 in the browser, on the demo office: a decision blocked at
finalisation (the checklist says who is missing), the explanation screen, the
contact-attempt route for the customer who could not be reached, then finalised and
notified with the advice letters issued. Each page passes axe at 1280 and 320 px."""

import pytest

from cma.decisions.models import Decision, State
from cma.letters.models import Letter
from tests.browser.test_every_page import assert_no_problems, demo, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def _unanswered_call(watched, customer, kind: str) -> None:
    """An outbound call to the customer's `kind` of number, unanswered: recorded as the
    plan's attempt on the call screen, then ended."""
    page = watched.page
    page.goto(f"{watched.base_url}/contact/customers/{customer.pk}/start/")
    page.check("input[name=direction][value=outbound]")
    page.check("input[name=channel][value=phone]")
    page.check("input[name=who][value=customer]")
    page.select_option("select[name=number_type]", kind)
    page.select_option("select[name=purpose]", "explain-decision")
    with page.expect_navigation():
        page.click("button:has-text('Start and open the call screen')")
    page.check("#slot-plan input[name=outcome][value=no-answer]")
    page.check(f"#slot-plan input[name=number_type][value={kind}]")
    # CON-6: the payee prefers SMS; a call needs its reason.
    page.fill("#slot-plan input[name=non_preferred_reason]", "A decision must be explained")
    page.click("#slot-plan button:has-text('Record the attempt')")
    page.wait_for_selector("#slot-plan >> text=Attempt recorded")
    page.check("input[name=reason][value=disconnected]")
    with page.expect_navigation():
        page.click("button:has-text('End the call')")


def test_CMA_6_CMA_7_CON_17_a_decision_from_blocked_to_notified(watched, demo):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    blocked = Decision.objects.select_related("case").order_by("pk").last()
    page_url = f"/decisions/{blocked.pk}/"
    visit(watched, found, page_url)
    submit(watched, "button:has-text('Finalise')", f"/decisions/{blocked.pk}/finalise/")
    text = watched.page.inner_text("main")
    assert "the payee (customer" in text and "the payer (customer" not in text
    found += watched.check("blocked finalisation")
    payee = blocked.case.payee
    visit(watched, found, f"/decisions/{blocked.pk}/explanation/{payee.pk}/")
    assert blocked.case.payer.full_name not in watched.page.content()
    # The payee could not be reached: the contact-attempt route through the pages.
    visit(watched, found, page_url)
    with page.expect_navigation():
        page.click("button:has-text('Start the contact-attempt route for the payee')")
    assert "every available number" in page.inner_text("#route-payee")
    found += watched.check("contact-attempt route started")
    for kind in payee.phones.values_list("kind", flat=True).distinct():
        _unanswered_call(watched, payee, kind)
    found += watched.check("unanswered call recorded")
    visit(watched, found, page_url)
    with page.expect_navigation():
        page.click("button:has-text('Issue the MX1-1 letter to the payee')")
    assert Letter.objects.without_pdf().filter(customer=payee, template_code="MX1-1").exists()
    found += watched.check("MX1-1 letter issued")
    with watched.page.expect_navigation():
        watched.page.click("button:has-text('Finalise')")
    assert "Completed without reaching them" in watched.page.inner_text("main")
    with watched.page.expect_navigation():
        watched.page.click("button:has-text('Issue written advice')")
    found += watched.check("notified")
    blocked.refresh_from_db()
    assert blocked.state == State.NOTIFIED
    ids = blocked.parties.values_list("advice_letter", flat=True)
    issued = Letter.objects.without_pdf().filter(pk__in=ids, template_code="DEC-1")
    assert {letter.customer_id for letter in issued} == {blocked.case.payer_id, payee.pk}
    assert_no_problems(found)
