"""PS-18 on PostgreSQL with real concurrent connections: two sweeps at once raise one
review intray; the case manager recording the same review twice at once records it
once."""

from datetime import timedelta

import pytest

from cma.customers.models import agency_today
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import PsPlan, PsReview, ReviewState
from cma.work.models import Intray
from tests.concurrency import race
from tests.conftest import is_postgres

from .conftest import run_checklist

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_postgres(), reason="real concurrent connections: PostgreSQL"),
]


@pytest.fixture
def scheduled(referral, pscm, pstl):
    run_checklist(referral, pscm, upto="create-stacking-document")
    plan = PsPlan.objects.get(customer=referral.primary_customer)
    decision = services.decide_segment(
        plan=plan, actor=pscm, segment=3, review_on=agency_today() + timedelta(days=2)
    )
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    return PsReview.objects.get(plan=plan, state=ReviewState.SCHEDULED)


def test_PS_18_racing_sweeps_raise_one_review_intray(scheduled):
    day = scheduled.review_on
    won, _ = race(lambda: services.raise_due_reviews(today=day), 2, ())
    assert sorted(len(ids) for ids in won) == [0, 1]
    assert Intray.objects.filter(type__code="ps-segment-3-review").count() == 1


def test_PS_18_racing_review_records_record_once(scheduled, pscm):
    services.raise_due_reviews(today=scheduled.review_on)
    next_on = agency_today() + timedelta(days=40)

    def record_it():
        return services.record_review(
            review=scheduled,
            actor=pscm,
            outcome="extend",
            comment="Still required.",
            next_review_on=next_on,
        )

    won, lost = race(record_it, 2, (PsRefused,))
    assert (len(won), lost) == (1, 1)
    assert PsReview.objects.filter(previous=scheduled).count() == 1
