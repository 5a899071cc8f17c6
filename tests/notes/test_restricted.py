"""Restricted service (DOC-7, PS-19): allowed channels, single point of contact,
conditions, a review due 3-6 months ahead whose outcome only the National Manager QCC
approves, and the contact check other features call."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.notes import services
from cma.notes.errors import (
    ContactRefused,
    RestrictionExists,
    ReviewAlreadyDecided,
    ReviewDateInvalid,
    ReviewPending,
    WrongApprover,
)
from cma.notes.models import RestrictedService, StackingDocument
from cma.notes.restricted import check_contact_allowed
from cma.notes.services._common import add_months
from cma.privacy.separating import BANNER
from cma.work.models import Intray


def restrict(customer, actor, months=4, **kwargs):
    return services.create_restricted_service(
        customer=customer,
        actor=actor,
        allowed_channels=kwargs.pop("allowed_channels", ["post", "email"]),
        conditions=kwargs.pop("conditions", "Written contact only; no calls"),
        review_due_on=add_months(agency_today(), months),
        **kwargs,
    )


def propose(arrangement, actor, outcome="continue", months=3, **kwargs):
    return services.propose_restriction_review(
        arrangement=arrangement,
        actor=actor,
        outcome=outcome,
        recommendation=kwargs.pop("recommendation", "Unreasonable conduct continues"),
        next_review_due_on=add_months(agency_today(), months) if outcome != "end" else None,
        **kwargs,
    )


def test_DOC_7_arrangement_with_review_intray_for_the_single_point_of_contact(
    payer, ps_team_leader, ps_case_manager
):
    arrangement = restrict(payer, ps_team_leader, contact_officer=ps_case_manager)
    assert arrangement.allowed_channels == ["email", "post"]
    intray = Intray.objects.get(pk=arrangement.review_intray_id)
    assert intray.type.code == "restricted-service-review"
    assert intray.due_on == arrangement.review_due_on and intray.owner_user == ps_case_manager


@pytest.mark.parametrize("months", [2, 7])
def test_DOC_7_review_due_must_be_three_to_six_months_ahead(payer, ps_team_leader, months):
    with pytest.raises(ReviewDateInvalid, match="3-6 months"):
        restrict(payer, ps_team_leader, months=months)
    assert not RestrictedService.objects.exists() and not Intray.objects.exists()


def test_DOC_7_bad_channels_and_second_arrangement_refused(payer, ps_team_leader):
    with pytest.raises(Exception, match="unknown channel"):
        restrict(payer, ps_team_leader, allowed_channels=["pigeon"])
    with pytest.raises(Exception, match="at least one"):
        restrict(payer, ps_team_leader, allowed_channels=[])
    restrict(payer, ps_team_leader)
    with pytest.raises(RestrictionExists):
        restrict(payer, ps_team_leader)


def test_DOC_7_only_ps_roles_and_nm_restrict_service(payer, officer, team_leader):
    for actor in (officer, team_leader):
        with pytest.raises(Exception, match="cannot restrict"):
            restrict(payer, actor)


def test_DOC_7_recorded_in_the_ps_stacking_document(payer, ps_case_manager):
    document = services.create_stacking_document(
        customer=payer, actor=ps_case_manager, purpose="ps", referral_reason="Complaint"
    )
    restrict(payer, ps_case_manager)
    subjects = [e.note.subject for e in StackingDocument.objects.get(pk=document.pk).entries.all()]
    assert subjects == ["PS referral", "Restricted service arrangement"]


def test_DOC_7_PS_19_review_outcome_needs_the_national_manager(
    payer, ps_team_leader, ps_case_manager, team_leader, national_manager
):
    arrangement = restrict(payer, ps_team_leader, contact_officer=ps_case_manager)
    review = propose(arrangement, ps_case_manager)
    with pytest.raises(ReviewPending):
        propose(arrangement, ps_case_manager)
    for wrong in (ps_team_leader, ps_case_manager, team_leader):
        with pytest.raises(WrongApprover, match="National Manager"):
            services.decide_restriction_review(review=review, actor=wrong, approve=True)
    refused = AuditRecord.objects.filter(
        action="notes.restriction.review-decided", outcome=Outcome.REFUSED
    )
    assert refused.count() == 3
    arrangement.refresh_from_db()
    assert arrangement.review_due_on != review.next_review_due_on  # not applied yet
    old_intray = arrangement.review_intray_id
    services.decide_restriction_review(review=review, actor=national_manager, approve=True)
    arrangement.refresh_from_db()
    assert arrangement.review_due_on == review.next_review_due_on
    assert Intray.objects.get(pk=arrangement.review_intray_id).due_on == review.next_review_due_on
    assert arrangement.review_intray_id != old_intray
    with pytest.raises(ReviewAlreadyDecided):
        services.decide_restriction_review(review=review, actor=national_manager, approve=True)


def test_DOC_7_vary_and_end_take_effect_only_when_approved(
    payer, ps_case_manager, national_manager
):
    arrangement = restrict(payer, ps_case_manager)
    vary = propose(arrangement, ps_case_manager, outcome="vary", allowed_channels=["post"])
    services.decide_restriction_review(review=vary, actor=national_manager, approve=True)
    arrangement.refresh_from_db()
    assert arrangement.allowed_channels == ["post"]
    end = propose(arrangement, ps_case_manager, outcome="end")
    with pytest.raises(Exception, match="required"):
        services.decide_restriction_review(review=end, actor=national_manager, approve=False)
    services.decide_restriction_review(
        review=end, actor=national_manager, approve=False, comment="Conduct continues"
    )
    arrangement.refresh_from_db()
    assert arrangement.is_active
    end = propose(arrangement, ps_case_manager, outcome="end")
    services.decide_restriction_review(review=end, actor=national_manager, approve=True)
    arrangement.refresh_from_db()
    assert not arrangement.is_active


def test_DOC_7_next_review_outside_the_window_refused(payer, ps_case_manager):
    arrangement = restrict(payer, ps_case_manager)
    with pytest.raises(ReviewDateInvalid):
        propose(arrangement, ps_case_manager, months=8)


def test_DOC_7_check_contact_allowed_refuses_warns_and_audits(
    payer, officer, ps_team_leader, ps_case_manager
):
    assert check_contact_allowed(customer=payer, channel="phone", actor=officer) == []
    restrict(payer, ps_team_leader, contact_officer=ps_case_manager)
    with pytest.raises(ContactRefused, match="only by email, post"):
        check_contact_allowed(customer=payer, channel="phone", actor=officer)
    row = AuditRecord.objects.get(action="notes.contact.refused")
    assert row.outcome == Outcome.REFUSED and row.customer_id == payer.pk
    warnings = check_contact_allowed(customer=payer, channel="post", actor=officer)
    assert any("Written contact only" in w for w in warnings)
    assert any("Single point of contact" in w for w in warnings)
    own = check_contact_allowed(customer=payer, channel="email", actor=ps_case_manager)
    assert not any("Single point of contact" in w for w in own)
    with pytest.raises(Exception, match="unknown channel"):
        check_contact_allowed(customer=payer, channel="carrier", actor=officer)


def test_DOC_6_contact_check_warns_about_separating_safely(payee, at_risk_payee, officer):
    assert check_contact_allowed(customer=payee, channel="phone", actor=officer) == [BANNER]
