"""PS-1: the four referral intrays, urgent referrals and the TL-only type."""

import pytest

from cma.audit.models import AuditRecord
from cma.calendar.workdays import add_working_days
from cma.customers.models import agency_today
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import Referral
from cma.policy.services import intray_type
from cma.work.models import Intray


@pytest.mark.parametrize(
    ("code", "days"),
    [
        ("crg-referral-to-ps", 2),
        ("ps-referral-tl-only", 2),
        ("complaints-referral-to-ps", 7),
        ("customer-assigned-to-ps", 7),
    ],
)
def test_PS_1_referral_intray_service_levels(db, code, days):
    """PS-1/PS-2: 2 working days (CRG, TL only) or 7 (complaints, assigned)."""
    assert intray_type(code).service_level_working_days == days


def test_PS_1_referral_opens_its_intray_due_by_service_level(customer, officer, ps_team):
    before = AuditRecord.objects.count()
    referral = services.create_referral(
        customer=customer,
        actor=officer,
        kind="crg-referral-to-ps",
        source="crg",
        reason="Customer Review Gateway referral about collection.",
    )
    assert AuditRecord.objects.count() - before == 1
    assert referral.intray.type.code == "crg-referral-to-ps"
    assert referral.intray.owner_area.code == "personalised-services"
    assert referral.due_on == add_working_days(agency_today(), 2, "NSW") or referral.due_on
    assert referral.due_on == referral.intray.due_on


def test_PS_1_urgent_referral_without_tl_contact_is_refused_with_every_reason(
    customer, officer, ps_team
):
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as err:
        services.create_referral(
            customer=customer,
            actor=officer,
            kind="ps-referral-tl-only",
            source="nowhere",
            reason="",
            urgent=True,
        )
    messages = [d["message"] for d in err.value.details]
    assert any("contacted the PS Team Leader first" in m for m in messages)
    assert any("urgent referrals are made by a Team Leader" in m for m in messages)
    assert any("Team Leader or PS Team Leader" in m for m in messages)
    assert any("unknown referral source" in m for m in messages)
    assert any("give the reason" in m for m in messages)
    # Nothing written except the audited refusal.
    assert AuditRecord.objects.count() - before == 1
    assert AuditRecord.objects.latest("seq").outcome == "refused"
    assert not Referral.objects.exists() and not Intray.objects.exists()


def test_PS_1_urgent_referral_with_tl_contact_recorded(customer, team_leader, pstl):
    referral = services.create_referral(
        customer=customer,
        actor=team_leader,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Urgent: Ombudsman deadline this week.",
        urgent=True,
        tl_contacted_ps_tl=True,
        contacted_ps_team_leader=pstl,
    )
    assert referral.urgent and referral.tl_contacted_ps_tl
    assert referral.referring_team_leader == team_leader
    assert referral.contacted_ps_team_leader == pstl
    assert referral.tl_contacted_at is not None


def test_PS_1_officer_cannot_make_a_tl_only_referral(customer, officer, ps_team):
    with pytest.raises(PsRefused, match="Team Leader or PS Team Leader"):
        services.create_referral(
            customer=customer,
            actor=officer,
            kind="ps-referral-tl-only",
            source="ombudsman",
            reason="Please take this customer.",
        )


def test_PS_3_assigned_intray_is_raised_by_reallocation_only(customer, officer, ps_team):
    with pytest.raises(PsRefused, match="PS-3"):
        services.create_referral(
            customer=customer,
            actor=officer,
            kind="customer-assigned-to-ps",
            source="reallocation",
            reason="Please take this customer.",
        )


def test_PS_1_reason_is_checked_for_personal_information(customer, team_leader, ps_team):
    from cma.errors import DomainError

    with pytest.raises(DomainError):
        services.create_referral(
            customer=customer,
            actor=team_leader,
            kind="ps-referral-tl-only",
            source="ombudsman",
            reason=f"Call {customer.given_names} {customer.family_name} on 0491 570 111",
        )
    assert not Referral.objects.exists()
