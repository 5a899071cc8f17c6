"""CMA-6 on PostgreSQL with real concurrent connections: two decision makers' clicks
finalising the same decision at once finalise it exactly once."""

from datetime import date

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.decisions import services
from cma.decisions.errors import DecisionClosed
from cma.decisions.models import AffectedParty, Decision, State
from tests.concurrency import race
from tests.conftest import is_postgres
from tests.factories import CaseFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_postgres(), reason="real concurrent connections: PostgreSQL"),
]

RACERS = 2


def test_CMA_6_racing_finalisations_finalise_once():
    maker = UserFactory(username="maker", team=TeamFactory(name="Decision team"))
    decision = services.create_decision(
        case=CaseFactory(),
        actor=maker,
        kind="estimate",
        reasons="Income estimate accepted.",
        effective_on=date(2026, 12, 14),
    )
    services.mark_ready(decision=decision, actor=maker)
    # Explained earlier (the explanation itself is tested elsewhere); set directly so
    # that only the race is under test.
    for n, party in enumerate(decision.parties.select_related("customer")):
        call = contact.open_interaction(
            customer=party.customer,
            actor=maker,
            direction="inbound",
            channel="phone",
            line=f"r{n}",
        )
        AffectedParty.objects.filter(pk=party.pk).update(
            explained_at=call.started_at, interaction=call, explained_by=maker
        )
    won, closed = race(
        lambda: services.finalise(decision=decision, actor=maker), RACERS, (DecisionClosed,)
    )
    assert len(won) == 1 and closed == RACERS - 1
    assert Decision.objects.get(pk=decision.pk).state == State.FINALISED
    outcomes = sorted(
        AuditRecord.objects.filter(action="decisions.decision.finalised").values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == sorted([Outcome.OK, Outcome.REFUSED])
