"""CMA-6, CMA-7, CON-17 in the browser, on the demo office: a decision blocked at
finalisation (the checklist says who is missing), the explanation screen, the
contact-attempt route for the customer who could not be reached, then finalised and
notified with the advice letters issued. Each page passes axe at 1280 and 320 px."""

import pytest

from cma.contact import services as contact
from cma.contact.models import ContactPlan, PlanState
from cma.decisions.models import Decision, State
from cma.letters.models import Letter
from cma.staff.models import User
from tests.browser.test_every_page import assert_no_problems, demo, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def test_CMA_6_CMA_7_CON_17_a_decision_from_blocked_to_notified(watched, demo):
    sign_in(watched, "officer")
    found: list[str] = []
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
    # The payee could not be reached: the contact-attempt plan for this decision ran
    # its course (its own journey is tested with the call screen).
    officer = User.objects.get(username="officer")
    plan = contact.create_plan(
        customer=payee, actor=officer, purpose="explain-decision", subject=blocked.subject
    )
    ContactPlan.objects.filter(pk=plan.pk).update(state=PlanState.UNSUCCESSFUL)
    visit(watched, found, page_url)
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
