"""Collection on a call, end to end in headless Chromium on the demo office (issue 20,
"done when"): the demo officer takes a call from a demo payee, confirms them, is
refused ending the call without Minimum Collection Activity (CMA-1), records MCA for
the payee's case (a missing outcome is shown beside its field first), raises one common
and two specialised issues, which are resolved at first contact and routed by the
referral guidelines with intrays (CMA-3, CMA-4, CMA-8), records a payee's lead (CMA-2),
ends the call and finds all three issues on the customer page. Every state is checked
with axe-core at 1280 and 320 CSS px, for sideways scrolling, CSP and console errors."""

import pytest

from cma.collection.models import McaRecord, PayeeLead, PresentingIssue
from cma.demo.collection import demo_payee
from cma.staff.models import User
from tests.browser.test_call_journey import _confirm, _pop, _simulated_call, _swap
from tests.browser.test_every_page import (
    assert_no_problems,
    demo,  # noqa: F401  (the demo office fixture)
    sign_in,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]
MCA = "#section-collection-mca"
ISSUES = "#section-collection-issues"


def test_CMA_1_CMA_2_CMA_3_CMA_4_CMA_8_a_call_with_three_issues_and_mca(watched):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    who = demo_payee(User.objects.get(username="officer"))
    case = who.cases_as_payee.get()
    call = _simulated_call(watched, who)
    path = _pop(watched, found, call)
    assert not page.is_visible(MCA)  # CON-9: nothing about the case before confirmation
    _confirm(watched, who)
    assert page.is_visible(MCA) and case.case_number in page.inner_text(MCA)
    found += watched.check("collection sections shown")

    # Ending without MCA, and no reason: refused, naming the case.
    page.check("#id_end_reason_0")  # completed
    _swap(
        watched, "button:has-text('End the call')", "#slot-end .govuk-error-message", f"{path}end/"
    )
    assert case.case_number in page.inner_text("#slot-end")
    found += watched.check("end refused without MCA")

    # MCA for the case: a missing outcome first, then all four.
    prefix = f"#id_mca{case.pk}"
    for topic in ("payment_ongoing", "payment_arrears", "care"):
        page.check(f"{prefix}_{topic}_0")  # addressed
    mca_url = f"/collection/calls/{call.pk}/mca/{case.pk}/"
    _swap(watched, f"{MCA} button:has-text('Record MCA')", f"{MCA} .govuk-error-summary", mca_url)
    found += watched.check("MCA with an outcome missing")
    for topic in ("payment_ongoing", "payment_arrears", "care"):
        page.check(f"{prefix}_{topic}_0")
    page.check(f"{prefix}_income_3")  # follow-up intray created
    _swap(watched, f"{MCA} button:has-text('Record MCA')", f"{MCA} .moj-alert--success")
    assert "A follow-up intray was created for you" in page.inner_text(MCA)
    found += watched.check("MCA recorded")

    # A payee's lead, structured and masked, routed to Intensive Collection.
    page.check("#id_lead_kind_1")  # bank account
    page.fill("#id_lead_name", "Coastal Credit Union")
    page.fill("#id_lead_identifier", "062000 12345678")
    _swap(watched, f"{MCA} button:has-text('Record the lead')", f"{MCA} >> text=Lead recorded")
    assert "678" in page.inner_text(MCA) and "12345678" not in page.inner_text(MCA)
    page.check("#id_payee_outcome_0")  # told what was done
    _swap(
        watched,
        f"{MCA} button:has-text('Record what the payee was told')",
        f"{MCA} >> text=What the payee was told",
    )
    found += watched.check("payee lead recorded")

    # One common and two specialised issues.
    for kind, result in (
        ("payment-enquiry", "resolved on this call"),
        ("estimate", "routed to Specialised Assessments"),
        ("debt-enforcement", "routed to Intensive Collection"),
    ):
        page.select_option("#id_issue_kind", kind)
        _swap(
            watched, f"{ISSUES} button:has-text('Record the issue')", f"{ISSUES} >> text={result}"
        )
    assert page.locator("#call-issues tbody tr").count() == 3
    found += watched.check("three issues resolved or routed")

    page.check("#id_end_reason_0")
    with page.expect_navigation():
        page.click("button:has-text('End the call')")
    assert "Call ended" in page.inner_text("main")
    found += watched.check("call ended with MCA")

    visit(watched, found, f"/customers/{who.pk}/")
    panel = page.inner_text("#customer-issues")
    assert panel.count("Resolved at first contact") >= 1 and "Specialised Assessments" in panel
    issues = PresentingIssue.objects.filter(interaction=call)
    assert sorted(issues.values_list("status", flat=True)) == ["resolved", "routed", "routed"]
    assert all(i.intray_id for i in issues if i.status == "routed")
    assert McaRecord.objects.get(interaction=call).follow_up_intray_id
    assert PayeeLead.objects.get(interaction=call).identifier == "062000 12345678"
    assert_no_problems(found)
