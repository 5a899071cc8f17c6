"""PS-1..PS-6 through the staff pages: making a referral from the customer page, the
referral page's actioning checklist (htmx swaps the section alone, refusals list every
unmet condition), the plan page with its issues, approval and versions, one version,
and the segment suggestion, decision and segment 3 approval. Each request writes one
audit row; each page takes a bounded number of queries that stays flat as data grows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from cma.audit.models import AuditRecord, Outcome
from cma.personalised import services
from cma.personalised.models import PsIssue, PsPlan, Referral, SegmentDecision

from .conftest import run_checklist

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows() -> int:
    return AuditRecord.objects.count()


def _last_outcome() -> str:
    return AuditRecord.objects.order_by("-pk").values_list("outcome", flat=True).first()


@pytest.fixture
def plan(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    return PsPlan.objects.get(customer=referral.primary_customer)


# --- PS-1: a referral from the customer page ----------------------------------------------


def test_PS_1_the_customer_page_links_the_referral_and_the_plan(referral, plan, pscm):
    client = _client(pscm)
    body = client.get(f"/customers/{referral.primary_customer_id}/").content.decode()
    assert "Personalised Services" in body
    assert f"/ps/referrals/{referral.pk}/" in body
    assert f"/ps/plans/{plan.pk}/" in body
    # A referral being actioned: no second referral offered.
    assert f"/ps/referrals/new/{referral.primary_customer_id}/" not in body


def test_PS_1_referral_form_page_refuses_an_urgent_referral_without_contact(
    customer, team_leader, ps_team
):
    client = _client(team_leader)
    url = f"/ps/referrals/new/{customer.pk}/"
    before = _rows()
    page = client.get(url)
    assert page.status_code == 200 and "Refer to Personalised Services" in page.content.decode()
    assert _rows() - before == 1
    before = _rows()
    response = client.post(
        url,
        {
            "kind": "ps-referral-tl-only",
            "source": "ombudsman",
            "reason": "Ombudsman enquiry about repeated assessment errors.",
            "urgent": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "contacted the PS Team Leader first" in body
    assert "govuk-error-summary" in body
    assert not Referral.objects.exists()
    assert _rows() - before == 1 and _last_outcome() == Outcome.REFUSED


def test_PS_1_referral_form_page_makes_the_referral(customer, team_leader, pstl):
    client = _client(team_leader)
    before = _rows()
    response = client.post(
        f"/ps/referrals/new/{customer.pk}/",
        {
            "kind": "ps-referral-tl-only",
            "source": "ombudsman",
            "reason": "Ombudsman enquiry about repeated assessment errors.",
            "urgent": "on",
            "tl_contacted_ps_tl": "on",
            "contacted_ps_team_leader": str(pstl.pk),
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(primary_customer=customer)
    assert referral.urgent and referral.tl_contacted_ps_tl
    assert referral.contacted_ps_team_leader == pstl
    assert _rows() - before == 1


def test_PS_1_an_officer_is_refused_a_team_leader_only_referral(customer, officer, ps_team):
    response = _client(officer).post(
        f"/ps/referrals/new/{customer.pk}/",
        {"kind": "ps-referral-tl-only", "source": "ombudsman", "reason": "Escalated enquiry."},
    )
    assert response.status_code == 422
    assert "may make a" in response.content.decode()
    assert not Referral.objects.exists()


# --- PS-2: the referral page and its checklist --------------------------------------------


def test_PS_2_referral_page_shows_the_checklist_in_policy_order(referral, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.get(f"/ps/referrals/{referral.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert _rows() - before == 1
    names = [row["name"] for row in services.checklist(referral)]
    positions = [body.index(escape(n)) for n in names]
    assert positions == sorted(positions)
    assert "Record this step" in body and "In time so far" in body


def test_PS_2_a_step_out_of_order_is_refused_in_the_checklist_section(referral, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.post(
        f"/ps/referrals/{referral.pk}/steps/review-case-history/",
        {"reviewed": ["case-and-customer"]},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith("<section") and "<html" not in body
    assert "PS-2: first: Lock and assign the primary customer" in body
    assert "PS-2: review the Notepads and communication" in body  # every unmet condition
    assert not referral.steps.exists()
    assert _rows() - before == 1 and _last_outcome() == Outcome.REFUSED


def test_PS_2_doing_a_step_swaps_the_checklist_with_who_and_when(referral, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.post(f"/ps/referrals/{referral.pk}/steps/lock-primary/", {}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f"by {pscm.display_name}" in body and "Done: Lock and assign" in body
    assert referral.steps.get().step == "lock-primary"
    assert _rows() - before == 1
    # Without htmx: back to the page.
    response = client.post(
        f"/ps/referrals/{referral.pk}/steps/review-case-history/",
        {
            "reviewed": [
                "case-and-customer",
                "notepads-and-communication",
                "feedback-and-review",
                "customer-history",
            ]
        },
    )
    assert response.status_code == 302


def test_PS_2_the_case_review_step_keeps_personal_information_out(referral, pscm):
    run_checklist(referral, pscm, upto="complete-case-review")
    response = _client(pscm).post(
        f"/ps/referrals/{referral.pk}/steps/complete-case-review/",
        {"text": "Called 0413 222 901 about the income estimate."},
        **HTMX,
    )
    assert response.status_code == 422
    assert not referral.steps.filter(step="complete-case-review").exists()


def test_PS_2_referral_page_queries_stay_flat_as_steps_are_done(
    referral, pscm, django_assert_max_num_queries
):
    client = _client(pscm)
    run_checklist(referral, pscm, upto="review-case-history")
    with CaptureQueriesContext(connection) as one_step:
        assert client.get(f"/ps/referrals/{referral.pk}/").status_code == 200
    run_checklist(Referral.objects.get(pk=referral.pk), pscm, upto="contact-primary")
    with django_assert_max_num_queries(len(one_step.captured_queries)):
        assert client.get(f"/ps/referrals/{referral.pk}/").status_code == 200
    assert len(one_step.captured_queries) <= 25


# --- PS-4, PS-5: the plan page --------------------------------------------------------------


def test_PS_4_PS_5_plan_page_shows_the_five_issues_fields_and_versions(plan, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.get(f"/ps/plans/{plan.pk}/")
    body = response.content.decode()
    assert response.status_code == 200 and _rows() - before == 1
    for title in ("Income Correct", "Care Correct", "Customer Contact Details"):
        assert title in body
    assert "Payment Activity for Ongoing" in body and "Payment Activity for Arrears" in body
    assert body.count("Mandatory</strong>") == 5
    assert f"/ps/plans/{plan.pk}/versions/1/" in body
    assert "The customer&#x27;s view" in body or "The customer's view" in body


def test_PS_4_PS_5_plan_page_queries_stay_flat_with_more_issues_and_versions(
    plan, pscm, django_assert_max_num_queries
):
    client = _client(pscm)
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"/ps/plans/{plan.pk}/").status_code == 200
    for n in range(5):
        issue = services.add_issue(
            plan=plan, actor=pscm, title=f"Further issue {n}", classification="other"
        )
        services.change_issue_status(issue=issue, actor=pscm, status="confirmed", comment="ok")
    assert plan.issues.count() == 10 and plan.versions.count() >= 10
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert client.get(f"/ps/plans/{plan.pk}/").status_code == 200
    # 40, and a constant few more for the finalisation section (its readiness).
    assert len(five.captured_queries) <= 48


def test_PS_5_an_issue_moves_recorded_to_confirmed_not_to_resolved(plan, pscm):
    client = _client(pscm)
    issue = plan.issues.order_by("position").first()
    before = _rows()
    response = client.post(
        f"/ps/issues/{issue.pk}/status/", {"status": "resolved", "comment": "Done"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "a recorded issue moves to confirmed, not resolved" in body
    assert 'id="ps-issues"' in body and "<html" not in body
    assert _rows() - before == 1 and _last_outcome() == Outcome.REFUSED
    versions = plan.versions.count()
    response = client.post(
        f"/ps/issues/{issue.pk}/status/",
        {"status": "confirmed", "comment": "Discussed on the first call"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Income Correct: confirmed." in body
    # The versions and approval sections come along out of band.
    assert 'aria-labelledby="ps-versions-heading" hx-swap-oob="true"' in body
    assert PsIssue.objects.get(pk=issue.pk).status == "confirmed"
    assert plan.versions.count() == versions + 1


def test_PS_5_a_further_issue_needs_its_classification(plan, pscm):
    client = _client(pscm)
    response = client.post(
        f"/ps/plans/{plan.pk}/issues/", {"title": "Overpayment", "classification": ""}, **HTMX
    )
    assert response.status_code == 422 and "Unknown classification" in response.content.decode()
    response = client.post(
        f"/ps/plans/{plan.pk}/issues/",
        {"title": "Overpayment", "classification": "financial"},
        **HTMX,
    )
    assert response.status_code == 200
    added = plan.issues.get(title="Overpayment")
    assert added.classification == "financial" and not added.mandatory


def test_PS_4_editing_the_plan_keeps_a_version_shown_on_its_own_page(plan, pscm):
    client = _client(pscm)
    assert client.get(f"/ps/plans/{plan.pk}/edit/").status_code == 200
    before = plan.versions.count()
    response = client.post(
        f"/ps/plans/{plan.pk}/edit/",
        {"customer_view": "Feels the assessment ignores their care", "stacking_location": "X"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.versions.count() == before + 1
    before_rows = _rows()
    page = client.get(f"/ps/plans/{plan.pk}/versions/{plan.version}/")
    assert page.status_code == 200
    assert "Feels the assessment ignores their care" in page.content.decode()
    assert _rows() - before_rows == 1
    older = client.get(f"/ps/plans/{plan.pk}/versions/1/").content.decode()
    assert "Feels the assessment ignores their care" not in older
    before_rows = _rows()
    assert client.get(f"/ps/plans/{plan.pk}/versions/999/").status_code == 404
    assert _rows() - before_rows == 1 and _last_outcome() == Outcome.REFUSED


def test_PS_4_approval_lists_every_missing_condition_then_approves(referral, plan, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.post(f"/ps/plans/{plan.pk}/approve/", {}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert "PS-4: record the customer segment" in body
    assert "PS-4: record the date the PS stacking document was created" in body
    assert _rows() - before == 1
    run_checklist(Referral.objects.get(pk=referral.pk), pscm, upto=None, segment=1)
    response = client.post(f"/ps/plans/{plan.pk}/approve/", {}, **HTMX)
    assert response.status_code == 200 and "The plan is approved." in response.content.decode()
    assert PsPlan.objects.get(pk=plan.pk).state == "approved"


def test_PS_4_an_overdue_plan_is_highlighted(plan, pscm):
    PsPlan.objects.filter(pk=plan.pk).update(due_on=plan.referred_on.replace(year=2000))
    body = _client(pscm).get(f"/ps/plans/{plan.pk}/").content.decode()
    assert "Overdue" in body and "is not approved" in body


# --- PS-6: the segment on the plan page -----------------------------------------------------


def test_PS_6_segment_suggestion_decision_and_segment_3_approval(plan, pscm, pstl):
    manager = _client(pscm)
    body = manager.get(f"/ps/plans/{plan.pk}/").content.decode()
    assert "Suggested: segment 2" in body and "Referred by: Ombudsman enquiry" in body
    before = _rows()
    response = manager.post(f"/ps/plans/{plan.pk}/segment/", {"segment": "3"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "awaits the PS Team Leader" in body
    assert _rows() - before == 1
    decision = SegmentDecision.objects.get(plan=plan)
    assert PsPlan.objects.get(pk=plan.pk).segment is None
    # The case manager may not approve it.
    response = manager.post(
        f"/ps/segment-decisions/{decision.pk}/approval/", {"approve": "yes"}, **HTMX
    )
    assert response.status_code == 422
    assert "only a PS Team Leader approves segment 3" in response.content.decode()
    leader = _client(pstl)
    page = leader.get(f"/ps/plans/{plan.pk}/").content.decode()
    assert "Record the approval decision" in page
    response = leader.post(
        f"/ps/segment-decisions/{decision.pk}/approval/", {"approve": "yes"}, **HTMX
    )
    assert response.status_code == 200 and "Segment 3 approved" in response.content.decode()
    assert PsPlan.objects.get(pk=plan.pk).segment == 3


def test_PS_6_a_segment_decision_without_a_segment_is_refused(plan, pscm):
    client = _client(pscm)
    before = _rows()
    response = client.post(f"/ps/plans/{plan.pk}/segment/", {}, **HTMX)
    assert response.status_code == 422 and "Choose the segment" in response.content.decode()
    assert _rows() - before == 1 and not SegmentDecision.objects.exists()
