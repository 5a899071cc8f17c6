"""SEC-1: a sensitive or restricted customer's record is open only to the roles and
owners that need it; every refusal is audited. Plus the notes app's role rules."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.customers.selectors import get_customer_for
from cma.errors import NotFound, PermissionDenied
from cma.notes import services
from cma.notes.services._common import add_months
from cma.work.services import create_intray, lock_customer
from tests.factories import CustomerFactory

ROLES = [
    "officer",
    "team_leader",
    "other_officer",
    "specialist",
    "ps_case_manager",
    "ps_team_leader",
    "national_manager",
    "auditor",
    "administrator",
]


@pytest.fixture
def users(request, db):
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def sensitive(db, ps_case_manager):
    customer = CustomerFactory()
    services.mark_at_risk(customer=customer, actor=ps_case_manager, reason="Risk disclosed")
    return customer


def outcome(user, customer) -> str:
    try:
        get_customer_for(user, customer.pk)
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


def refusals(customer) -> int:
    return AuditRecord.objects.filter(outcome=Outcome.REFUSED, customer_id=customer.pk).count()


def test_SEC_1_ordinary_customer_open_to_every_customer_facing_role(users):
    customer = CustomerFactory()
    got = {name: outcome(user, customer) for name, user in users.items()}
    assert got == {
        **dict.fromkeys(ROLES, "ok"),
        "auditor": "403",
        "administrator": "403",
    }


def test_SEC_1_sensitive_customer_without_need_to_know_is_not_found_and_audited(users, sensitive):
    got = {name: outcome(user, sensitive) for name, user in users.items()}
    assert got == {
        "officer": "404",
        "team_leader": "404",
        "other_officer": "404",
        "specialist": "404",
        "ps_case_manager": "ok",
        "ps_team_leader": "ok",
        "national_manager": "ok",
        "auditor": "403",
        "administrator": "403",
    }
    rows = AuditRecord.objects.filter(outcome=Outcome.REFUSED, customer_id=sensitive.pk)
    assert rows.count() == 6
    assert set(rows.values_list("reason", flat=True)) == {"restricted-record", "permission-denied"}


def test_SEC_1_holder_of_the_lock_and_their_team_leader_need_to_know(
    users, sensitive, team, ps_case_manager
):
    lock_customer(customer=sensitive, actor=ps_case_manager, reason="Mainstream", owner_team=team)
    got = {name: outcome(users[name], sensitive) for name in ROLES[:4]}
    assert got == {
        "officer": "ok",
        "team_leader": "ok",
        "other_officer": "404",
        "specialist": "404",
    }


def test_SEC_1_owner_of_a_live_intray_needs_to_know(users, sensitive, ps_case_manager):
    create_intray(
        customer=sensitive,
        type_code="general-follow-up",
        actor=ps_case_manager,
        owner_user=users["specialist"],
    )
    assert outcome(users["specialist"], sensitive) == "ok"
    assert outcome(users["officer"], sensitive) == "404"


def test_SEC_1_sensitive_indicator_and_restriction_make_a_customer_sensitive(users, ps_team_leader):
    flagged = CustomerFactory()
    services.add_sensitive_indicator(
        customer=flagged,
        actor=users["officer"],
        kind="security-incident",
        reason="Threats",
        review_on=agency_today() + timedelta(days=30),
    )
    # The officer who recorded it keeps access; another officer does not.
    assert outcome(users["officer"], flagged) == "ok"
    assert outcome(users["other_officer"], flagged) == "404"
    restricted = CustomerFactory()
    services.create_restricted_service(
        customer=restricted,
        actor=ps_team_leader,
        allowed_channels=["post"],
        conditions="Written contact only",
        review_due_on=add_months(agency_today(), 3),
        contact_officer=users["other_officer"],
    )
    # The single point of contact needs to know.
    assert outcome(users["other_officer"], restricted) == "ok"
    assert outcome(users["officer"], restricted) == "404"


def test_SEC_1_refused_service_calls_are_audited(users, sensitive):
    before = refusals(sensitive)
    with pytest.raises(PermissionDenied):
        services.add_note(customer=sensitive, actor=users["officer"], subject="x", body="y")
    assert refusals(sensitive) == before + 1


ACTIONS = {
    "notes.add_note": {
        "officer", "team_leader", "other_officer", "specialist", "ps_case_manager",
        "ps_team_leader", "national_manager",
    },
    "notes.add_indicator": {
        "officer", "team_leader", "other_officer", "specialist", "ps_case_manager",
        "ps_team_leader", "national_manager",
    },
    "notes.review_indicator": {
        "team_leader", "ps_case_manager", "ps_team_leader", "national_manager",
    },
    "notes.mark_at_risk": {
        "officer", "team_leader", "other_officer", "specialist", "ps_case_manager",
        "ps_team_leader", "national_manager",
    },
    "notes.end_at_risk": {"team_leader", "specialist", "ps_team_leader", "national_manager"},
    "notes.manage_restriction": {"ps_case_manager", "ps_team_leader", "national_manager"},
    "notes.approve_restriction_review": {"national_manager"},
    "notes.create_ps_stacking": {"ps_case_manager", "ps_team_leader"},
}  # fmt: skip


@pytest.mark.parametrize("perm", sorted(ACTIONS))
def test_SEC_1_AC_1_role_matrix_for_each_notes_action(users, perm):
    customer = CustomerFactory()
    allowed = {name for name, user in users.items() if user.has_perm(perm, customer)}
    assert allowed == ACTIONS[perm]
