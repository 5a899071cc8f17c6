"""Intray lifecycle (WRK-1): start, complete, delete with reason, re-assign, follow up."""

from datetime import date, timedelta

import pytest

from cma.audit.models import AuditRecord
from cma.errors import ValidationFailed
from cma.work import selectors, services
from cma.work.errors import InactiveOfficer, IntrayNotLive, NotIntrayOwner, ReasonRequired
from cma.work.models import Intray, IntrayStatus
from tests.factories import CaseFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db


def _snapshot(intray):
    intray.refresh_from_db()
    return (intray.status, intray.owner_key, intray.deleted_reason, intray.events.count())


def test_WRK_1_full_lifecycle_has_history(officer, teammate, team, customer):
    item = services.create_intray(
        customer=customer, type_code="general-follow-up", actor=officer, owner_team=team
    )
    services.start_intray(intray=item, actor=teammate)
    item.refresh_from_db()
    assert (item.status, item.owner_user) == (IntrayStatus.IN_PROGRESS, teammate)
    follow = services.create_follow_up(
        parent=item, type_code="client-call-back", actor=teammate, note="call after 2pm"
    )
    assert (follow.parent, follow.customer, follow.owner_user) == (item, customer, teammate)
    services.complete_intray(intray=item, actor=teammate, outcome="Income details updated")
    history = selectors.intray_history(item)
    assert [h["kind"] for h in history] == ["created", "started", "completed"]
    assert history[1]["from_owner"] == team.name and history[1]["to_owner"] == str(teammate)


def test_WRK_1_delete_needs_a_reason_and_keeps_the_row(officer, customer):
    item = services.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
    before = _snapshot(item)
    with pytest.raises(ReasonRequired) as err:
        services.delete_intray(intray=item, actor=officer, reason="  ")
    assert err.value.field == "reason" and err.value.http_status == 422
    assert _snapshot(item) == before
    refusal = AuditRecord.objects.order_by("-id").first()
    assert (refusal.action, refusal.outcome) == ("work.intray.deleted", "refused")
    services.delete_intray(intray=item, actor=officer, reason="duplicate of another intray")
    item.refresh_from_db()
    assert item.status == IntrayStatus.DELETED and item.deleted_reason
    with pytest.raises(IntrayNotLive):
        services.complete_intray(intray=item, actor=officer, outcome="done")


def test_WRK_1_other_team_cannot_touch_work_and_nothing_changes(officer, other_officer, customer):
    item = services.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
    before = _snapshot(item)
    for call in (
        lambda: services.start_intray(intray=item, actor=other_officer),
        lambda: services.complete_intray(intray=item, actor=other_officer, outcome="x"),
        lambda: services.delete_intray(intray=item, actor=other_officer, reason="x"),
        lambda: services.assign_intray(intray=item, actor=other_officer, owner_user=other_officer),
    ):
        with pytest.raises(NotIntrayOwner):
            call()
    assert _snapshot(item) == before
    assert AuditRecord.objects.filter(outcome="refused", customer_id=customer.pk).count() == 4


def test_WRK_1_team_leader_reassigns_and_inactive_officer_is_refused(
    officer, teammate, team_leader, customer
):
    item = services.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
    services.assign_intray(intray=item, actor=team_leader, owner_user=teammate, reason="leave")
    item.refresh_from_db()
    assert item.owner_user == teammate and item.status == IntrayStatus.OPEN
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    before = _snapshot(item)
    with pytest.raises(InactiveOfficer) as err:
        services.assign_intray(intray=item, actor=team_leader, owner_user=officer)
    assert err.value.field == "owner_user"
    assert _snapshot(item) == before


def test_WRK_1_reassign_to_area_and_team(officer, team_leader, other_team, mainstream, customer):
    item = services.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
    services.assign_intray(intray=item, actor=officer, owner_team=other_team)
    item.refresh_from_db()
    assert item.owner_team == other_team
    with pytest.raises(ValidationFailed):
        services.assign_intray(intray=item, actor=officer, owner_area="enabling-finance")


def test_WRK_1_case_must_belong_to_customer(officer, customer):
    case = CaseFactory()
    with pytest.raises(ValidationFailed) as err:
        services.create_intray(
            customer=customer, type_code="general-follow-up", actor=officer, case=case
        )
    assert err.value.field == "case"
    own = CaseFactory(payer=customer)
    assert (
        services.create_intray(
            customer=customer, type_code="general-follow-up", actor=officer, case=own
        ).case
        == own
    )


def test_WRK_1_due_date_in_the_past_is_refused(officer, customer):
    with pytest.raises(ValidationFailed):
        services.create_intray(
            customer=customer,
            type_code="general-follow-up",
            actor=officer,
            due_on=date.today() - timedelta(days=3),
        )
    assert not Intray.objects.exists()


def test_WRK_1_area_owned_work_uses_the_default_state_calendar(officer, customer, settings):
    """Area work has no single office, so its due date uses CMA_DEFAULT_STATE."""
    item = services.create_intray(customer=customer, type_code="add-a-child", actor=officer)
    expected = services.due_date_for(item.type, services.intrays.Owner(area=item.owner_area))
    assert item.due_on == expected


def test_CMA_5_open_intrays_show_owners_for_everyone(officer, other_officer, customer):
    item = IntrayFactory(customer=customer, owner_user=officer)
    assert selectors.open_intrays(customer) == [item]
    work = selectors.customer_work(other_officer, customer.pk)
    assert work["intrays"][0].owner_user == officer
