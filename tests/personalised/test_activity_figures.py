"""PS-20: the PS Activity figures per case manager and per team match direct ORM
queries on generated data, in a fixed number of queries, scoped to the actor."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.customers.models import agency_today
from cma.notes.models import RestrictedService
from cma.personalised.errors import PsActivityForbidden, PsRefused
from cma.personalised.models import ActivityEntry, PsPlan, PsReview, Referral
from cma.personalised.selectors_activity import activity_for
from cma.staff.models import Role
from tests.factories import CustomerFactory, UserFactory

from .conftest import _ps_team

SOURCES = ["ombudsman", "step-3-complaint", "proactive", "team-leader"]
KINDS = ["complaints-referral-to-ps", "ps-referral-tl-only", "crg-referral-to-ps"]
STATES = ["draft", "approved", "closed"]


def generate(managers, n, seed=7):
    """n customers per case manager: a plan (random segment, state, due date), a
    referral (random source, kind, actioned or not, on time or not), finalisation
    activity rows, segment 3 reviews and restricted services."""
    rng = random.Random(seed)
    today = agency_today()
    now = timezone.now()
    for manager in managers:
        for _ in range(n):
            customer = CustomerFactory()
            referred = now - timedelta(days=rng.randint(0, 60))
            actioned = rng.random() < 0.6
            referral = Referral.objects.create(
                kind=rng.choice(KINDS),
                source=rng.choice(SOURCES),
                reason="Generated",
                primary_customer=customer,
                referred_by=manager,
                referred_at=referred,
                due_on=today,
                case_manager=manager,
                state="actioned" if actioned else "received",
                actioned_at=referred + timedelta(days=1) if actioned else None,
                actioned_on_time=rng.random() < 0.5 if actioned else None,
            )
            state = rng.choice(STATES)
            segment = rng.choice([1, 2, 3, None])
            plan = PsPlan.objects.create(
                customer=customer,
                referral=referral,
                case_manager=manager,
                referred_on=today - timedelta(days=rng.randint(0, 200)),
                due_on=today + timedelta(days=rng.randint(-20, 20)),
                segment=segment,
                state=state,
                approved_at=now if state == "approved" else None,
                created_by=manager,
            )
            for _ in range(rng.randint(0, 2)):
                ActivityEntry.objects.create(
                    customer=customer,
                    plan=plan,
                    kind=rng.choice(["finalisation-approved", "finalisation-rejected", "other"]),
                    by=manager,
                    at=now - timedelta(days=rng.randint(0, 60)),
                    case_manager=manager,
                    team_id=manager.team_id,
                )
            if segment == 3 and state != "closed":
                PsReview.objects.create(
                    customer=customer,
                    plan=plan,
                    review_on=today + timedelta(days=rng.randint(-5, 40)),
                    state=rng.choice(["scheduled", "due", "proposed"]),
                    created_by=manager,
                )
                if rng.random() < 0.5:
                    start = today - timedelta(days=90)
                    RestrictedService.objects.create(
                        customer=customer,
                        allowed_channels=["post"],
                        conditions="Generated",
                        starts_on=start,
                        review_due_on=today + timedelta(days=rng.randint(-5, 40)),
                        created_by=manager,
                    )


@pytest.fixture
def teams(db):
    sydney = _ps_team("PS Sydney", "NSW", "pstl", ["pscm", "pscm2"])
    brisbane = _ps_team("PS Brisbane", "QLD", "pstl_qld", ["pscm_qld"])
    return sydney, brisbane


def expected(manager, start, end):
    """Every figure for one case manager, straight from the ORM."""
    today = agency_today()
    open_plans = PsPlan.objects.filter(case_manager=manager).exclude(state="closed")
    lo, hi = _window(start, end)
    received = Referral.objects.filter(
        case_manager=manager, referred_at__gte=lo, referred_at__lt=hi
    )
    actioned = Referral.objects.filter(
        case_manager=manager, actioned_at__gte=lo, actioned_at__lt=hi
    )
    entries = ActivityEntry.objects.filter(case_manager=manager, at__gte=lo, at__lt=hi)
    return {
        "caseload": {
            "1": open_plans.filter(segment=1).count(),
            "2": open_plans.filter(segment=2).count(),
            "3": open_plans.filter(segment=3).count(),
            "-": open_plans.filter(segment__isnull=True).count(),
        },
        "referrals": received.count(),
        "actioned": actioned.count(),
        "actioned_on_time": actioned.filter(actioned_on_time=True).count(),
        "plans_overdue": open_plans.filter(state="draft", due_on__lt=today).count(),
        "days_in_ps": sum((today - p.referred_on).days for p in open_plans),
        "finalisations_approved": entries.filter(kind="finalisation-approved").count(),
        "finalisations_rejected": entries.filter(kind="finalisation-rejected").count(),
        "reviews_due": PsReview.objects.filter(
            plan__case_manager=manager, state__in=["scheduled", "due"], review_on__lte=end
        ).count(),
        "restricted_reviews_due": open_plans.filter(
            segment=3,
            customer__in=RestrictedService.objects.filter(
                ended_at=None, review_due_on__lte=end
            ).values("customer"),
        ).count(),
        "sources": {
            (r.source, r.kind): received.filter(source=r.source, kind=r.kind).count()
            for r in received
        },
    }


def _window(start, end):
    from cma.collection.figures import window

    return window(start, end)


def _figures(row):
    return {
        "caseload": row.caseload,
        "referrals": row.referrals,
        "actioned": row.actioned,
        "actioned_on_time": row.actioned_on_time,
        "plans_overdue": row.plans_overdue,
        "days_in_ps": row.days_in_ps,
        "finalisations_approved": row.finalisations_approved,
        "finalisations_rejected": row.finalisations_rejected,
        "reviews_due": row.reviews_due,
        "restricted_reviews_due": row.restricted_reviews_due,
    }


def test_PS_20_every_figure_matches_direct_queries(teams, national_manager):
    (sydney, _, sydney_managers), (brisbane, _, brisbane_managers) = teams
    managers = sydney_managers + brisbane_managers
    generate(managers, 12)
    end = agency_today()
    start = end - timedelta(days=29)
    found = activity_for(national_manager, start=start, end=end)
    by_key = {row.key: row for row in found.rows["manager"]}
    assert set(by_key) == {f"user:{m.pk}" for m in managers}
    for manager in managers:
        want = expected(manager, start, end)
        sources = want.pop("sources")
        assert _figures(by_key[f"user:{manager.pk}"]) == want
        got = {
            (s.source, s.kind): s.n
            for s in found.sources["manager"]
            if s.key == f"user:{manager.pk}"
        }
        assert got == sources
    teams_found = {row.key: row for row in found.rows["team"]}
    for team, members in ((sydney, sydney_managers), (brisbane, brisbane_managers)):
        row = _figures(teams_found[f"team:{team.pk}"])
        wants = [expected(m, start, end) for m in members]
        for name in ("referrals", "actioned", "plans_overdue", "reviews_due", "days_in_ps"):
            assert row[name] == sum(w[name] for w in wants)
        for segment in ("1", "2", "3", "-"):
            assert row["caseload"][segment] == sum(w["caseload"][segment] for w in wants)
        assert row["finalisations_approved"] == sum(w["finalisations_approved"] for w in wants)


def test_PS_20_scope_team_leader_team_case_manager_self(teams):
    (sydney, sydney_leader, sydney_managers), (_, _, brisbane_managers) = teams
    generate(sydney_managers + brisbane_managers, 3)
    end = agency_today()
    leader = activity_for(sydney_leader, period="last-30-days")
    assert {r.key for r in leader.rows["manager"]} == {f"user:{m.pk}" for m in sydney_managers}
    assert [r.key for r in leader.rows["team"]] == [f"team:{sydney.pk}"]
    mine = activity_for(sydney_managers[0], start=end - timedelta(days=10), end=end)
    assert [r.key for r in mine.rows["manager"]] == [f"user:{sydney_managers[0].pk}"]


def test_PS_20_others_are_refused_and_audited(db):
    officer = UserFactory(role=Role.SERVICE_OFFICER)
    before = AuditRecord.objects.count()
    with pytest.raises(PsActivityForbidden):
        activity_for(officer, period="last-30-days")
    assert AuditRecord.objects.count() - before == 1


def test_PS_20_unknown_period_and_bad_dates_are_refused_listing_every_condition(
    national_manager,
):
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as caught:
        activity_for(national_manager, period="last-century")
    assert [d["field"] for d in caught.value.details] == ["period", "start", "end"]
    end = agency_today()
    with pytest.raises(PsRefused) as caught:
        activity_for(national_manager, start=end, end=end - timedelta(days=1))
    assert [d["field"] for d in caught.value.details] == ["end"]
    assert AuditRecord.objects.count() - before == 2
    assert not AuditRecord.objects.filter(
        action="personalised.activity.viewed", outcome="ok"
    ).exists()


def test_PS_20_a_fixed_number_of_queries_whatever_the_data(
    teams, national_manager, django_assert_num_queries
):
    (_, _, sydney_managers), (_, _, brisbane_managers) = teams
    managers = sydney_managers + brisbane_managers
    generate(managers, 1, seed=1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        activity_for(national_manager, period="last-90-days")
    generate(managers, 15, seed=2)
    with django_assert_num_queries(len(small.captured_queries)):
        found = activity_for(national_manager, period="last-90-days")
    assert sum(r.open_plans for r in found.rows["manager"]) > len(managers)
    assert len(small.captured_queries) <= 12
