"""PS-4, PS-5: the plan, its five mandatory issues, statuses, versions, approval."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord
from cma.personalised import selectors, services
from cma.personalised.errors import PsRefused
from cma.personalised.models import PsIssue, PsPlan

from .conftest import record_agreement, run_checklist

FIVE = [
    ("Income Correct", "financial"),
    ("Care Correct", "access"),
    ("Customer Contact Details", "other"),
    ("Payment Activity for Ongoing", "financial"),
    ("Payment Activity for Arrears", "financial"),
]


@pytest.fixture
def plan(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    return PsPlan.objects.get(customer=referral.primary_customer)


def test_PS_5_plan_created_with_exactly_the_five_mandatory_issues(plan, referral):
    issues = list(plan.issues.order_by("position"))
    assert [(i.title, i.classification) for i in issues] == FIVE
    assert all(i.mandatory and i.status == "recorded" for i in issues)


def test_PS_4_due_21_calendar_days_after_referral(plan, referral):
    assert plan.due_on == plan.referred_on + timedelta(days=21)


def test_PS_5_issue_recorded_to_resolved_is_refused(plan, pscm):
    issue = plan.issues.first()
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused, match="moves to confirmed, not resolved"):
        services.change_issue_status(issue=issue, actor=pscm, status="resolved")
    assert AuditRecord.objects.count() - before == 1
    issue.refresh_from_db()
    assert issue.status == "recorded"


def test_PS_5_issue_moves_recorded_confirmed_resolved_with_comments(plan, pscm):
    issue = plan.issues.first()
    services.change_issue_status(
        issue=issue, actor=pscm, status="confirmed", comment="Discussed on the first call."
    )
    services.change_issue_status(
        issue=issue, actor=pscm, status="resolved", comment="Income updated from the estimate."
    )
    issue.refresh_from_db()
    assert issue.status == "resolved"
    assert [e.to_status for e in issue.events.all()] == ["recorded", "confirmed", "resolved"]


def test_PS_5_further_issue_needs_a_known_classification(plan, pscm):
    with pytest.raises(PsRefused, match="unknown classification"):
        services.add_issue(plan=plan, actor=pscm, title="Privacy concern", classification="x")
    issue = services.add_issue(
        plan=plan, actor=pscm, title="Privacy concern", classification="other"
    )
    assert issue.status == "recorded" and not issue.mandatory


def test_PS_4_every_version_kept_and_viewable(plan, pscm):
    start = plan.versions.count()
    services.update_plan(plan=plan, actor=pscm, customer_view="Feels unheard about care.")
    services.update_plan(plan=plan, actor=pscm, agreed_contact_times="Tuesdays after 3pm")
    versions = selectors.plan_versions(pscm, plan)
    assert len(versions) == start + 2
    assert versions[0].snapshot["agreed_contact_times"] == "Tuesdays after 3pm"
    assert versions[1].snapshot["agreed_contact_times"] == ""
    assert versions[0].author == pscm


def test_PS_4_approval_lists_every_missing_field(plan, pscm):
    PsIssue.objects.filter(plan=plan, mandatory_code="care-correct").delete()
    with pytest.raises(PsRefused) as err:
        services.approve_plan(plan=plan, actor=pscm)
    messages = " ".join(d["message"] for d in err.value.details)
    assert "Care Correct" in messages
    assert "segment" in messages and "main issue" in messages


def test_PS_4_case_manager_approves_completed_plan(referral, pscm, pstl):
    run_checklist(referral, pscm)
    plan = PsPlan.objects.get(customer=referral.primary_customer)
    with pytest.raises(PsRefused, match="record the agreed actions"):
        services.approve_plan(plan=plan, actor=pscm)  # PS-8 fields first
    record_agreement(plan, pscm)
    with pytest.raises(PsRefused, match="approved by its case manager"):
        services.approve_plan(plan=plan, actor=pstl)
    services.approve_plan(plan=plan, actor=pscm)
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.approved_by == pscm
    # Changing it again needs a new approval (PS-8).
    services.update_plan(plan=plan, actor=pscm, agreed_actions="Send the estimate form.")
    plan.refresh_from_db()
    assert plan.state == "draft" and plan.approved_at is None


def test_PS_4_overdue_plans_highlighted(plan, pscm, django_assert_max_num_queries):
    PsPlan.objects.filter(pk=plan.pk).update(due_on=plan.referred_on - timedelta(days=1))
    with django_assert_max_num_queries(6):
        rows = selectors.plans_for(pscm)
    assert [r.overdue for r in rows] == [True]
