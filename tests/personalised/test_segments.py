"""PS-6: the segment suggestion with its reasons; segment 3 needs the PSTL."""

import pytest

from cma.audit.models import AuditRecord
from cma.notes.models import SensitiveIndicator
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import ActivityEntry, PsPlan
from cma.personalised.services.segments import indicator_counts, suggest
from tests.factories import AccountSummaryFactory

from .conftest import run_checklist


@pytest.fixture
def plan(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    return PsPlan.objects.get(customer=referral.primary_customer)


def test_PS_6_no_indicators_suggests_segment_1(db):
    found = suggest({}, "proactive")
    assert found.segment == 1
    assert [r.code for r in found.reasons] == ["source:proactive"]
    assert suggest({}, "team-leader").reasons[0].code == "no-indicators"


def test_PS_6_escalated_source_suggests_segment_2(db):
    assert suggest({}, "ombudsman").segment == 2


def test_PS_6_indicators_from_the_account_feed_and_records(case, customer, pscm):
    AccountSummaryFactory(
        case=case,
        dpo_recorded=True,
        compliance_flags=["late payments"],
        payment_arrangement="defaulted",
        step3_complaints=2,
        compensation_waiver_applications=1,
        privacy_breach_claims=1,
    )
    SensitiveIndicator.objects.create(
        customer=customer,
        kind="security-incident",
        reason="Threat at a service centre",
        review_on="2027-01-01",
        created_by=pscm,
    )
    counts = indicator_counts(customer)
    assert counts["dpo-recorded"] == 1
    assert counts["step-3-complaints"] == 2
    assert counts["defaulted-arrangement"] == 1
    assert counts["security-incidents"] == 1
    found = suggest(counts, "ombudsman")
    assert found.segment == 3
    codes = {r.code for r in found.reasons}
    assert {"dpo-recorded", "step-3-complaints", "security-incidents", "non-compliance"} <= codes


def test_PS_6_case_manager_decides_and_change_is_recorded(plan, pscm):
    decision = services.decide_segment(plan=plan, actor=pscm, segment=2)
    plan.refresh_from_db()
    assert plan.segment == 2 and decision.suggested_segment == 2
    assert decision.reasons
    assert plan.versions.first().snapshot["segment"] == 2
    assert ActivityEntry.objects.filter(kind="segment-changed", plan=plan).exists()


def test_PS_6_segment_3_waits_for_the_ps_team_leader(plan, pscm, pstl):
    decision = services.decide_segment(plan=plan, actor=pscm, segment=3)
    plan.refresh_from_db()
    assert plan.segment is None and decision.approval == "pending"
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused, match="only a PS Team Leader approves segment 3"):
        services.approve_segment(decision=decision, actor=pscm, approve=True)
    assert AuditRecord.objects.count() - before == 1
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    plan.refresh_from_db()
    assert plan.segment == 3


def test_PS_6_rejection_needs_a_reason_and_keeps_the_segment(plan, pscm, pstl):
    services.decide_segment(plan=plan, actor=pscm, segment=1)
    decision = services.decide_segment(plan=plan, actor=pscm, segment=3)
    with pytest.raises(PsRefused, match="say why"):
        services.approve_segment(decision=decision, actor=pstl, approve=False)
    services.approve_segment(
        decision=decision, actor=pstl, approve=False, comment="Not escalating; stay in 1."
    )
    plan.refresh_from_db()
    assert plan.segment == 1


def test_PS_6_only_the_case_manager_decides(plan, pstl):
    with pytest.raises(PsRefused, match="case manager decides"):
        services.decide_segment(plan=plan, actor=pstl, segment=2)
