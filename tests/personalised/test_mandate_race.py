# ruff: noqa: F811  (pytest fixtures imported from test_mandate are parameters here)
"""PS-12 on PostgreSQL with real concurrent connections: the decision maker and the
case manager recording the same consultation at once record it exactly once, and two
requests at once raise one intray."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.errors import PsConflict, PsRefused
from cma.personalised.models import PsConsultation
from cma.personalised.services import mandate as services
from cma.work.models import Intray
from tests.concurrency import race
from tests.conftest import is_postgres
from tests.personalised.test_mandate import (  # noqa: F401  (fixtures)
    decision,
    ps_case,
    ps_team,
    pscm,
    pstl,
    specialist,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_postgres(), reason="real concurrent connections: PostgreSQL"),
]


def test_PS_12_racing_consultation_records_record_once(decision, specialist, pscm):
    payee = decision.case.payee
    actors = iter([specialist, pscm])

    def record_it():
        return services.record_consultation(
            decision=decision,
            customer=payee,
            actor=next(actors),
            consulted_id=pscm.pk,
            consulted_at=timezone.now() - timedelta(minutes=5),
            outstanding_issues="None",
            special_contact_conditions="None",
            communication_approach="The case manager calls first.",
            who_tells="case-manager",
        )

    won, lost = race(record_it, 2, (PsRefused, PsConflict))
    assert len(won) == 1 and lost == 1
    assert PsConsultation.objects.count() == 1
    rows = AuditRecord.objects.filter(action="personalised.consultation.recorded")
    assert sorted(rows.values_list("outcome", flat=True)) == sorted([Outcome.OK, Outcome.REFUSED])


def test_PS_12_racing_requests_raise_one_intray(decision, specialist):
    def request_it():
        return services.request_consultation(
            decision=decision, customer=decision.case.payee, actor=specialist
        )

    won, lost = race(request_it, 2, (PsRefused, PsConflict))
    assert len(won) == 1 and lost == 1
    assert Intray.objects.filter(type__code="ps-mandate-consultation").count() == 1
