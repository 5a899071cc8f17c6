"""CON-16 on PostgreSQL with real concurrent connections: two telephony events for one
line, or an officer double-clicking "Start a call", open exactly one interaction."""

import pytest

from cma.contact import services
from cma.contact.errors import LineBusy
from cma.contact.models import Interaction
from tests.concurrency import race
from tests.conftest import is_postgres
from tests.factories import CustomerFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_postgres(), reason="real concurrent connections: PostgreSQL"),
]

RACERS = 6


def test_CON_16_racing_opens_on_one_line_open_one_interaction():
    officer = UserFactory(username="racer", team=TeamFactory(name="Race team"))
    customer = CustomerFactory()
    won, busy = race(
        lambda: services.open_interaction(
            customer=customer, actor=officer, direction="inbound", channel="phone"
        ),
        RACERS,
        (LineBusy,),
    )
    assert len(won) == 1 and busy == RACERS - 1
    assert Interaction.objects.filter(ended_at=None).count() == 1
