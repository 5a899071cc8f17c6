"""PS-13..PS-15 pages in headless Chromium at 1280 and 320 CSS px, axe-core finding
nothing: the ready customer's plan with its finalisation section, the finalisation page
refusing an empty request (every unmet condition listed, focused), the request made,
and the PS Team Leader's approvals page refusing a rejection without reasons."""

import pytest

from cma.demo import core, extra_steps
from cma.demo.ps_final import READY_REASON
from cma.personalised.models import FinalisationRequest, PsPlan
from tests.browser.test_every_page import assert_no_problems, focused_class, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    for step in [core.load_staff, core.load_customers, *extra_steps()]:
        step()


def test_PS_13_PS_14_PS_15_finalisation_pages(watched, demo):
    found: list[str] = []
    page = watched.page
    ready = PsPlan.objects.get(referral__reason=READY_REASON)
    blocked = PsPlan.objects.exclude(pk=ready.pk).filter(state="approved").first()
    sign_in(watched, "pscm")
    visit(watched, found, f"/ps/plans/{blocked.pk}/")
    visit(watched, found, f"/ps/plans/{ready.pk}/")
    path = f"/ps/plans/{ready.pk}/finalisation/"
    visit(watched, found, path)
    submit(watched, "button:has-text('Request finalisation')", path)
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("finalisation request refused")
    page.check("#id_fin_basis_0")
    page.fill("#id_fin_mandatory_issues", "All five mandatory issues addressed.")
    page.check("#id_fin_exit_advice_0")
    page.fill("#id_fin_feedback", "Feedback given to the Assessment team.")
    submit(watched, "button:has-text('Request finalisation')", path, status=302)
    request = FinalisationRequest.objects.get(plan=ready)
    # The plan page's own requests finish before the session is written (SQLite locks).
    page.wait_for_load_state("networkidle")
    sign_in(watched, "pstl")
    visit(watched, found, "/ps/approvals/")
    page.check(f"#id_fin{request.pk}_decision_1")
    submit(
        watched,
        f"#finalisation-{request.pk} button:has-text('Record decision')",
        f"/ps/finalisations/{request.pk}/decide/",
    )
    found += watched.check("finalisation rejection without reasons refused")
    assert_no_problems(found)
