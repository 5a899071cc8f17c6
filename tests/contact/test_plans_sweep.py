"""CON-1, CON-3: the contact sweep raises one "Contact attempt due" intray per due plan
step — once, however often it runs and however many sweeps run at once — and
`cma sweep` / `cma worker` run it through work's sweep registry."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.contact import services
from cma.contact.models import ContactPlan
from cma.contact.sweeps import raise_due_steps
from cma.work.models import Intray, IntrayStatus
from cma.work.services.sweeps import EXTRA_SWEEPS
from tests.contact.plan_helpers import attempt, call_all, customer_with
from tests.factories import TeamFactory, UserFactory

DEBT = "debt-no-collection-avenue"


def _plan(officer, *kinds, purpose="explain-decision"):
    customer = customer_with(*(kinds or ("mobile",)))
    return services.create_plan(customer=customer, actor=officer, purpose=purpose)


@pytest.mark.django_db
def test_CON_1_a_due_step_raises_exactly_one_intray_even_when_swept_twice(officer):
    plan = _plan(officer)
    assert raise_due_steps() == [plan.pk]
    assert raise_due_steps() == []
    plan.refresh_from_db()
    intray = Intray.objects.get(customer=plan.customer)
    assert plan.step_intray == intray and intray.type.code == "contact-attempt-due"
    assert intray.owner_user == officer and intray.status == IntrayStatus.OPEN
    row = AuditRecord.objects.get(action="contact.sweep.steps_raised")
    assert row.changes == {"count": 1, "plans": [plan.pk], "intrays": [intray.pk]}


@pytest.mark.django_db
def test_CON_3_a_step_not_yet_due_waits_and_its_intray_closes_when_recorded(officer):
    plan = _plan(officer, "mobile", purpose=DEBT)
    raise_due_steps()
    attempt(plan, officer, "mobile")  # the first round is done: the next is a day away
    plan.refresh_from_db()
    assert plan.step_intray.status == IntrayStatus.COMPLETED
    assert raise_due_steps() == []
    later = timezone.now() + timedelta(hours=25)
    assert raise_due_steps(now=later) == [plan.pk]
    assert Intray.objects.filter(customer=plan.customer, status=IntrayStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_CON_1_the_intray_stays_while_numbers_are_left_to_call(officer):
    plan = _plan(officer, "mobile", "home")
    raise_due_steps()
    attempt(plan, officer, "mobile")
    plan.refresh_from_db()
    assert plan.step_intray.status == IntrayStatus.OPEN  # home is still owed now
    call_all(plan, officer, "home")
    plan.refresh_from_db()
    # MX1-1 is due now: the same intray carries it.
    assert plan.step_intray.status == IntrayStatus.OPEN
    assert raise_due_steps() == []


@pytest.mark.django_db
def test_closed_and_cancelled_plans_raise_nothing(officer):
    plan = _plan(officer)
    services.cancel_plan(plan=plan, actor=officer, reason="Not needed")
    contacted = _plan(officer)
    attempt(contacted, officer, "mobile", outcome="contact-made")
    assert raise_due_steps() == []


@pytest.mark.django_db
def test_the_sweep_commands_run_the_contact_sweep(officer, capsys):
    assert "contact-steps" in [s.name for s in EXTRA_SWEEPS]
    _plan(officer)
    call_command("sweep")
    out = capsys.readouterr().out
    assert "auto-unlocked 0 lock(s); escalated 0 intray(s)" in out
    assert "raised 1 contact attempt step(s)" in out
    _plan(officer)
    call_command("sweep", only="contact-steps")
    assert capsys.readouterr().out.strip().endswith("raised 1 contact attempt step(s)")
    _plan(officer)
    call_command("worker", interval=0.01, runs=2)
    out = capsys.readouterr().out
    assert "contact-steps 1" in out and "contact-steps 0" in out


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_CON_1_two_concurrent_sweeps_raise_each_step_once():
    team = TeamFactory(name="Contact sweep team")
    officer = UserFactory(username="dialler", team=team)
    plans = [_plan(officer) for _ in range(40)]
    results: list[list[int]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(raise_due_steps())
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
    raised = [pk for r in results for pk in r]
    assert sorted(raised) == sorted(p.pk for p in plans)
    assert Intray.objects.filter(type__code="contact-attempt-due").count() == 40
    assert not ContactPlan.objects.filter(step_intray=None).exists()
