"""PS-1..PS-17 in one life, in the browser on the demo office (issue 22 "Done when"):
the Team Leader refers a customer from the customer page; the PS case manager actions
the checklist, decides segment 2, makes the first contact and records what followed
(the plan approved), completes the follow-up intray and requests finalisation; the PS
Team Leader rejects it once with reasons (the issues back to confirmed); the case
manager requests again and the PS Team Leader approves: the customer leaves PS,
unlocked from the case manager and routed by the referral guidelines. Every page passes
axe at 1280 and 320 px."""

import pytest

from cma.demo.personalised import _customers
from cma.personalised.models import FinalisationRequest, IssueStatus, PsPlan, Referral
from cma.staff.models import User
from cma.work.models import CustomerLock, Intray
from cma.work.models.intrays import LIVE_STATUSES
from tests.browser.test_every_page import assert_no_problems, demo, sign_in, swap, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def _record(watched, step: str) -> None:
    watched.page.click(f"#step-{step} button:has-text('Record this step')")
    watched.page.wait_for_selector(f"#step-{step} .govuk-tag--green")


def _request_finalisation(watched, found: list[str], plan: PsPlan, label: str) -> None:
    page = watched.page
    visit(watched, found, f"/ps/plans/{plan.pk}/finalisation/")
    page.check("#id_fin_basis_0")  # issues addressed as per the plan
    page.fill("#id_fin_mandatory_issues", "All five mandatory issues discussed and addressed.")
    page.check("#id_fin_exit_advice_0")  # told by phone
    page.fill("#id_fin_feedback", "Feedback given to the Assessment team.")
    page.check("#id_fin_responses_understood")  # an Ombudsman referral
    with page.expect_navigation():
        page.click("button:has-text('Request finalisation')")
    page.wait_for_load_state("networkidle")  # before the next sign-in writes (SQLite)
    found += watched.check(label)


def _decide(watched, found: list[str], request: FinalisationRequest, approve: bool) -> None:
    page = watched.page
    sign_in(watched, "pstl")
    visit(watched, found, "/ps/approvals/")
    if approve:
        page.check(f"#id_fin{request.pk}_decision_0")
        page.select_option(f"#id_fin{request.pk}_reason", "issues-addressed")
    else:
        page.check(f"#id_fin{request.pk}_decision_1")
        page.fill(f"#id_fin{request.pk}_comment", "Confirm the income review with the customer.")
    with page.expect_navigation():
        page.click(f"#finalisation-{request.pk} button:has-text('Record decision')")
    page.wait_for_load_state("networkidle")
    found += watched.check("approved" if approve else "rejected")


def test_PS_1_to_PS_17_a_ps_customer_from_referral_to_exit(watched, demo):
    found: list[str] = []
    page = watched.page
    leader = User.objects.get(username="teamleader")
    customer = next(
        c
        for c in _customers(leader, 30)
        if not Referral.objects.filter(primary_customer=c).exists()
        and not Intray.objects.filter(customer=c, status__in=LIVE_STATUSES).exists()
    )
    sign_in(watched, "teamleader")
    visit(watched, found, f"/customers/{customer.pk}/")
    with page.expect_navigation():
        page.click("a:has-text('Refer to Personalised Services')")
    page.select_option("#id_kind", "ps-referral-tl-only")
    page.select_option("#id_source", "ombudsman")
    page.fill("#id_reason", "Ombudsman enquiry about repeated assessment changes.")
    with page.expect_navigation():
        page.click("button:has-text('Make the referral')")
    referral = Referral.objects.get(primary_customer=customer)

    # PS-2, PS-4, PS-6: the checklist, with segment 2 decided on the plan.
    sign_in(watched, "pscm")
    visit(watched, found, f"/ps/referrals/{referral.pk}/")
    _record(watched, "lock-primary")
    for box in page.locator("#step-review-case-history input[type=checkbox]").all():
        box.check()
    _record(watched, "review-case-history")
    _record(watched, "create-plan")
    _record(watched, "create-stacking-document")
    page.fill("#id_complete-case-review_text", "Reviewed the assessments and notepads.")
    _record(watched, "complete-case-review")
    _record(watched, "contact-primary")
    plan = PsPlan.objects.get(referral=referral)
    visit(watched, found, f"/ps/plans/{plan.pk}/")
    page.check("#id_segment_segment_1")  # segment 2
    swap(watched, "button:has-text('Record the segment decision')", "#ps-segment [role=status]")
    visit(watched, found, f"/ps/referrals/{referral.pk}/")
    page.select_option("#id_record-segment-source-reason_main_reason", "assessment")
    _record(watched, "record-segment-source-reason")
    found += watched.check("referral actioned")

    # PS-7, PS-8: the first contact, then what followed it: the plan approved.
    visit(watched, found, f"/ps/plans/{plan.pk}/contact/")
    with page.expect_navigation():
        page.click("button:has-text('Check and start the first contact')")
    for box in page.locator("#discussion input[name=items_done]").all():
        box.check()
    page.fill("#id_talk_summary", "Issues confirmed; income review to follow")
    page.check("#id_talk_summary_acknowledged")
    page.fill("#id_talk_next_contact_at", "2099-01-05 10:30")
    with page.expect_navigation():
        page.click("button:has-text('Save the discussion')")
    with page.expect_navigation():
        page.click("button:has-text('Complete the first contact')")
    page.check("#id_after_products_services_0")
    page.fill("#id_after_customer_view", "Believes the income used is too high")
    page.fill("#id_after_agreed_actions", "Review the income")
    page.fill("#id_after_agreed_contact_times", "Weekday mornings")
    page.check("#id_after_follow_up_type_2")
    page.fill("#id_after_follow_up_note", "Income review outcome")
    with page.expect_navigation():
        page.click("button:has-text('Record after contact')")
    plan.refresh_from_db()
    assert plan.state == "approved"
    found += watched.check("plan approved after contact")

    # PS-13: the follow-up done, nothing open blocks the finalisation.
    for intray in Intray.objects.filter(customer=customer, status__in=LIVE_STATUSES):
        visit(watched, found, f"/work/intrays/{intray.pk}/")
        page.fill("#complete_outcome", "Income reviewed with the customer")
        with page.expect_navigation():
            page.click("button:has-text('Complete')")

    # PS-14, PS-15: requested, rejected once, requested again and approved.
    _request_finalisation(watched, found, plan, "finalisation requested")
    _decide(watched, found, FinalisationRequest.objects.get(plan=plan), approve=False)
    statuses = set(plan.issues.values_list("status", flat=True))
    assert statuses == {IssueStatus.CONFIRMED}
    sign_in(watched, "pscm")
    _request_finalisation(watched, found, plan, "finalisation requested again")
    again = FinalisationRequest.objects.filter(plan=plan).order_by("pk").last()
    _decide(watched, found, again, approve=True)

    # PS-17: out of PS, unlocked from the case manager, routed by the guidelines.
    plan.refresh_from_db()
    assert plan.state == "closed"
    lock = CustomerLock.objects.filter(customer=customer, released_at=None).first()
    assert lock is None or lock.owner_user_id is None
    visit(watched, found, f"/customers/{customer.pk}/")
    assert_no_problems(found)
