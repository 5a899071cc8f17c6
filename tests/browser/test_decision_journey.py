"""CMA-6, CMA-7, CON-17 in the browser, on the demo office: a decision blocked at
finalisation (the checklist says who is missing), the explanation screen, the
contact-attempt route for the customer who could not be reached (its MX1-1 letter from
the call screen's plan slot on the last unanswered call, before any identity check),
then finalised and notified with the advice letters issued; and a decision explained
from the call screen's own section. Each page passes axe at 1280 and 320 px."""

from datetime import timedelta

import pytest

from cma.customers.models import agency_today
from cma.decisions import services
from cma.decisions.models import AffectedParty, Decision, State
from cma.letters.models import Letter
from cma.staff.models import User
from tests.browser.test_every_page import assert_no_problems, demo, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def _unanswered_call(watched, customer, kind: str, last: bool = False) -> None:
    """An outbound call to the customer's `kind` of number, unanswered: recorded as the
    plan's attempt on the call screen, then ended. On the `last` number owed the plan
    slot offers the letter now due (CON-4), never naming the customer (CON-9)."""
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
    if last:
        assert customer.full_name not in page.inner_text("main")
        page.click("#slot-plan button:has-text('Issue the contact-attempt letter now due')")
        page.wait_for_selector("#slot-plan >> text=MX1-1 letter issued")
    page.check("input[name=reason][value=disconnected]")
    with page.expect_navigation():
        page.click("button:has-text('End the call')")


def test_CMA_6_CMA_7_CON_17_a_decision_from_blocked_to_notified(watched, demo):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    # The demo's care decision, blocked on its payee (the PS mandate's estimate is another).
    blocked = Decision.objects.select_related("case").filter(kind="care").get()
    page_url = f"/decisions/{blocked.pk}/"
    visit(watched, found, page_url)
    # Refused over htmx: the moves section swaps in with who is missing (422).
    watched.expect(f"/decisions/{blocked.pk}/finalise/", 422)
    page.click("#decision-moves button:has-text('Finalise')")
    page.wait_for_selector("#decision-moves .govuk-error-summary")
    text = watched.page.inner_text("#decision-moves")
    assert "the payee (customer" in text and "the payer (customer" not in text
    found += watched.check("blocked finalisation")
    payee = blocked.case.payee
    visit(watched, found, f"/decisions/{blocked.pk}/explanation/{payee.pk}/")
    assert blocked.case.payer.full_name not in watched.page.content()
    # The payee could not be reached: the contact-attempt route through the pages.
    visit(watched, found, page_url)
    page.click("button:has-text('Start the contact-attempt route for the payee')")
    page.wait_for_selector("#decision-checklist >> text=Contact-attempt plan started")
    assert "every available number" in page.inner_text("#route-payee")
    found += watched.check("contact-attempt route started")
    kinds = list(payee.phones.values_list("kind", flat=True).distinct())
    for n, kind in enumerate(kinds):
        _unanswered_call(watched, payee, kind, last=n == len(kinds) - 1)
    found += watched.check("unanswered calls recorded, MX1-1 letter issued on the last")
    assert Letter.objects.without_pdf().filter(customer=payee, template_code="MX1-1").exists()
    visit(watched, found, page_url)
    assert "Completed without reaching them" in page.inner_text("#decision-checklist")
    # Finalise and notify over htmx: the moves swap in, the checklist out of band.
    page.click("#decision-moves button:has-text('Finalise')")
    page.wait_for_selector("#decision-moves >> text=The decision is final.")
    found += watched.check("finalised")
    page.click("#decision-moves button:has-text('Issue written advice')")
    page.wait_for_selector("#decision-moves >> text=Written advice was issued")
    # The checklist came out of band: each party's written advice is issued.
    assert page.inner_text("#decision-checklist").count("Written advice\tIssued") == 2
    found += watched.check("notified")
    blocked.refresh_from_db()
    assert blocked.state == State.NOTIFIED
    ids = blocked.parties.values_list("advice_letter", flat=True)
    issued = Letter.objects.without_pdf().filter(pk__in=ids, template_code="DEC-1")
    assert {letter.customer_id for letter in issued} == {blocked.case.payer_id, payee.pk}
    assert_no_problems(found)


def _confirm(watched, who) -> None:
    page = watched.page
    page.fill("#identity_q_full_name", who.full_name)
    page.fill("#identity_q_date_of_birth", who.date_of_birth.strftime("%d/%m/%Y"))
    page.fill("#identity_q_crn", who.crn)
    with page.expect_navigation():
        page.click("button:has-text('Check the answers')")
    assert "Identity confirmed for this call" in page.inner_text("main")


def test_CMA_6_CON_17_a_decision_is_explained_from_the_call_screen(watched, demo):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    ready = Decision.objects.select_related("case__payer", "case__payee").order_by("pk").first()
    officer = User.objects.get(username="officer")
    decision = services.create_decision(
        case=ready.case,
        actor=officer,
        kind="income",
        reasons="The payer's income was reassessed from the tax return.",
        effective_on=agency_today() + timedelta(days=7),
    )
    payer, payee = ready.case.payer, ready.case.payee
    page.goto(f"{watched.base_url}/contact/customers/{payer.pk}/start/")
    page.check("input[name=direction][value=outbound]")
    page.check("input[name=channel][value=phone]")
    page.check("input[name=who][value=customer]")
    page.select_option("select[name=number_type]", payer.phones.first().kind)
    page.select_option("select[name=purpose]", "explain-decision")
    with page.expect_navigation():
        page.click("button:has-text('Start and open the call screen')")
    call_pk = page.url.rstrip("/").split("/")[-1]
    assert page.locator("#section-decisions").count() == 0  # CON-9: identity first
    _confirm(watched, payer)
    section = page.inner_text("#section-decisions")
    assert "income was reassessed" in section and payee.full_name not in page.content()
    found += watched.check("call screen: explain a decision")
    form = f"#section-decisions form[action$='/explain/{decision.pk}/']"
    watched.expect(f"/decisions/call/{call_pk}/explain/{decision.pk}/", 422)
    page.check(f"{form} input[name=disagreed]")
    page.click(f"{form} button:has-text('Record the explanation')")
    page.wait_for_selector("#section-decisions .govuk-error-summary")
    found += watched.check("explanation refused: no review option")
    page.select_option(f"{form} select[name=review_option]", "objection")
    page.fill(f"{form} textarea[name=answer]", "Will lodge an objection.")
    page.click(f"{form} button:has-text('Record the explanation')")
    page.wait_for_selector("#section-decisions >> text=decision is recorded")
    found += watched.check("explanation recorded on the call")
    party = AffectedParty.objects.get(decision=decision, customer=payer)
    assert party.explained and party.review_option == "objection"
    assert_no_problems(found)
