"""PS-1..PS-7 and PS-3/PS-6 approvals in the browser, on the demo office: the Team
Leader refers a customer from the customer page; the PS case manager opens the referral
from its intray and works the actioning checklist through the plan, the PS
stacking document and the case review, proposes segment 3 on the plan; the PS Team
Leader approves it on the approvals page and declines the demo's reallocation request
(refused first without a reason, the error beside the field); the case manager records
the segment step and completes the first contact. Every page passes axe at 1280 and
320 px."""

import pytest

from cma.demo.personalised import _customers
from cma.personalised.models import FirstContact, PsPlan, Reallocation, Referral, SegmentDecision
from cma.staff.models import User
from tests.browser.test_every_page import (
    assert_no_problems,
    demo,
    focused_class,
    sign_in,
    submit,
    swap,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def _record(watched, step: str) -> None:
    page = watched.page
    page.click(f"#step-{step} button:has-text('Record this step')")
    page.wait_for_selector(f"#step-{step} .govuk-tag--green")


def test_PS_1_PS_2_PS_3_PS_6_PS_7_referral_to_first_contact_with_approvals(watched, demo):
    found: list[str] = []
    page = watched.page
    leader = User.objects.get(username="teamleader")
    customer = next(
        c
        for c in _customers(leader, 12)
        if not Referral.objects.filter(primary_customer=c).exists()
    )

    # PS-1: the Team Leader refers the customer from the customer page.
    sign_in(watched, "teamleader")
    visit(watched, found, f"/customers/{customer.pk}/")
    with page.expect_navigation():
        page.click("a:has-text('Refer to Personalised Services')")
    found += watched.check("referral form")
    page.select_option("#id_kind", "ps-referral-tl-only")
    page.select_option("#id_source", "ombudsman")
    page.fill("#id_reason", "Ombudsman enquiry about repeated assessment changes.")
    with page.expect_navigation():
        page.click("button:has-text('Make the referral')")
    referral = Referral.objects.get(primary_customer=customer)
    found += watched.check("referral made")

    # PS-2: the PS case manager opens the referral's intray (the customer's PS panel
    # says it was received) and goes from it to the actioning checklist.
    sign_in(watched, "pscm")
    visit(watched, found, f"/customers/{customer.pk}/")
    assert "Received" in page.inner_text("section[aria-labelledby=ps-heading]")
    visit(watched, found, f"/work/intrays/{referral.intray_id}/")
    with page.expect_navigation():
        page.click("a:has-text('Action the referral: its checklist')")
    found += watched.check("referral received")
    _record(watched, "lock-primary")
    for box in page.locator("#step-review-case-history input[type=checkbox]").all():
        box.check()
    _record(watched, "review-case-history")
    _record(watched, "create-plan")
    _record(watched, "create-stacking-document")
    page.fill("#id_complete-case-review_text", "Reviewed the assessments and notepads.")
    _record(watched, "complete-case-review")
    _record(watched, "contact-primary")
    found += watched.check("checklist part-way")

    # PS-6: segment 3 is proposed in the plan; it awaits the PS Team Leader.
    plan = PsPlan.objects.get(referral=referral)
    visit(watched, found, f"/ps/plans/{plan.pk}/")
    page.check("#id_segment_segment_2")  # segment 3
    swap(watched, "button:has-text('Record the segment decision')", "#ps-segment [role=status]")
    assert "awaits the PS Team Leader" in page.inner_text("#ps-segment")
    found += watched.check("segment 3 proposed")
    decision = SegmentDecision.objects.get(plan=plan, approval="pending")

    # PS-3, PS-6: the PS Team Leader decides both on the approvals page.
    sign_in(watched, "pstl")
    visit(watched, found, "/ps/approvals/")
    request = Reallocation.objects.get(state="requested")
    page.check(f"#id_realloc{request.pk}_decision_1")  # do not approve, without a reason
    submit(
        watched,
        f"#reallocation-{request.pk} button:has-text('Record decision')",
        f"/ps/approvals/reallocations/{request.pk}/",
    )
    assert "govuk-error-summary" in focused_class(watched)
    assert "say why" in page.inner_text(f"#reallocation-{request.pk}")
    found += watched.check("reallocation refused without a reason")
    page.check(f"#id_realloc{request.pk}_decision_1")
    page.fill(f"#id_realloc{request.pk}_comment", "Face-to-face can be arranged locally.")
    with page.expect_navigation():
        page.click(f"#reallocation-{request.pk} button:has-text('Record decision')")
    page.check(f"#id_seg{decision.pk}_decision_0")  # approve
    with page.expect_navigation():
        page.click(f"#segment-{decision.pk} button:has-text('Record decision')")
    found += watched.check("approvals decided")
    assert Reallocation.objects.get(pk=request.pk).state == "declined"
    assert PsPlan.objects.get(pk=plan.pk).segment == 3

    # PS-2: the segment step; the referral is actioned.
    sign_in(watched, "pscm")
    visit(watched, found, f"/ps/referrals/{referral.pk}/")
    page.select_option("#id_record-segment-source-reason_main_reason", "assessment")
    _record(watched, "record-segment-source-reason")
    assert "Actioned on time" in page.inner_text("#ps-on-time")
    found += watched.check("referral actioned")

    # PS-7: the first contact, after the restricted-service check.
    visit(watched, found, f"/ps/plans/{plan.pk}/contact/")
    with page.expect_navigation():
        page.click("button:has-text('Check and start the first contact')")
    for box in page.locator("#discussion input[name=items_done]").all():
        box.check()
    page.fill("#id_talk_summary", "Issues confirmed; assessment review to follow")
    page.check("#id_talk_summary_acknowledged")
    page.fill("#id_talk_next_contact_at", "2099-01-05 10:30")
    with page.expect_navigation():
        page.click("button:has-text('Save the discussion')")
    with page.expect_navigation():
        page.click("button:has-text('Complete the first contact')")
    found += watched.check("first contact complete")
    assert FirstContact.objects.get(plan=plan).completed_at is not None
    assert Referral.objects.get(pk=referral.pk).state == "actioned"
    assert_no_problems(found)
