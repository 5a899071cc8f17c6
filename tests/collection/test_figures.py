"""CMA-1, CMA-2, CMA-3, REP-1: the figures match direct queries of the records: MCA
completion by officer, team and business area over a period, issues resolved at first
contact against routed, payee leads and their outcomes; Team Leaders see their team,
the National Manager everyone; each figure is a fixed number of queries."""

from collections import Counter
from datetime import timedelta

import pytest

from cma.collection import figures, services
from cma.collection.errors import FiguresForbidden, FiguresRefused
from cma.collection.models import McaNotDone, McaRecord, PayeeLead, PresentingIssue
from cma.contact import services as contact
from cma.contact.models import Interaction
from cma.customers.models import Case, agency_today
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from tests.factories import (
    AccountSummaryFactory,
    CaseFactory,
    CustomerFactory,
    TeamFactory,
    UserFactory,
)

from .conftest import ALL_ADDRESSED, confirmed_call

TODAY = agency_today()


def _customer(n_cases: int):
    person = CustomerFactory(role="payee")
    for _ in range(n_cases):
        AccountSummaryFactory(case=CaseFactory(payee=person))
    return person


def _calls(officer, tag: str) -> None:
    """Per officer: complete, with a reason, incomplete (ended by the platform), and two
    that do not count (unconfirmed; no cases), with issues and leads."""
    full = _customer(2)
    call = confirmed_call(full, officer, line=f"{tag}a")
    for case in Case.objects.filter(payee=full):
        services.record_mca(
            interaction=call, actor=officer, case_id=case.pk, outcomes=ALL_ADDRESSED
        )
    services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
    services.raise_issue(interaction=call, actor=officer, kind="estimate")
    case = Case.objects.filter(payee=full).first()
    services.record_lead(
        interaction=call, actor=officer, case_id=case.pk, kind="employer", name="Acme Pty"
    )
    services.record_payee_update(
        interaction=call, actor=officer, case_id=case.pk, outcome="told-action-taken"
    )
    contact.end_interaction(interaction=call, actor=officer, reason="completed")

    partly = _customer(2)
    call = confirmed_call(partly, officer, line=f"{tag}b")
    services.record_mca(
        interaction=call,
        actor=officer,
        case_id=Case.objects.filter(payee=partly).first().pk,
        outcomes=ALL_ADDRESSED,
    )
    services.refer_externally(interaction=call, actor=officer, organisation="ato", consent=True)
    contact.end_interaction(
        interaction=call, actor=officer, reason="completed", override_reason="Customer left"
    )

    cut = _customer(1)
    call = confirmed_call(cut, officer, line=f"{tag}c")
    services.raise_issue(interaction=call, actor=officer, kind="general-enquiry")
    Interaction.objects.filter(pk=call.pk).update(ended_at=call.started_at, end_reason="platform")

    unconfirmed = contact.open_interaction(
        customer=_customer(1), actor=officer, direction="inbound", channel="phone", line=f"{tag}d"
    )
    contact.end_interaction(interaction=unconfirmed, actor=officer, reason="completed")
    no_cases = confirmed_call(CustomerFactory(), officer, line=f"{tag}e")
    contact.end_interaction(interaction=no_cases, actor=officer, reason="completed")


@pytest.fixture
def office(db, team, other_team, officer, other_officer, team_leader):
    enabling = BusinessArea.objects.get(code="enabling-finance")
    clerk = UserFactory(team=TeamFactory(name="Finance", business_area=enabling))
    for n, who in enumerate((officer, other_officer, clerk)):
        _calls(who, f"o{n}")
    old = confirmed_call(_customer(1), officer, line="old")
    contact.end_interaction(interaction=old, actor=officer, reason="completed", override_reason="x")
    Interaction.objects.filter(pk=old.pk).update(started_at=old.started_at - timedelta(days=90))
    return {"clerk": clerk}


def _direct_mca(start, end, officers=None) -> dict[str, Counter]:
    """The same figure, the long way: every interaction, one by one."""
    lo, hi = figures.window(start, end)
    found: dict[str, Counter] = {"officer": Counter(), "team": Counter(), "area": Counter()}
    for it in Interaction.objects.select_related("officer__team__business_area"):
        area = it.officer.team.business_area if it.officer.team_id else None
        if not (lo <= it.started_at < hi) or it.ended_at is None or not it.confirmed:
            continue
        if area is not None and area.kind == "enabling":
            continue
        if officers is not None and it.officer_id not in officers:
            continue
        cases = (
            Case.objects.filter(payer=it.customer).count()
            + Case.objects.filter(payee=it.customer).count()
        )
        if not cases:
            continue
        done = McaRecord.objects.filter(interaction=it).count()
        state = (
            "complete"
            if done >= cases
            else "with_reason"
            if McaNotDone.objects.filter(interaction=it).exists()
            else "incomplete"
        )
        keys = {
            "officer": f"user:{it.officer_id}",
            "team": f"team:{it.officer.team_id or ''}",
            "area": f"area:{area.pk if area else ''}",
        }
        for by, key in keys.items():
            found[by][(key, "interactions")] += 1
            found[by][(key, state)] += 1
    return found


def _as_counter(rows) -> Counter:
    counted = Counter()
    for row in rows:
        for what in ("interactions", "complete", "with_reason", "incomplete"):
            if getattr(row, what):
                counted[(row.key, what)] = getattr(row, what)
    return counted


def test_CMA_1_REP_1_mca_completion_matches_a_direct_query(office, national_manager):
    start, end = TODAY - timedelta(days=30), TODAY
    got = figures.figures_for(national_manager, start=start, end=end)
    expected = _direct_mca(start, end)
    for by in ("officer", "team", "area"):
        assert _as_counter(got.mca[by]) == expected[by], by
    by_officer = {r.key: r for r in got.mca["officer"]}
    assert office["clerk"].pk not in [int(k.split(":")[1]) for k in by_officer]  # exempt
    row = next(iter(by_officer.values()))
    assert (row.interactions, row.complete, row.with_reason, row.incomplete) == (3, 1, 1, 1)
    assert row.rate == 33.3
    # A longer period takes in the old call too, still matching.
    longer = figures.figures_for(national_manager, start=TODAY - timedelta(days=120), end=end)
    assert (
        _as_counter(longer.mca["officer"])
        == _direct_mca(TODAY - timedelta(days=120), end)["officer"]
    )


def test_CMA_3_CMA_2_issue_and_lead_figures_match_direct_queries(office, national_manager):
    got = figures.figures_for(national_manager, start=TODAY - timedelta(days=7), end=TODAY)
    assert got.issues == dict(Counter(PresentingIssue.objects.values_list("status", flat=True)))
    assert got.issues == {"resolved": 6, "routed": 3, "referred": 3}
    assert got.first_contact_rate == round(100 * 6 / 9, 1)
    direct = Counter(PayeeLead.objects.values_list("kind", "intray__status"))
    assert {(lead["kind"], s): n for lead in got.leads for s, n in lead["statuses"].items()} == (
        dict(direct)
    )
    assert got.payee_updates == {"told-action-taken": 3}


def test_REP_1_a_team_leader_sees_their_own_teams_officers_only(office, team_leader, officer):
    got = figures.figures_for(team_leader, start=TODAY - timedelta(days=7), end=TODAY)
    assert [r.key for r in got.mca["officer"]] == [f"user:{officer.pk}"]
    assert (
        _as_counter(got.mca["officer"])
        == _direct_mca(TODAY - timedelta(days=7), TODAY, officers={officer.pk})["officer"]
    )
    assert got.issues == {"resolved": 2, "routed": 1, "referred": 1}


def test_REP_1_officers_do_not_see_the_figures_and_a_bad_period_is_refused(
    db, officer, national_manager
):
    with pytest.raises(FiguresForbidden):
        figures.figures_for(officer, start=TODAY, end=TODAY)
    with pytest.raises(FiguresRefused) as refused:
        figures.figures_for(national_manager, start=TODAY, end=TODAY - timedelta(days=1))
    assert refused.value.field == "end"
    with pytest.raises(FiguresRefused):
        figures.figures_for(national_manager, start=TODAY - timedelta(days=800), end=TODAY)


def test_REP_1_the_figures_read_a_fixed_number_of_queries(
    office, national_manager, officer, django_assert_num_queries
):
    with django_assert_num_queries(5) as first:  # 4 figures and the audit row
        figures.figures_for(national_manager, start=TODAY - timedelta(days=7), end=TODAY)
    _calls(officer, "more")
    _calls(UserFactory(role=Role.SERVICE_OFFICER), "more2")
    with django_assert_num_queries(len(first.captured_queries)):
        figures.figures_for(national_manager, start=TODAY - timedelta(days=7), end=TODAY)
