"""PS-12: the PS mandate. Anyone opening a PS customer is told who their case manager
is and how to reach them, first; a call routes to the case manager; a specialist
decision on a PS customer is neither finalised nor notified until a consultation with
the case manager is recorded, and requesting one gives the case manager an intray due
the same working day."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.contact.sections import built_sections
from cma.customers.models import agency_today
from cma.decisions import services as decisions
from cma.decisions.errors import DecisionRefused
from cma.decisions.models import State
from cma.personalised import mandate
from cma.personalised.errors import PsPermissionDenied, PsRefused
from cma.personalised.models import ConsultationState, PlanState, PsConsultation, PsPlan
from cma.personalised.services import mandate as services
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from cma.work import services as work
from cma.work.models import Intray, IntrayStatus
from cma.work.routing import recommend
from tests.decisions.conftest import confirmed_call
from tests.factories import (
    CaseFactory,
    ContactDetailFactory,
    CustomerFactory,
    TeamFactory,
    UserFactory,
)


def head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def rows_since(before: int):
    return list(AuditRecord.objects.filter(pk__gt=before).values_list("action", "outcome"))


@pytest.fixture
def ps_team(db):
    area = BusinessArea.objects.get(code="personalised-services")
    return TeamFactory(name="Personalised Services Adelaide", state="SA", business_area=area)


@pytest.fixture
def pstl(ps_team):
    leader = UserFactory(
        username="pstl",
        role=Role.PS_TEAM_LEADER,
        team=ps_team,
        first_name="Paul",
        last_name="Leader",
        email="paul.leader@agency.example",
    )
    ps_team.leader = leader
    ps_team.save(update_fields=["leader"])
    return leader


@pytest.fixture
def pscm(ps_team, pstl):
    return UserFactory(
        username="pscm",
        role=Role.PS_CASE_MANAGER,
        team=ps_team,
        first_name="Priya",
        last_name="Manager",
        email="priya.manager@agency.example",
    )


@pytest.fixture
def specialist(db):
    area = BusinessArea.objects.get(code="mainstream")
    team = TeamFactory(name="Specialised Assessments Hobart", state="TAS", business_area=area)
    return UserFactory(username="sam", role=Role.SPECIALIST_OFFICER, team=team)


@pytest.fixture
def ps_case(db, pscm):
    payer = CustomerFactory(role="payer", given_names="Perpetua", family_name="Quillfeather")
    payee = CustomerFactory(role="payee", given_names="Ottoline", family_name="Brackenridge")
    ContactDetailFactory(customer=payer, kind="mobile", number="+61491570111")
    ContactDetailFactory(customer=payee, kind="mobile", number="+61491570199")
    case = CaseFactory(payer=payer, payee=payee)
    # The payee is a PS customer: locked and assigned to the case manager (PS-2).
    work.lock_customer(customer=payee, actor=pscm, reason="PS case management")
    return case


@pytest.fixture
def decision(ps_case, specialist):
    return decisions.create_decision(
        case=ps_case,
        actor=specialist,
        kind="change-of-assessment",
        reasons="The care arrangements changed after the review.",
        effective_on=date(2026, 12, 14),
    )


def explain_both(decision, specialist):
    for n, customer in enumerate((decision.case.payer, decision.case.payee)):
        call = confirmed_call(customer, specialist, line=f"m{n}")
        decisions.record_explanation(
            decision=decision, interaction=call, customer=customer, actor=specialist
        )
        contact.end_interaction(
            interaction=call, actor=specialist, reason="completed", override_reason="Test call"
        )


def record(decision, customer, actor, **overrides):
    values = {
        "consulted_id": None,
        "consulted_at": timezone.now() - timedelta(minutes=30),
        "outstanding_issues": "A step 3 complaint is open about the last assessment.",
        "special_contact_conditions": "Calls only in agreed times; no unplanned calls.",
        "communication_approach": "The case manager joins a conference call to explain it.",
        "who_tells": "together",
    }
    values.update(overrides)
    return services.record_consultation(decision=decision, customer=customer, actor=actor, **values)


# --- Who manages this PS customer -------------------------------------------------


def test_PS_12_who_manages_names_the_case_manager_their_team_leader_and_availability(
    ps_case, pscm, pstl
):
    manager = mandate.who_manages(ps_case.payee)
    assert manager is not None and manager.source == "lock"
    assert manager.user == pscm and manager.team == "Personalised Services Adelaide"
    assert manager.email == "priya.manager@agency.example"
    assert manager.team_leader == pstl
    assert manager.availability.active and manager.availability.due_today == 0
    assert "Leave is not recorded" in manager.availability.note
    assert mandate.who_manages(ps_case.payer) is None  # not a PS customer


def test_PS_12_the_open_plans_case_manager_comes_before_the_lock(ps_case, pscm, ps_team):
    other = UserFactory(role=Role.PS_CASE_MANAGER, team=ps_team, first_name="Oscar")
    plan = PsPlan.objects.create(
        customer=ps_case.payee,
        case_manager=other,
        referred_on=agency_today(),
        due_on=agency_today() + timedelta(days=21),
        created_by=pscm,
    )
    manager = mandate.who_manages(ps_case.payee)
    assert manager.source == "plan" and manager.user == other and manager.plan_id == plan.pk
    PsPlan.objects.filter(pk=plan.pk).update(state=PlanState.CLOSED)
    assert mandate.who_manages(ps_case.payee).user == pscm


def test_PS_12_availability_counts_work_due_today_and_stays_at_four_queries(
    ps_case, pscm, django_assert_max_num_queries
):
    def count_queries():
        with django_assert_max_num_queries(4) as ctx:
            manager = mandate.who_manages(ps_case.payee)
        return len(ctx.captured_queries), manager

    few, manager = count_queries()
    assert manager.availability.due_today == 0
    for _ in range(12):
        work.create_intray(
            customer=ps_case.payee, type_code="client-call-back", actor=pscm, owner_user=pscm
        )
    many, manager = count_queries()
    assert manager.availability.due_today == 0  # due tomorrow: one working day
    Intray.objects.filter(owner_user=pscm).update(due_on=agency_today())
    again, manager = count_queries()
    assert manager.availability.due_today == 12
    assert few == many == again


def test_PS_12_routing_advice_for_a_PS_customer_names_the_case_manager(ps_case, pscm, specialist):
    advice = recommend(customer=ps_case.payee, issues=["general-enquiry"], actor=specialist)
    assert advice[0].rule == "ps-mandate"
    assert advice[0].owner_key == f"user:{pscm.pk}"
    assert str(pscm) in advice[0].owner_label and "PS case manager" in advice[0].reason


def test_PS_12_the_customer_page_says_who_to_contact_before_anything_else(
    client, ps_case, pscm, specialist
):
    client.force_login(specialist)
    body = client.get(f"/customers/{ps_case.payee_id}/").content.decode()
    assert "Personalised Services customer (PS mandate)" in body
    notice = body.index("Personalised Services customer (PS mandate)")
    assert notice < body.index("<h1") and notice < body.index("Customer locked to")
    assert "priya.manager@agency.example" in body and "Paul Leader" in body
    other = client.get(f"/customers/{ps_case.payer_id}/").content.decode()
    assert "PS mandate" not in other
    client.force_login(pscm)
    mine = client.get(f"/customers/{ps_case.payee_id}/").content.decode()
    assert "You are this customer's PS case manager" in mine


def test_PS_12_the_call_screen_shows_the_case_manager_first_even_before_identity(
    client, ps_case, specialist, pscm
):
    call = contact.open_interaction(
        customer=ps_case.payee, actor=specialist, direction="inbound", channel="phone", line="c1"
    )
    assert not call.confirmed
    found = built_sections(specialist, call)
    assert found and found[0].name == "ps-mandate"
    assert found[0].data["manager"].user == pscm
    client.force_login(specialist)
    body = client.get(reverse("contact:call", kwargs={"interaction_id": call.pk})).content.decode()
    assert "Direct this call to the PS case manager" in body
    other = contact.open_interaction(
        customer=ps_case.payer, actor=pscm, direction="inbound", channel="phone", line="c2"
    )
    assert [s.name for s in built_sections(pscm, other)] == []


# --- Consultation before a specialist decision ------------------------------------


def test_PS_12_bad_input_a_specialist_finalising_without_a_consultation_is_refused_listing_all(
    decision, specialist
):
    decisions.mark_ready(decision=decision, actor=specialist)
    before = head()
    with pytest.raises(DecisionRefused) as err:
        decisions.finalise(decision=decision, actor=specialist)
    fields = [d["field"] for d in err.value.details]
    payee = decision.case.payee_id
    # Every unmet condition at once: both CMA-6 explanations and the PS mandate.
    assert f"consultations.{payee}" in fields
    assert f"parties.{decision.case.payer_id}" in fields and f"parties.{payee}" in fields
    message = next(d["message"] for d in err.value.details if d["field"].startswith("consult"))
    assert message.startswith("PS-12:") and "finalising" in message
    assert "Ottoline" not in message and "Brackenridge" not in message
    decision.refresh_from_db()
    assert decision.state == State.READY
    assert rows_since(before) == [("decisions.decision.finalised", Outcome.REFUSED)]


def test_PS_12_requesting_a_consultation_gives_the_case_manager_an_intray_due_today(
    decision, specialist, pscm
):
    before = head()
    consultation = services.request_consultation(
        decision=decision, customer=decision.case.payee, actor=specialist
    )
    assert rows_since(before) == [("personalised.consultation.requested", Outcome.OK)]
    intray = consultation.intray
    assert intray.type_id and intray.type.code == "ps-mandate-consultation"
    assert intray.type.service_level_working_days == 0
    assert intray.owner_user == pscm and intray.due_on == agency_today()
    assert intray.status == IntrayStatus.OPEN
    assert consultation.state == ConsultationState.REQUESTED
    # The decision maker sees the case manager's availability with the request waiting.
    assert mandate.who_manages(decision.case.payee).availability.waiting_consultations == 1
    decisions.mark_ready(decision=decision, actor=specialist)
    with pytest.raises(DecisionRefused) as err:
        decisions.finalise(decision=decision, actor=specialist)
    assert any("is waiting for the case manager" in d["message"] for d in err.value.details)


def test_PS_12_the_request_is_refused_to_anyone_but_the_decision_maker_and_twice(
    decision, specialist, pscm
):
    before = head()
    with pytest.raises(PsPermissionDenied):
        services.request_consultation(decision=decision, customer=decision.case.payee, actor=pscm)
    services.request_consultation(decision=decision, customer=decision.case.payee, actor=specialist)
    with pytest.raises(PsRefused) as err:
        services.request_consultation(
            decision=decision, customer=decision.case.payee, actor=specialist
        )
    assert "already requested" in err.value.details[0]["message"]
    with pytest.raises(PsRefused) as err:
        services.request_consultation(
            decision=decision, customer=decision.case.payer, actor=specialist
        )
    assert "not managed by Personalised Services" in err.value.details[0]["message"]
    assert PsConsultation.objects.count() == 1
    assert [o for _, o in rows_since(before)] == [
        Outcome.REFUSED,
        Outcome.OK,
        Outcome.REFUSED,
        Outcome.REFUSED,
    ]


def test_PS_12_consulted_then_the_decision_is_finalised_and_notified(decision, specialist, pscm):
    payee = decision.case.payee
    consultation = services.request_consultation(
        decision=decision, customer=payee, actor=specialist
    )
    before = head()
    recorded = record(decision, payee, pscm)  # the case manager records it
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.OK)]
    assert recorded.pk == consultation.pk and recorded.recorded
    assert recorded.consulted == pscm and recorded.who_tells == "together"
    recorded.intray.refresh_from_db()
    assert recorded.intray.status == IntrayStatus.COMPLETED
    explain_both(decision, specialist)
    decisions.mark_ready(decision=decision, actor=specialist)
    assert decisions.finalise(decision=decision, actor=specialist).state == State.FINALISED
    assert decisions.notify(decision=decision, actor=specialist).state == State.NOTIFIED


def test_PS_12_the_decision_maker_records_a_consultation_with_the_team_leader(
    decision, specialist, pstl
):
    payee = decision.case.payee
    services.request_consultation(decision=decision, customer=payee, actor=specialist)
    recorded = record(decision, payee, specialist, consulted_id=pstl.pk, who_tells="case-manager")
    assert recorded.consulted == pstl and recorded.recorded_by == specialist
    # The case manager's intray is closed for them: no open work left behind.
    recorded.intray.refresh_from_db()
    assert recorded.intray.status == IntrayStatus.COMPLETED
    assert mandate.who_manages(payee).availability.waiting_consultations == 0


def test_PS_12_bad_input_a_consultation_missing_everything_lists_every_condition(
    decision, specialist, officer
):
    payee = decision.case.payee
    before = head()
    with pytest.raises(PsRefused) as err:
        record(
            decision,
            payee,
            specialist,
            consulted_id=officer.pk,
            consulted_at=timezone.now() + timedelta(hours=2),
            outstanding_issues="  ",
            special_contact_conditions="",
            communication_approach="x" * 2001,
            who_tells="the-neighbour",
        )
    assert [d["field"] for d in err.value.details] == [
        "consulted_id",
        "consulted_at",
        "outstanding_issues",
        "special_contact_conditions",
        "communication_approach",
        "who_tells",
    ]
    assert not PsConsultation.objects.exists()
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.REFUSED)]


def test_PS_12_personal_information_in_the_consultation_is_refused(decision, specialist):
    before = head()
    with pytest.raises(Exception) as err:
        record(
            decision,
            decision.case.payee,
            specialist,
            special_contact_conditions="Call her on 0491 570 199 only",
        )
    assert "personal" in str(err.value).lower() or getattr(err.value, "details", None)
    assert not PsConsultation.objects.exists()
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.REFUSED)]


def test_PS_12_only_the_decision_maker_or_the_person_consulted_records_it(decision, officer, pscm):
    with pytest.raises(PsPermissionDenied):
        record(decision, decision.case.payee, officer)
    assert not PsConsultation.objects.exists()


def test_PS_12_notifying_is_refused_too_when_the_customer_became_PS_after_finalising(
    ps_case, specialist, pscm
):
    decision = decisions.create_decision(
        case=ps_case,
        actor=specialist,
        kind="care",
        reasons="Care changed.",
        effective_on=date(2026, 12, 14),
    )
    explain_both(decision, specialist)
    decisions.mark_ready(decision=decision, actor=specialist)
    # The payee's PS lock is released for a moment: not a PS customer, so it finalises.
    work.unlock_customer(customer=ps_case.payee, actor=pscm, reason="Moved on")
    decisions.finalise(decision=decision, actor=specialist)
    work.lock_customer(customer=ps_case.payee, actor=pscm, reason="PS case management")
    before = head()
    with pytest.raises(DecisionRefused) as err:
        decisions.notify(decision=decision, actor=specialist)
    assert any(
        d["field"] == f"consultations.{ps_case.payee_id}" and "notifying" in d["message"]
        for d in err.value.details
    )
    assert rows_since(before) == [("decisions.decision.notified", Outcome.REFUSED)]
    record(decision, ps_case.payee, specialist)
    assert decisions.notify(decision=decision, actor=specialist).state == State.NOTIFIED


def test_PS_12_the_case_managers_own_decision_needs_no_consultation(ps_case, pscm):
    decision = decisions.create_decision(
        case=ps_case,
        actor=pscm,
        kind="care",
        reasons="Care changed.",
        effective_on=date(2026, 12, 14),
    )
    assert mandate.consultation_problems(decision, "finalising") == []
