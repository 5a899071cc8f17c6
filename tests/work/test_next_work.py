"""Next work (WRK-4): priority, then earliest due, then oldest; never the same item twice."""

import threading
from datetime import date, timedelta

import pytest
from django.db import close_old_connections, connection

from cma.audit.models import AuditRecord
from cma.errors import PermissionDenied
from cma.policy.models import IntrayType
from cma.work.models import Intray, IntrayStatus
from cma.work.services import next_work
from tests.factories import CustomerFactory, TeamFactory, UserFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db


def _type(code):
    return IntrayType.objects.get(code=code)


@pytest.mark.parametrize("strategy", ["auto", "orm"])
def test_WRK_4_priority_then_due_then_oldest(officer, team, strategy):
    low = _type("general-follow-up")  # priority 4
    high = _type("crg-referral-to-ps")  # priority 1
    soon, later = date.today() + timedelta(days=2), date.today() + timedelta(days=9)
    a = IntrayFactory(type=low, priority=4, due_on=soon, owner_team=team)
    b = IntrayFactory(type=high, priority=1, due_on=later, owner_team=team)
    c = IntrayFactory(type=high, priority=1, due_on=soon, owner_user=officer)
    d = IntrayFactory(type=high, priority=1, due_on=soon, owner_area=team.business_area)
    order = [next_work(officer=officer, strategy=strategy) for _ in range(4)]
    assert [i.pk for i in order] == [c.pk, d.pk, b.pk, a.pk]
    assert next_work(officer=officer, strategy=strategy) is None
    for item in Intray.objects.all():
        assert (item.status, item.owner_user_id) == (IntrayStatus.IN_PROGRESS, officer.pk)
        assert item.events.filter(kind="taken").count() == 1


def test_WRK_4_only_the_officers_queues_are_served(officer, other_officer, team, other_team):
    IntrayFactory(owner_team=other_team)
    IntrayFactory(owner_user=other_officer)
    mine = IntrayFactory(owner_team=team)
    assert next_work(officer=officer) == mine
    assert next_work(officer=officer) is None


def test_WRK_4_taken_item_is_audited_with_previous_owner(officer, team):
    item = IntrayFactory(owner_team=team)
    next_work(officer=officer)
    row = AuditRecord.objects.filter(action="work.intray.taken").get()
    assert row.object_id == str(item.pk) and row.changes["from"] == f"team:{team.pk}"


def test_WRK_4_in_progress_and_closed_items_are_not_handed_out(officer, team):
    IntrayFactory(owner_team=team, status=IntrayStatus.IN_PROGRESS)
    IntrayFactory(owner_team=team, status=IntrayStatus.COMPLETED)
    assert next_work(officer=officer) is None


def test_WRK_4_sequential_pulls_by_two_officers_never_share(officer, teammate, team):
    items = {IntrayFactory(owner_team=team).pk for _ in range(6)}
    got = []
    for _ in range(3):
        got += [next_work(officer=officer).pk, next_work(officer=teammate).pk]
    assert sorted(got) == sorted(items)


def test_WRK_4_auditor_cannot_take_work(auditor):
    with pytest.raises(PermissionDenied):
        next_work(officer=auditor)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("strategy", ["sql", "orm"])
def test_CONC_1_WRK_4_sixteen_threads_never_receive_the_same_item(policy_reloaded, strategy):
    """CONC-1: 16 officers behind a barrier pull from one shared queue until it is empty;
    every item is handed out exactly once."""
    workers = 16
    team = TeamFactory(name="Shared queue team")
    officers = [UserFactory(username=f"w{i}", team=team) for i in range(workers)]
    customers = [CustomerFactory() for _ in range(20)]
    kind = _type("general-follow-up")
    Intray.objects.bulk_create(
        Intray(
            customer=customers[i % 20], type=kind, priority=1 + i % 4,
            due_on=date.today() + timedelta(days=i % 30), owner_team=team,
        )
        for i in range(400)
    )  # fmt: skip
    barrier = threading.Barrier(workers)
    taken: list[list[int]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []

    def pull(n: int) -> None:
        try:
            with connection.cursor() as cur:
                cur.execute("SET lock_timeout = '5s'; SET statement_timeout = '20s'")
            barrier.wait(timeout=30)
            while (item := next_work(officer=officers[n], strategy=strategy)) is not None:
                taken[n].append(item.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pull, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert not errors, errors
    flat = [pk for chunk in taken for pk in chunk]
    assert len(flat) == len(set(flat)) == 400
    assert sum(1 for chunk in taken if chunk) > 1  # the work really was shared
    assert not Intray.objects.filter(status=IntrayStatus.OPEN).exists()
    owners = dict(Intray.objects.values_list("pk", "owner_user_id"))
    for n, chunk in enumerate(taken):
        assert all(owners[pk] == officers[n].pk for pk in chunk)
