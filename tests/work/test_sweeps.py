"""Sweeps: auto-unlock records (CMA-7) and escalation of overdue work (WRK-5)."""

import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.work import selectors, services
from cma.work.models import CustomerLock, Escalation, Intray, IntrayStatus, LockEvent
from cma.work.services.sweeps import sweep_auto_unlocks, sweep_escalations
from tests.factories import CustomerFactory, TeamFactory, UserFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db

YESTERDAY = date.today() - timedelta(days=1)


def _expired_lock(actor, customer=None, days_ago=15):
    customer = customer or CustomerFactory()
    services.lock_customer(customer=customer, actor=actor, reason="decision")
    return services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=days_ago), actor=actor
    )


@pytest.mark.parametrize("set_sql", [True, False])
def test_CMA_7_sweep_records_each_auto_unlock_once(officer, set_sql):
    expired = [_expired_lock(officer) for _ in range(3)]
    current = _expired_lock(officer, days_ago=2)  # 12 days left
    ids = sweep_auto_unlocks(batch_size=2, set_sql=set_sql)
    assert sorted(ids) == sorted(lock.pk for lock in expired)
    assert sweep_auto_unlocks(set_sql=set_sql) == []  # idempotent
    for lock in expired:
        lock.refresh_from_db()
        assert lock.release_kind == "expired" and lock.released_at == lock.expires_at
        assert LockEvent.objects.filter(lock=lock, kind="auto_unlocked").count() == 1
    assert selectors.active_lock_for(current.customer) == current
    audit = AuditRecord.objects.filter(action="work.sweep.auto_unlocked")
    assert sum(r.changes["count"] for r in audit) == 3


def test_CMA_7_lock_is_inactive_before_any_sweep_runs(officer):
    lock = _expired_lock(officer)
    assert CustomerLock.objects.get(pk=lock.pk).released_at is None
    assert selectors.active_lock_for(lock.customer) is None


@pytest.mark.parametrize("set_sql", [True, False])
def test_WRK_5_overdue_work_escalates_to_owners_team_leader_once(
    officer, team, team_leader, other_team, mainstream, set_sql
):
    by_officer = IntrayFactory(owner_user=officer, due_on=YESTERDAY)
    by_team = IntrayFactory(owner_team=team, due_on=YESTERDAY, status=IntrayStatus.IN_PROGRESS)
    by_area = IntrayFactory(owner_area=mainstream, due_on=YESTERDAY)
    IntrayFactory(owner_user=officer, due_on=date.today())  # due today: not overdue
    IntrayFactory(owner_user=officer, due_on=YESTERDAY, status=IntrayStatus.COMPLETED)
    ids = sweep_escalations(set_sql=set_sql)
    assert sorted(ids) == sorted([by_officer.pk, by_team.pk, by_area.pk])
    assert sweep_escalations(set_sql=set_sql) == []
    esc = {e.intray_id: e for e in Escalation.objects.all()}
    assert len(esc) == 3
    assert (esc[by_officer.pk].team, esc[by_officer.pk].leader) == (team, team_leader)
    assert (esc[by_team.pk].team, esc[by_team.pk].leader) == (team, team_leader)
    assert (esc[by_area.pk].team, esc[by_area.pk].area) == (None, mainstream)
    queue = selectors.team_queue(team_leader)
    assert {e.intray_id for e in queue["escalations"]} == set(esc)


def test_WRK_5_new_due_date_can_escalate_again(officer, team_leader):
    item = IntrayFactory(owner_user=officer, due_on=YESTERDAY)
    sweep_escalations()
    services.assign_intray(
        intray=item, actor=team_leader, owner_user=officer, due_on=date.today() + timedelta(1)
    )
    assert sweep_escalations(today=date.today() + timedelta(days=5)) == [item.pk]
    assert Escalation.objects.filter(intray=item).count() == 2


def test_WRK_5_escalation_appears_in_intray_history(officer, team_leader):
    item = IntrayFactory(owner_user=officer, due_on=YESTERDAY)
    sweep_escalations()
    kinds = [row["kind"] for row in selectors.intray_history(item)]
    assert "escalated" in kinds


def test_sweep_command_reports_counts(officer, capsys):
    _expired_lock(officer)
    IntrayFactory(owner_user=officer, due_on=YESTERDAY)
    call_command("sweep")
    assert "auto-unlocked 1 lock(s); escalated 1 intray(s)" in capsys.readouterr().out


def test_worker_command_runs_the_sweeps(officer, capsys):
    _expired_lock(officer)
    call_command("worker", interval=0.01, runs=2)
    out = capsys.readouterr().out
    assert "auto-unlocked 1, escalated 0" in out and "auto-unlocked 0" in out


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_CMA_7_WRK_5_two_concurrent_sweeps_record_each_event_once(policy_reloaded):
    team = TeamFactory(name="Sweep team")
    actor = UserFactory(username="sweeper", team=team)
    for _ in range(60):
        _expired_lock(actor)
        IntrayFactory(owner_user=actor, due_on=YESTERDAY)
    results: list[tuple[list[int], list[int]]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait(timeout=30)
            results.append((sweep_auto_unlocks(batch_size=7), sweep_escalations(batch_size=7)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert not errors, errors
    unlocked = [pk for r in results for pk in r[0]]
    escalated = [pk for r in results for pk in r[1]]
    # Together the two sweeps did everything, and nothing twice.
    assert len(unlocked) == len(set(unlocked)) == 60
    assert len(escalated) == len(set(escalated)) == 60
    assert LockEvent.objects.filter(kind="auto_unlocked").count() == 60
    assert Escalation.objects.count() == 60
    assert not Intray.objects.filter(escalated_at=None).exists()


def test_CMA_7_database_records_an_auto_unlock_once(officer):
    from django.db import IntegrityError, transaction

    lock = _expired_lock(officer)
    sweep_auto_unlocks()
    with pytest.raises(IntegrityError), transaction.atomic():
        LockEvent.objects.create(lock=lock, customer_id=lock.customer_id, kind="auto_unlocked")


def test_sweep_command_rejects_bad_batch_size_in_one_line():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("sweep", batch_size=0)
