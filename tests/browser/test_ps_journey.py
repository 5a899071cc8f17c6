"""PS-7, PS-8, PS-10, PS-11 in the browser, on the demo office: Priya (PS case manager)
finds her customer on "My PS customers", completes the first-contact checklist (refused
first, listing what is missing), records what followed the contact and an option, asks
for a face-to-face meeting with security risks; Paul (PS Team Leader) approves it and
notifies the Service Centre Manager from his approvals; Priya books it. Every page
passes axe at 1280 and 320 px."""

import pytest

from cma.personalised.models import FaceToFace, FirstContact, PsPlan
from tests.browser.test_every_page import assert_no_problems, demo, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def test_PS_7_PS_8_PS_10_PS_11_first_contact_to_a_booked_meeting(watched, demo):
    found: list[str] = []
    page = watched.page
    sign_in(watched, "pscm")
    visit(watched, found, "/ps/caseload/")
    plan = PsPlan.objects.get(first_contacts__isnull=False, first_contacts__completed_at=None)
    assert page.locator("#caseload .govuk-tag--red").count() == 1
    with page.expect_navigation():
        page.click(f"#plan-row-{plan.pk} a:has-text('Contact')")
    found += watched.check("contact page")
    url = f"/ps/plans/{plan.pk}/contact/"
    submit(watched, "button:has-text('Complete the first contact')", f"{url}complete/")
    assert "Offer a social worker" in page.inner_text("main")
    found += watched.check("first contact refused")
    for box in page.locator("#discussion input[name=items_done]").all():
        box.check()
    page.fill("#id_talk_summary", "Issues confirmed; income review to follow")
    page.check("#id_talk_summary_acknowledged")
    page.fill("#id_talk_next_contact_at", "2099-01-05 10:30")
    with page.expect_navigation():
        page.click("button:has-text('Save the discussion')")
    with page.expect_navigation():
        page.click("button:has-text('Complete the first contact')")
    assert FirstContact.objects.get(plan=plan).completed_at is not None
    found += watched.check("first contact complete")

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
    page.check("#id_option_kind_0")
    page.fill("#id_option_description", "Guide to income estimates")
    with page.expect_navigation():
        page.click("button:has-text('Record the option')")
    page.fill("#id_meet_reason", "Communication barrier")
    page.check("#id_meet_security_risks")
    page.fill("#id_meet_security_risk_notes", "Raised voice last year")
    with page.expect_navigation():
        page.click("button:has-text('Request the face-to-face meeting')")
    found += watched.check("face-to-face requested")
    meeting = FaceToFace.objects.get(plan=plan)

    sign_in(watched, "pstl")
    visit(watched, found, "/ps/approvals/")
    page.check(f"#id_meet{meeting.pk}_decision_0")
    with page.expect_navigation():
        page.click(f"#meeting-{meeting.pk} button:has-text('Record decision')")
    with page.expect_navigation():
        page.click("button:has-text('Service Centre Manager notified')")
    found += watched.check("approved and notified")

    sign_in(watched, "pscm")
    visit(watched, found, url)
    page.fill("#id_book_meeting_at", "2099-01-06 10:00")
    with page.expect_navigation():
        page.click("button:has-text('Book the meeting')")
    meeting.refresh_from_db()
    assert meeting.state == "booked"
    found += watched.check("booked")
    assert_no_problems(found)
