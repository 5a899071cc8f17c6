"""Customer locks (CMA-5): holder, transfer, authority, concurrency (CONC-2)."""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from cma.errors import PermissionDenied, ValidationFailed
from cma.work import selectors, services
from cma.work.errors import CustomerAlreadyLocked, CustomerNotLocked, NotLockHolder
from cma.work.models import CustomerLock
from tests.factories import CustomerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_CMA_5_database_allows_one_unreleased_lock_per_customer(officer, customer):
    services.lock_customer(customer=customer, actor=officer, reason="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerLock.objects.create(customer=customer, owner_user=officer, reason="sneaky")


def test_CMA_5_lock_to_team_or_area_with_reason(officer, team, mainstream, customer):
    lock = services.lock_customer(
        customer=customer, actor=officer, reason="agreement", owner_area=mainstream
    )
    assert lock.owner_area == mainstream and lock.business_area == mainstream
    services.unlock_customer(customer=customer, actor=officer, reason="done")
    lock = services.lock_customer(customer=customer, actor=officer, reason="x", owner_team=team)
    assert lock.owner_team == team


def test_CMA_5_lock_needs_reason_and_refusal_changes_nothing(officer, customer):
    with pytest.raises(ValidationFailed):
        services.lock_customer(customer=customer, actor=officer, reason="")
    assert not CustomerLock.objects.exists()


def test_CMA_5_transfer_by_holder_keeps_history(officer, teammate, other_team, customer):
    services.lock_customer(customer=customer, actor=officer, reason="COA")
    lock = services.transfer_lock(
        customer=customer, actor=officer, reason="interstate", owner_team=other_team
    )
    assert selectors.active_lock_for(customer) == lock and lock.owner_team == other_team
    kinds = [e.kind for e in reversed(selectors.lock_history(customer))]
    assert kinds == ["locked", "transferred"]
    # The old holder is no longer the holder.
    with pytest.raises(NotLockHolder):
        services.unlock_customer(customer=customer, actor=teammate, reason="mine")


def test_CMA_5_team_lock_members_and_national_manager_may_unlock(
    officer, teammate, other_officer, national_manager, team, customer
):
    services.lock_customer(customer=customer, actor=officer, reason="x", owner_team=team)
    with pytest.raises(NotLockHolder):
        services.unlock_customer(customer=customer, actor=other_officer, reason="y")
    services.unlock_customer(customer=customer, actor=teammate, reason="resolved")
    services.lock_customer(customer=customer, actor=officer, reason="again")
    services.unlock_customer(customer=customer, actor=national_manager, reason="review")
    assert selectors.active_lock_for(customer) is None


def test_CMA_5_other_team_leader_cannot_unlock(officer, other_team_leader, customer):
    services.lock_customer(customer=customer, actor=officer, reason="x")
    with pytest.raises(PermissionDenied):
        services.unlock_customer(customer=customer, actor=other_team_leader, reason="y")


def test_CMA_5_unlock_without_lock_is_409(officer, customer):
    with pytest.raises(CustomerNotLocked) as err:
        services.unlock_customer(customer=customer, actor=officer, reason="x")
    assert err.value.http_status == 409


def test_CMA_5_auditor_and_administrator_cannot_lock(auditor, administrator, customer):
    for user in (auditor, administrator):
        with pytest.raises(PermissionDenied):
            services.lock_customer(customer=customer, actor=user, reason="x")


def test_CMA_7_transfer_keeps_the_auto_unlock_clock(officer, other_team, customer):
    from django.utils import timezone

    services.lock_customer(customer=customer, actor=officer, reason="decision")
    first = services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now(), actor=officer
    )
    lock = services.transfer_lock(
        customer=customer, actor=officer, reason="x", owner_team=other_team
    )
    assert lock.expires_at == first.expires_at


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_CONC_2_CMA_5_racing_lockers_exactly_one_wins(policy_reloaded):
    """CONC-2: 12 officers lock the same customer at once: one lock, eleven 409s."""
    team = TeamFactory(name="Racers")
    officers = [UserFactory(username=f"r{i}", team=team) for i in range(12)]
    for _round in range(3):
        customer = CustomerFactory()
        barrier = threading.Barrier(len(officers))
        outcomes: list[str] = []

        def attempt(user, customer=customer, barrier=barrier, outcomes=outcomes) -> None:
            try:
                with connection.cursor() as cur:
                    cur.execute("SET lock_timeout = '5s'; SET statement_timeout = '20s'")
                barrier.wait(timeout=30)
                services.lock_customer(customer=customer, actor=user, reason="race")
                outcomes.append("won")
            except CustomerAlreadyLocked:
                outcomes.append("409")
            except BaseException as exc:
                outcomes.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(u,)) for u in officers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        close_old_connections()
        assert sorted(outcomes) == ["409"] * 11 + ["won"]
        assert CustomerLock.objects.filter(customer=customer).count() == 1
