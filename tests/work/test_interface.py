"""Services other apps call: create_intray, locks, decision advice.

CMA-5, CMA-7, WRK-2, WRK-6."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from freezegun import freeze_time

from cma.audit.models import AuditRecord
from cma.errors import PermissionDenied, ValidationFailed
from cma.work import selectors, services
from cma.work.errors import CustomerAlreadyLocked, IntrayTypeRestricted
from cma.work.models import CustomerLock, Intray

pytestmark = pytest.mark.django_db


@freeze_time("2026-11-05 10:00:00+11:00")  # Thursday
def test_WRK_2_WRK_3_due_date_is_service_level_in_owner_state_working_days(officer, customer):
    intray = services.create_intray(customer=customer, type_code="client-call-back", actor=officer)
    # 1 working day after Thu 5 Nov in NSW is Fri 6 Nov.
    assert intray.due_on == date(2026, 11, 6)
    assert intray.owner_user == officer
    follow = services.create_intray(
        customer=customer, type_code="general-follow-up", actor=officer, owner_user=officer
    )
    assert follow.due_on == date(2026, 11, 12)  # 5 working days: Fri, Mon..Thu


def test_WRK_6_ps_referral_tl_only_refused_for_officer(officer, team_leader, customer):
    before = Intray.objects.count()
    with pytest.raises(IntrayTypeRestricted):
        services.create_intray(customer=customer, type_code="ps-referral-tl-only", actor=officer)
    assert Intray.objects.count() == before
    refusal = AuditRecord.objects.order_by("-id").first()
    assert (refusal.action, refusal.outcome, refusal.customer_id) == (
        "work.intray.created",
        "refused",
        customer.pk,
    )
    intray = services.create_intray(
        customer=customer,
        type_code="ps-referral-tl-only",
        actor=team_leader,
        note="Urgent: PS TL contacted first",
    )
    assert intray.owner_area.code == "personalised-services"


def test_WRK_1_add_a_child_routes_to_mainstream_and_explicit_due_on_wins(officer, customer):
    intray = services.create_intray(customer=customer, type_code="add-a-child", actor=officer)
    assert intray.owner_area.code == "mainstream"
    review = services.create_intray(
        customer=customer,
        type_code="sensitive-indicator-review",
        actor=officer,
        due_on=date(2030, 2, 1),
        by_system=True,
    )
    assert review.due_on == date(2030, 2, 1)


def test_WRK_1_unknown_type_and_two_owners_are_422(officer, team, customer):
    with pytest.raises(ValidationFailed) as err:
        services.create_intray(customer=customer, type_code="no-such-type", actor=officer)
    assert err.value.http_status == 422 and err.value.field == "type_code"
    with pytest.raises(ValidationFailed):
        services.create_intray(
            customer=customer,
            type_code="general-follow-up",
            actor=officer,
            owner_user=officer,
            owner_team=team,
        )
    assert not Intray.objects.exists()


def test_CMA_5_one_active_lock_and_second_lock_refused(officer, other_officer, customer):
    lock = services.lock_customer(customer=customer, actor=officer, reason="COA in progress")
    assert selectors.active_lock_for(customer) == lock
    with pytest.raises(CustomerAlreadyLocked) as err:
        services.lock_customer(customer=customer, actor=other_officer, reason="mine now")
    assert err.value.http_status == 409
    assert CustomerLock.objects.filter(customer=customer).count() == 1


def test_CMA_5_unlock_only_by_holder_leader_or_higher(
    officer, other_officer, team_leader, customer
):
    services.lock_customer(customer=customer, actor=officer, reason="objection")
    with pytest.raises(PermissionDenied):
        services.unlock_customer(customer=customer, actor=other_officer, reason="x")
    assert selectors.active_lock_for(customer) is not None
    services.unlock_customer(customer=customer, actor=team_leader, reason="officer on leave")
    assert selectors.active_lock_for(customer) is None


def test_CMA_7_decision_advice_sets_expiry_and_lock_lapses_without_sweep(officer, customer):
    lock = services.lock_customer(customer=customer, actor=officer, reason="decision pending")
    issued = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    got = services.record_decision_advice_issued(customer=customer, issued_at=issued, actor=officer)
    assert got.pk == lock.pk
    assert got.expires_at == issued + timedelta(days=14)
    assert selectors.active_lock_for(customer, now=issued + timedelta(days=13, hours=23))
    after = issued + timedelta(days=14, seconds=1)
    assert selectors.active_lock_for(customer, now=after) is None
    area = selectors.owning_area_after_expiry(customer, now=after)
    assert area == officer.team.business_area


def test_CMA_7_decision_advice_on_unlocked_customer_returns_none(officer, customer):
    assert (
        services.record_decision_advice_issued(
            customer=customer, issued_at=timezone.now(), actor=officer
        )
        is None
    )


def test_CMA_7_expired_lock_is_replaced_by_a_new_lock(officer, other_officer, customer):
    services.lock_customer(customer=customer, actor=officer, reason="first")
    services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=15), actor=officer
    )
    lock = services.lock_customer(customer=customer, actor=other_officer, reason="second")
    assert selectors.active_lock_for(customer) == lock
    old = CustomerLock.objects.exclude(pk=lock.pk).get()
    assert old.release_kind == "expired" and old.released_at == old.expires_at
    assert old.events.filter(kind="auto_unlocked").count() == 1
