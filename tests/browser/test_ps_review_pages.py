"""PS-18, PS-20 pages in headless Chromium at 1280 and 320 CSS px (axe, overflow, CSP):
a segment 3 customer's reviews with the review refused beside its fields, and the PS
Activity page with its tables and charts for the PS Team Leader and the National
Manager QCC, a period refused beside its field."""

import pytest

from cma.personalised.models import PsReview

from .test_every_page import assert_no_problems, demo, focused_class, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def test_CFG_3_PS_18_PS_20_review_and_activity_pages(watched, demo):
    found: list[str] = []
    review = PsReview.objects.get(state="due")
    sign_in(watched, "pscm")
    visit(watched, found, f"/ps/plans/{review.plan_id}/")
    visit(watched, found, f"/ps/plans/{review.plan_id}/reviews/")
    submit(watched, "button:has-text('Record the review')", f"/ps/reviews/{review.pk}/record/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("review refused")
    for persona in ("pstl", "nmqcc"):
        sign_in(watched, persona)
        visit(watched, found, "/ps/activity/")
        visit(watched, found, "/ps/activity/?period=last-90-days&by=team")
        visit(watched, found, "/ps/activity/?period=last-century", status=422)
    assert "PS Activity" in watched.page.inner_text("nav")
    assert_no_problems(found)
