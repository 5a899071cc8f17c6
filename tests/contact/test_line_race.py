"""CON-16 on PostgreSQL with real concurrent connections: two telephony events for one
line, or an officer double-clicking "Start a call", open exactly one interaction."""

import threading

import pytest
from django.db import close_old_connections, connection

from cma.contact import services
from cma.contact.errors import LineBusy
from cma.contact.models import Interaction
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
    barrier = threading.Barrier(RACERS)
    won: list[int] = []
    busy: list[int] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            barrier.wait(timeout=30)
            call = services.open_interaction(
                customer=customer, actor=officer, direction="inbound", channel="phone"
            )
            won.append(call.pk)
        except LineBusy:
            busy.append(1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert not errors, errors
    assert len(won) == 1 and len(busy) == RACERS - 1
    assert Interaction.objects.filter(ended_at=None).count() == 1
