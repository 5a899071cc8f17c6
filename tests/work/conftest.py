"""Work-management fixtures on top of the shared personas."""

import pytest

from cma.policy.models import BusinessArea
from tests.factories import CustomerFactory, TeamFactory, UserFactory


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def teammate(team):
    """Tom: another service officer in `team`."""
    return UserFactory(username="tom", role="service_officer", team=team)


@pytest.fixture
def other_team_leader(other_team):
    """Vera: leads `other_team`."""
    user = UserFactory(username="vera", role="team_leader", team=other_team)
    other_team.leader = user
    other_team.save(update_fields=["leader"])
    return user


@pytest.fixture
def ps_team(db):
    return TeamFactory(
        name="Personalised Services Adelaide",
        state="SA",
        business_area=BusinessArea.objects.get(code="personalised-services"),
    )


@pytest.fixture
def mainstream():
    return BusinessArea.objects.get(code="mainstream")


@pytest.fixture
def policy_reloaded(transactional_db):
    """Transactional tests end with a flush that empties every table, policy included
    (pytest-django runs them after the plain database tests). Reload it, committed."""
    from cma.policy.loader import load_all

    if not BusinessArea.objects.exists():
        load_all()
