"""PS-15 on PostgreSQL with real concurrent connections: two PS Team Leaders deciding
the same finalisation request at once; exactly one wins, the other is refused (its
refusal audited) and nothing else is written."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.personalised import services
from cma.personalised.errors import PsConflict, PsRefused
from cma.personalised.models import ActivityEntry
from tests.concurrency import race
from tests.conftest import is_postgres
from tests.personalised.finalisation_helpers import ready_plan, request, second_team_leader

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_postgres(), reason="real concurrent connections: PostgreSQL"),
]


def test_PS_15_two_team_leaders_deciding_at_once_exactly_one_wins(pscm, pstl):
    found = request(ready_plan(pscm), pscm)
    leaders = iter([pstl, second_team_leader(pstl)])
    verdicts = iter([True, False])

    def decide():
        approve = next(verdicts)
        return services.decide_finalisation(
            request=found,
            actor=next(leaders),
            approve=approve,
            reason="issues-addressed" if approve else "",
            comment="" if approve else "Not yet: call the customer.",
        )

    won, lost = race(decide, 2, (PsRefused, PsConflict))
    assert len(won) == 1 and lost == 1
    rows = AuditRecord.objects.filter(action="personalised.finalisation.decided")
    assert sorted(rows.values_list("outcome", flat=True)) == sorted([Outcome.OK, Outcome.REFUSED])
    kinds = list(
        ActivityEntry.objects.filter(kind__startswith="finalisation-").values_list(
            "kind", flat=True
        )
    )
    assert kinds.count("finalisation-requested") == 1 and len(kinds) == 2
