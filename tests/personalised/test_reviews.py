"""PS-18, PS-19: segment 3 reactive management, its reviews raised by the periodic
sweep on their dates, and restricted service customers in segment 3."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord
from cma.customers.models import agency_today
from cma.notes.models import RestrictedService, SensitiveIndicator
from cma.notes.services._common import add_months
from cma.notes.services.restricted import (
    create_restricted_service,
    decide_restriction_review,
    propose_restriction_review,
)
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import ActivityEntry, PsPlan, PsReview, ReviewState
from cma.work.models import Intray
from cma.work.services import run_sweeps

from .conftest import run_checklist


@pytest.fixture
def plan(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    return PsPlan.objects.get(customer=referral.primary_customer)


def _segment_3(plan, pscm, pstl, review_on=None):
    decision = services.decide_segment(plan=plan, actor=pscm, segment=3, review_on=review_on)
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    return PsReview.objects.get(plan=plan, state=ReviewState.SCHEDULED)


def test_PS_18_segment_3_sets_the_indicator_review_date_on_approval(plan, pscm, pstl):
    review_on = agency_today() + timedelta(days=60)
    decision = services.decide_segment(plan=plan, actor=pscm, segment=3, review_on=review_on)
    review = PsReview.objects.get(segment_decision=decision)
    assert review.state == ReviewState.PROPOSED
    assert not SensitiveIndicator.objects.filter(customer=plan.customer).exists()
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    review.refresh_from_db()
    assert review.state == ReviewState.SCHEDULED and review.review_on == review_on
    indicator = SensitiveIndicator.objects.get(customer=plan.customer, removed_at=None)
    assert indicator.review_on == review_on and review.indicator == indicator


def test_PS_18_default_review_date_is_the_furthest_allowed(plan, pscm, pstl):
    review = _segment_3(plan, pscm, pstl)
    assert review.review_on == add_months(agency_today(), 3)


def test_PS_18_rejected_segment_3_cancels_the_proposed_review(plan, pscm, pstl):
    decision = services.decide_segment(plan=plan, actor=pscm, segment=3)
    services.approve_segment(decision=decision, actor=pstl, approve=False, comment="Stay.")
    assert PsReview.objects.get(plan=plan).state == ReviewState.CANCELLED


def test_PS_18_review_date_beyond_3_months_is_refused_and_only_audited(plan, pscm):
    too_far = add_months(agency_today(), 3) + timedelta(days=1)
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as caught:
        services.decide_segment(
            plan=plan, actor=pscm, segment=3, review_on=too_far, comment="x" * 2001
        )
    fields = {d["field"] for d in caught.value.details}
    assert {"review_on", "comment"} <= fields
    assert "at most 3 months" in str(caught.value.details)
    assert not PsReview.objects.exists() and not plan.segment_decisions.exists()
    assert AuditRecord.objects.count() - before == 1
    assert AuditRecord.objects.latest("id").outcome != "ok"


def test_PS_18_only_segment_3_has_a_review_date(plan, pscm):
    with pytest.raises(PsRefused, match="only a segment 3 decision sets a review date"):
        services.decide_segment(
            plan=plan, actor=pscm, segment=2, review_on=agency_today() + timedelta(days=5)
        )


def test_PS_18_sweep_raises_the_review_intray_on_its_date_once(plan, pscm, pstl):
    review = _segment_3(plan, pscm, pstl, agency_today() + timedelta(days=10))
    assert services.raise_due_reviews(today=review.review_on - timedelta(days=1)) == []
    assert services.raise_due_reviews(today=review.review_on) == [review.pk]
    review.refresh_from_db()
    assert review.state == ReviewState.DUE
    intray = Intray.objects.get(pk=review.intray_id)
    assert intray.type.code == "ps-segment-3-review" and intray.owner_user == pscm
    assert intray.due_on == review.review_on
    before = Intray.objects.count()
    assert services.raise_due_reviews(today=review.review_on) == []
    assert Intray.objects.count() == before


def test_PS_18_the_work_sweep_runs_the_ps_review_step(plan, pscm, pstl):
    review = _segment_3(plan, pscm, pstl, agency_today() + timedelta(days=1))
    PsReview.objects.filter(pk=review.pk).update(review_on=agency_today())
    report = run_sweeps(only="ps-reviews")
    assert report.extra == {"ps-reviews": 1}
    assert run_sweeps(only="ps-reviews").extra == {"ps-reviews": 0}


def _due(plan, pscm, pstl):
    review = _segment_3(plan, pscm, pstl, agency_today() + timedelta(days=5))
    services.raise_due_reviews(today=review.review_on)
    review.refresh_from_db()
    return review


def test_PS_18_extend_sets_a_new_review_within_3_months(plan, pscm, pstl):
    review = _due(plan, pscm, pstl)
    new_date = agency_today() + timedelta(days=80)
    before = AuditRecord.objects.count()
    done = services.record_review(
        review=review,
        actor=pscm,
        outcome="extend",
        comment="Ongoing reactive management still required.",
        next_review_on=new_date,
    )
    assert AuditRecord.objects.count() - before == 1
    assert done.state == ReviewState.DONE
    following = PsReview.objects.get(previous=done)
    assert following.state == ReviewState.SCHEDULED and following.review_on == new_date
    indicator = SensitiveIndicator.objects.get(pk=review.indicator_id)
    assert indicator.review_on == new_date
    assert Intray.objects.get(pk=review.intray_id).status == "completed"
    plan.refresh_from_db()
    assert plan.segment == 3
    assert ActivityEntry.objects.filter(kind="segment-3-reviewed", plan=plan).count() == 1


def test_PS_18_extend_beyond_3_months_is_refused_listing_every_condition(plan, pscm, pstl):
    review = _due(plan, pscm, pstl)
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as caught:
        services.record_review(
            review=review,
            actor=pscm,
            outcome="extend",
            comment="",
            next_review_on=add_months(agency_today(), 3) + timedelta(days=1),
        )
    fields = {d["field"] for d in caught.value.details}
    assert fields == {"comment", "next_review_on"}
    assert AuditRecord.objects.count() - before == 1
    review.refresh_from_db()
    assert review.state == ReviewState.DUE and not PsReview.objects.filter(previous=review)


def test_PS_18_move_to_segment_2_removes_indicator_and_goes_back_to_resolving(plan, pscm, pstl):
    services.add_issue(plan=plan, actor=pscm, **_issue())
    review = _due(plan, pscm, pstl)
    done = services.record_review(
        review=review,
        actor=pscm,
        outcome="segment-2",
        comment="Reactive management no longer required.",
        indicator_action="remove",
    )
    plan.refresh_from_db()
    assert plan.segment == 2 and done.next_step == "resolving"
    assert SensitiveIndicator.objects.get(pk=review.indicator_id).removed_at is not None
    assert not PsReview.objects.filter(plan=plan, state__in=["scheduled", "due"]).exists()


def test_PS_18_segment_2_with_all_issues_resolved_goes_to_finalising(plan, pscm, pstl):
    review = _due(plan, pscm, pstl)
    plan.issues.update(status="resolved")  # set up: every issue already resolved
    done = services.record_review(
        review=review,
        actor=pscm,
        outcome="segment-2",
        comment="No longer required.",
        indicator_action="update",
        next_review_on=agency_today() + timedelta(days=150),
        conditions="Calls by appointment.",
    )
    assert done.next_step == "finalising"
    indicator = SensitiveIndicator.objects.get(pk=review.indicator_id)
    assert indicator.removed_at is None and indicator.conditions == "Calls by appointment."


def test_PS_18_only_the_case_manager_records_the_review(plan, pscm, pstl):
    review = _due(plan, pscm, pstl)
    with pytest.raises(PsRefused, match="the review cannot be recorded"):
        services.record_review(review=review, actor=pstl, outcome="nope", comment="x")


def test_PS_19_restricted_service_in_segment_3_uses_the_restricted_review_flow(
    plan, pscm, pstl, national_manager
):
    review = _segment_3(plan, pscm, pstl)
    arrangement = create_restricted_service(
        customer=plan.customer,
        actor=pstl,
        allowed_channels=["post"],
        conditions="Written contact only.",
        review_due_on=add_months(agency_today(), 4),
    )
    with pytest.raises(Exception, match="3-6 months"):
        propose_restriction_review(
            arrangement=arrangement,
            actor=pscm,
            outcome="continue",
            recommendation="Continue.",
            next_review_due_on=add_months(agency_today(), 7),
        )
    proposed = propose_restriction_review(
        arrangement=arrangement,
        actor=pscm,
        outcome="continue",
        recommendation="Continue.",
        next_review_due_on=add_months(agency_today(), 5),
    )
    with pytest.raises(Exception, match="National Manager"):
        decide_restriction_review(review=proposed, actor=pstl, approve=True)
    decide_restriction_review(review=proposed, actor=national_manager, approve=True)
    arrangement = RestrictedService.objects.get(pk=arrangement.pk)
    assert arrangement.review_due_on == add_months(agency_today(), 5)
    assert review.state == ReviewState.SCHEDULED


def _issue():
    return {
        "title": "Assessment query",
        "classification": "other",
    }
