"""Personalised Services teams, a referred customer and helpers to run the checklist."""

import pytest

from cma.personalised import services
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory


def _ps_team(name: str, state: str, leader_name: str, manager_names: list[str]):
    area = BusinessArea.objects.get(code="personalised-services")
    team = TeamFactory(name=name, state=state, business_area=area)
    leader = UserFactory(username=leader_name, role=Role.PS_TEAM_LEADER, team=team)
    team.leader = leader
    team.save(update_fields=["leader"])
    managers = [
        UserFactory(username=n, role=Role.PS_CASE_MANAGER, team=team) for n in manager_names
    ]
    return team, leader, managers


@pytest.fixture
def ps_team(db):
    return _ps_team("PS Sydney", "NSW", "pstl", ["pscm", "pscm2"])


@pytest.fixture
def pstl(ps_team):
    return ps_team[1]


@pytest.fixture
def pscm(ps_team):
    return ps_team[2][0]


@pytest.fixture
def receiving_team(db):
    return _ps_team("PS Brisbane", "QLD", "pstl_qld", ["pscm_qld"])


@pytest.fixture
def case(db):
    payer = CustomerFactory(role="payer", given_names="Perpetua", family_name="Quillfeather")
    payee = CustomerFactory(role="payee", given_names="Ottoline", family_name="Brackenridge")
    return CaseFactory(payer=payer, payee=payee)


@pytest.fixture
def customer(case):
    return case.payer


@pytest.fixture
def referral(customer, case, team_leader, ps_team):
    return services.create_referral(
        customer=customer,
        actor=team_leader,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Ombudsman enquiry about repeated assessment errors.",
        case=case,
    )


def run_checklist(referral, actor, *, upto=None, segment=1):
    """Record the steps of the checklist in order (stopping before `upto`)."""
    from cma.personalised.models import PsPlan

    for row in services.checklist(referral):
        code = row["code"]
        if code == upto:
            return
        if row["done"]:
            continue
        inputs = {}
        if code == "review-case-history":
            inputs = {
                "reviewed": [
                    "case-and-customer",
                    "notepads-and-communication",
                    "feedback-and-review",
                    "customer-history",
                    "crg-record",
                ][: 5 if referral.kind == "crg-referral-to-ps" else 4]
            }
        elif code == "complete-case-review":
            inputs = {"text": "Reviewed assessments since 2023; income estimate looks stale."}
        elif code == "record-segment-source-reason":
            plan = PsPlan.objects.get(customer=referral.primary_customer)
            if plan.segment is None:
                services.decide_segment(plan=plan, actor=actor, segment=segment)
            inputs = {"main_reason": "assessment"}
        services.record_step(referral=referral, actor=actor, step=code, inputs=inputs)


AGREED = {
    "customer_view": "Wants the care percentage reviewed.",
    "agreed_actions": "Review the care arrangements and send the estimate form.",
    "agreed_contact_times": "Weekday mornings.",
}


def record_agreement(plan, actor):
    """The PS-8 fields an approval needs: the customer's view, the agreed actions and
    the agreed contact times."""
    return services.update_plan(plan=plan, actor=actor, **AGREED)
