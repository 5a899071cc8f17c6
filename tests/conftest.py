"""Shared fixtures: policy data loaded once per database, and named personas."""

import pytest
from django.db import connection

from cma.policy.loader import load_all
from cma.staff.models import Role
from tests.factories import TeamFactory, UserFactory


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_all()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                # Transactional tests empty tables with TRUNCATE between tests; the
                # append-only test re-enables this trigger inside its own transaction.
                cur.execute(
                    "ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_append_only_truncate"
                )


@pytest.fixture
def team(db):
    return TeamFactory(name="Mainstream Parramatta", state="NSW")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Mainstream Melbourne", state="VIC")


@pytest.fixture
def officer(team):
    """Olivia: a service officer in `team`."""
    return UserFactory(username="olivia", role=Role.SERVICE_OFFICER, team=team)


@pytest.fixture
def team_leader(team):
    """Tess: leads `team`."""
    user = UserFactory(username="tess", role=Role.TEAM_LEADER, team=team)
    team.leader = user
    team.save(update_fields=["leader"])
    return user


@pytest.fixture
def other_officer(other_team):
    """Oscar: an officer of another team."""
    return UserFactory(username="oscar", role=Role.SERVICE_OFFICER, team=other_team)


@pytest.fixture
def specialist(db):
    return UserFactory(username="sam", role=Role.SPECIALIST_OFFICER)


@pytest.fixture
def ps_case_manager(db):
    return UserFactory(username="priya", role=Role.PS_CASE_MANAGER)


@pytest.fixture
def ps_team_leader(db):
    return UserFactory(username="paul", role=Role.PS_TEAM_LEADER)


@pytest.fixture
def national_manager(db):
    return UserFactory(username="nina", role=Role.NATIONAL_MANAGER_QCC)


@pytest.fixture
def auditor(db):
    return UserFactory(username="alex", role=Role.AUDITOR, team=None)


@pytest.fixture
def administrator(db):
    return UserFactory(username="ada", role=Role.ADMINISTRATOR, team=None)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _policy_after_flush(request):
    """Transactional tests (threads, live_server) empty every table afterwards, policy
    data included; reload it (idempotent) so each such test starts with policy."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        load_all()
