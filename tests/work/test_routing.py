"""Referral guidelines (CMA-8) and resolve-at-point-of-entry (CMA-3)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from cma.work import services
from cma.work.errors import UnknownIssueKind
from cma.work.routing import recommend
from tests.factories import CustomerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _one(customer, actor, issue):
    (advice,) = recommend(customer=customer, issues=[issue], actor=actor)
    return advice


def test_CMA_3_common_activity_is_resolved_at_point_of_entry(officer, customer):
    advice = _one(customer, officer, "payment-enquiry")
    assert advice.resolve_at_point_of_entry and advice.rule == "default"
    assert "point of entry" in advice.reason


def test_CMA_8_specialised_issue_goes_to_its_area_with_reason(officer, customer):
    advice = _one(customer, officer, "residency")
    assert not advice.resolve_at_point_of_entry
    assert advice.area.code == "residency" and advice.rule == "default"
    assert advice.owner_label == "Specialist Residency Team"


def test_CMA_8_several_issues_each_get_their_own_route(officer, customer):
    advice = recommend(
        customer=customer, issues=["complaint", "payment-enquiry", "estimate"], actor=officer
    )
    assert [(a.issue, a.area.code) for a in advice] == [
        ("complaint", "complaints"),
        ("payment-enquiry", "payment"),
        ("estimate", "specialised-assessments"),
    ]
    row = AuditRecord.objects.order_by("-id").first()
    assert row.action == "work.routing.advised" and row.customer_id == customer.pk


def test_CMA_8_under_18_goes_to_parent_support_for_every_issue(officer):
    young = CustomerFactory(date_of_birth=date.today() - timedelta(days=16 * 365))
    for issue in ("payment-enquiry", "change-of-assessment"):
        advice = _one(young, officer, issue)
        assert advice.area.code == "parent-support" and advice.rule == "under-18"


def test_CMA_8_overseas_specialised_goes_to_central_authority_but_common_stays(officer):
    abroad = CustomerFactory(country="NZ", state="")
    assert _one(abroad, officer, "change-of-assessment").area.code == "central-authority"
    assert _one(abroad, officer, "payment-enquiry").resolve_at_point_of_entry
    # Residency is decided by the residency team even for overseas customers.
    assert _one(abroad, officer, "residency").area.code == "residency"


def test_CMA_8_PS_customer_is_routed_to_their_case_manager(officer, customer):
    ps_team = TeamFactory(
        name="PS Adelaide",
        state="SA",
        business_area=BusinessArea.objects.get(code="personalised-services"),
    )
    pscm = UserFactory(username="pc", role=Role.PS_CASE_MANAGER, team=ps_team)
    services.lock_customer(customer=customer, actor=pscm, reason="PS referral actioned")
    for issue in ("payment-enquiry", "complaint", "estimate"):
        advice = _one(customer, officer, issue)
        assert advice.rule == "ps-mandate" and advice.owner_key == f"user:{pscm.pk}"


def test_CMA_8_locked_customer_specialised_work_goes_to_lock_holder(
    officer, other_officer, customer
):
    services.lock_customer(customer=customer, actor=other_officer, reason="case management")
    advice = _one(customer, officer, "estimate")
    assert advice.rule == "locked-to-owner" and advice.owner_key == f"user:{other_officer.pk}"
    # Exceptions keep their own areas; common work is still resolved now.
    assert _one(customer, officer, "complaint").area.code == "complaints"
    assert _one(customer, officer, "general-enquiry").resolve_at_point_of_entry


def test_CMA_7_CMA_8_after_auto_unlock_decision_enquiry_goes_to_owning_area(
    officer, other_officer, customer
):
    services.lock_customer(customer=customer, actor=other_officer, reason="decision")
    services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=15), actor=other_officer
    )
    advice = _one(customer, officer, "decision-enquiry")
    assert advice.rule == "owned-after-expiry"
    assert advice.owner_key == f"area:{other_officer.team.business_area_id}"


def test_CMA_8_objection_officer_resolves_common_work_but_not_its_intrays(customer):
    objections = TeamFactory(
        name="Objections Brisbane",
        state="QLD",
        business_area=BusinessArea.objects.get(code="objections"),
    )
    objection_officer = UserFactory(username="ob", team=objections)
    advice = _one(customer, objection_officer, "payment-enquiry")
    assert advice.resolve_at_point_of_entry and advice.rule == "no-common-intrays"
    assert advice.follow_up_area.code == "mainstream"


def test_CMA_8_unknown_issue_kind_is_refused(officer, customer):
    with pytest.raises(UnknownIssueKind) as err:
        recommend(customer=customer, issues=["astrology"], actor=officer)
    assert err.value.http_status == 422
