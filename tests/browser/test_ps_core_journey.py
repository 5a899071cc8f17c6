"""PS-1..PS-6 in the browser, on the demo office: the PS case manager opens a referral
from the customer page, works the actioning checklist step by step (each swapped in by
htmx, a refusal listing what is missing), creates the plan and the PS stacking document,
sees the segment suggestion with its reasons and decides it, records the main reason,
then approves the plan and opens one of its versions. Each page passes axe at 1280 and
320 px."""

import pytest

from cma.personalised.models import PsPlan, Referral
from tests.browser.test_every_page import (
    _ps_referrals,
    assert_no_problems,
    demo,
    focused_class,
    sign_in,
    swap,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def _record(watched, step: str) -> None:
    """Record the checklist's next step; wait for the section to say it is done."""
    page = watched.page
    page.click(f"#step-{step} button:has-text('Record this step')")
    page.wait_for_selector(f"#step-{step} .govuk-tag--green")


def test_PS_1_PS_2_PS_4_PS_5_PS_6_a_referral_through_the_checklist_plan_and_segment(watched, demo):
    found: list[str] = []
    page = watched.page
    referral = _ps_referrals()["received"]
    sign_in(watched, "pscm")

    # PS-1: the customer page shows the referral; the case manager opens it.
    visit(watched, found, f"/customers/{referral.primary_customer_id}/")
    with page.expect_navigation():
        page.click("section[aria-labelledby=ps-heading] a:has-text('Received')")
    assert page.url.endswith(f"/ps/referrals/{referral.pk}/")
    found += watched.check("referral received")

    # PS-2: the checklist in order; each step says who did it and when.
    _record(watched, "lock-primary")
    assert "Done: Lock and assign the primary customer" in page.inner_text("#ps-checklist")
    review = f"/ps/referrals/{referral.pk}/steps/review-case-history/"
    swap(
        watched, "button:has-text('Record this step')", "#ps-checklist .govuk-error-summary", review
    )
    assert "govuk-error-summary" in focused_class(watched)
    assert "review the Case and customer records" in page.inner_text("#ps-checklist")
    found += watched.check("case history review refused")
    for box in page.locator("#step-review-case-history input[type=checkbox]").all():
        box.check()
    _record(watched, "review-case-history")
    _record(watched, "create-plan")
    _record(watched, "create-stacking-document")
    page.fill("#id_complete-case-review_text", "Reviewed the assessments since 2023 and notepads.")
    _record(watched, "complete-case-review")
    _record(watched, "contact-primary")
    found += watched.check("checklist part-way")

    # The segment is decided in the plan first: the step says so.
    page.select_option("#id_record-segment-source-reason_main_reason", "assessment")
    step = f"/ps/referrals/{referral.pk}/steps/record-segment-source-reason/"
    swap(watched, "button:has-text('Record this step')", "#ps-checklist .govuk-error-summary", step)
    assert "decide the customer's segment in the plan first" in page.inner_text("#ps-checklist")
    with page.expect_navigation():
        page.click("a:has-text('the segment suggestion in the plan')")

    # PS-4, PS-5, PS-6: the plan with its five issues; the suggestion and its reasons.
    plan = PsPlan.objects.get(referral=referral)
    assert page.url.split("#")[0].endswith(f"/ps/plans/{plan.pk}/")
    assert page.locator("#ps-issues tbody tr").count() == 5
    suggestion = page.inner_text("#ps-segment")
    assert "Suggested: segment" in suggestion and "Referred by: Ombudsman enquiry" in suggestion
    found += watched.check("plan with the segment suggestion")
    page.check("#id_segment_segment_1")  # segment 2
    swap(watched, "button:has-text('Record the segment decision')", "#ps-segment [role=status]")
    assert "Segment 2 recorded in the plan" in page.inner_text("#ps-segment")
    assert page.inner_text("#ps-plan-segment") == "Segment 2"  # out of band
    found += watched.check("segment decided")

    # Back to the checklist: the main reason, and the referral is actioned on time.
    visit(watched, found, f"/ps/referrals/{referral.pk}/")
    page.select_option("#id_record-segment-source-reason_main_reason", "assessment")
    _record(watched, "record-segment-source-reason")
    assert "Actioned on time" in page.inner_text("#ps-on-time")
    found += watched.check("referral actioned")

    # PS-8: the customer's view, agreed actions and contact times, which approval needs.
    visit(watched, found, f"/ps/plans/{plan.pk}/edit/")
    page.fill("#id_customer_view", "Wants the assessment changes explained.")
    page.fill("#id_agreed_actions", "Review the last three assessments and call back.")
    page.fill("#id_agreed_contact_times", "Weekday mornings.")
    with page.expect_navigation():
        page.click("button:has-text('Save the plan')")
    found += watched.check("plan details saved")

    # PS-4: the case manager approves the plan; a version of it, as it was.
    visit(watched, found, f"/ps/plans/{plan.pk}/")
    assert "Everything approval needs is recorded" in page.inner_text("#ps-approval")
    swap(watched, "button:has-text('Approve the plan')", "#ps-approved")
    assert "Approved" in page.inner_text("#ps-plan-state")
    found += watched.check("plan approved")
    with page.expect_navigation():
        page.click("#ps-versions a:has-text('Version 1')")
    assert "plan created with the five mandatory issues" in page.inner_text("main").lower()
    found += watched.check("plan version 1")

    referral = Referral.objects.get(pk=referral.pk)
    plan = PsPlan.objects.get(pk=plan.pk)
    assert referral.state == "actioned" and referral.actioned_on_time
    assert plan.state == "approved" and plan.segment == 2 and plan.approved_by.username == "pscm"
    assert_no_problems(found)
