"""A small, realistic office for whole-API tests: one user per role in a mainstream and
a PS team, customers with cases, children and accounts, open intrays, a lock, notes, a
stacking document, an indicator, a restricted service with a pending review, a letter
and an escalation. Everything is written through the services, as the product would."""

from dataclasses import dataclass, field
from datetime import timedelta

from cma.contact import services as contact
from cma.customers.models import agency_today
from cma.decisions import services as decisions
from cma.letters import services as letters
from cma.notes import services as notes
from cma.notes.services._common import add_months
from cma.personalised import services as ps
from cma.policy.models import BusinessArea
from cma.staff.models import Role
from cma.staff.services import issue_api_token
from cma.work import services as work
from cma.work.models import Escalation
from tests.factories import (
    AccountSummaryFactory,
    CaseFactory,
    ChildFactory,
    ContactDetailFactory,
    CustomerFactory,
    TeamFactory,
    UserFactory,
)

ROLES = [r.value for r in Role]


@dataclass
class Office:
    users: dict[str, object]
    tokens: dict[str, str]
    # Known ids by parameter name (`customer_id`, `intray_id`, ...), so that generated
    # requests can name rows that exist and get past "not found".
    ids: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, *pks: int) -> None:
        self.ids.setdefault(name, []).extend(pks)


def seed_office() -> Office:
    mainstream = BusinessArea.objects.get(code="mainstream")
    ps_area = BusinessArea.objects.get(code="personalised-services")
    team = TeamFactory(name="Mainstream Parramatta", state="NSW", business_area=mainstream)
    ps_team = TeamFactory(name="Personalised Services Adelaide", state="SA", business_area=ps_area)
    teams = {
        Role.SERVICE_OFFICER: team,
        Role.TEAM_LEADER: team,
        Role.SPECIALIST_OFFICER: team,
        Role.PS_CASE_MANAGER: ps_team,
        Role.PS_TEAM_LEADER: ps_team,
        Role.NATIONAL_MANAGER_QCC: ps_team,
        Role.AUDITOR: None,
        Role.ADMINISTRATOR: None,
    }
    users = {role.value: UserFactory(role=role, team=teams[role]) for role in Role}
    team.leader = users[Role.TEAM_LEADER]
    team.save(update_fields=["leader"])
    ps_team.leader = users[Role.PS_TEAM_LEADER]
    ps_team.save(update_fields=["leader"])
    tokens = {
        role: issue_api_token(user=user, name="schemathesis")[1] for role, user in users.items()
    }
    office = Office(users=users, tokens=tokens)

    officer = users[Role.SERVICE_OFFICER]
    leader = users[Role.TEAM_LEADER]
    pscm = users[Role.PS_CASE_MANAGER]
    pstl = users[Role.PS_TEAM_LEADER]
    today = agency_today()

    cases = []
    for i in range(3):
        case = CaseFactory(
            payer=CustomerFactory(role="payer", address_line=f"{10 + i} Example Street"),
            payee=CustomerFactory(role="payee", address_line=f"{20 + i} Sample Road"),
        )
        ChildFactory(case=case)
        AccountSummaryFactory(case=case)
        cases.append(case)
    customers = [c for case in cases for c in (case.payer, case.payee)]
    office.add("customer_id", *(c.pk for c in customers))
    office.add("case_id", *(c.pk for c in cases))
    phones = [ContactDetailFactory(customer=c, kind="mobile") for c in customers]
    office.add("contact_detail_id", *(p.pk for p in phones))

    first, second = cases[0].payer, cases[1].payer
    work.lock_customer(customer=first, actor=officer, reason="Working on the arrears")
    intrays = [
        work.create_intray(
            customer=c, type_code="general-follow-up", actor=officer, owner_user=officer
        )
        for c in customers[:4]
    ]
    overdue = work.create_intray(
        customer=second, type_code="client-call-back", actor=leader, owner_team=team
    )
    office.add("intray_id", *(i.pk for i in intrays), overdue.pk)
    escalation = Escalation.objects.create(
        intray=overdue, due_on=today - timedelta(days=1), team=team, area=mainstream, leader=leader
    )
    office.add("escalation_id", escalation.pk)

    note = notes.add_note(
        customer=first, actor=officer, subject="Call about arrears", body="Discussed options."
    )
    office.add("note_id", note.pk)
    document = notes.create_stacking_document(
        customer=first, actor=officer, heading="Arrears", first_subject="Start", first_body="x"
    )
    office.add("document_id", document.pk)
    indicator = notes.add_sensitive_indicator(
        customer=second,
        actor=officer,
        kind="security-incident",
        reason="Threats to staff",
        review_on=today + timedelta(days=30),
    )
    office.add("indicator_id", indicator.pk)
    arrangement = notes.create_restricted_service(
        customer=cases[2].payer,
        actor=pstl,
        allowed_channels=["post", "email"],
        conditions="Written contact only",
        review_due_on=add_months(today, 4),
        contact_officer=pscm,
    )
    office.add("arrangement_id", arrangement.pk)
    review = notes.propose_restriction_review(
        arrangement=arrangement,
        actor=pstl,
        outcome="continue",
        recommendation="Conduct continues",
        next_review_due_on=add_months(today, 3),
    )
    office.add("review_id", review.pk)
    letter = letters.issue_letter(
        customer=first,
        template_code="DEC-1",
        fields={
            "decision_summary": "Your child support will be $412.50 a month from 1 December.",
            "review_options": "You can ask us to review it within 28 days.",
        },
        actor=officer,
    )
    office.add("letter_id", letter.pk)
    ContactDetailFactory(customer=first, kind="mobile")
    plan = contact.create_plan(customer=first, actor=officer, purpose="explain-decision")
    office.add("plan_id", plan.pk)
    # Personalised Services (PS-1..PS-6): a referral being actioned, its plan, a
    # segment 3 decision awaiting the PS Team Leader, a reallocation request.
    referral = ps.create_referral(
        customer=second,
        actor=pstl,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Ombudsman enquiry about the assessment.",
    )
    office.add("referral_id", referral.pk)
    ps.record_step(referral=referral, actor=pscm, step="lock-primary")
    ps.record_step(
        referral=referral,
        actor=pscm,
        step="review-case-history",
        inputs={
            "reviewed": [
                "case-and-customer",
                "notepads-and-communication",
                "feedback-and-review",
                "customer-history",
            ]
        },
    )
    ps.record_step(referral=referral, actor=pscm, step="create-plan")
    ps_plan = second.ps_plans.get()
    office.add("ps_plan_id", ps_plan.pk)
    office.add("ps_issue_id", *ps_plan.issues.values_list("pk", flat=True))
    segment = ps.decide_segment(plan=ps_plan, actor=pscm, segment=3)
    office.add("segment_decision_id", segment.pk)
    reallocation = ps.request_reallocation(
        customer=second, actor=pscm, reason_code="conflict-of-interest"
    )
    office.add("reallocation_id", reallocation.pk)
    # Finalisation (PS-13..PS-17): a request awaiting the PS Team Leader.
    from cma.personalised.models import FinalisationRequest

    finalisation = FinalisationRequest.objects.create(
        plan=ps_plan,
        customer=second,
        case_manager=pscm,
        team_leader=pstl,
        basis="issues-addressed",
        exit_advice="by-phone",
        feedback="Given",
        requested_by=pscm,
    )
    office.add("finalisation_id", finalisation.pk)
    # A live call with a payee, identity confirmed: the call screen's doors (contact,
    # collection) have a real interaction and the payee's case to work on.
    payee = cases[0].payee
    call = contact.open_interaction(
        customer=payee, actor=officer, direction="inbound", channel="phone", line="seed-call"
    )
    contact.confirm_identity(
        interaction=call,
        actor=officer,
        answers={
            "full-name": payee.full_name,
            "date-of-birth": payee.date_of_birth.isoformat(),
            "crn": payee.crn,
        },
    )
    office.add("interaction_id", call.pk)
    # PS-12: a PS customer (locked to the PS case manager) affected by a specialist's
    # decision, so the mandate and consultation operations find a real decision.
    ps_customer = cases[0].payee
    work.lock_customer(customer=ps_customer, actor=pscm, reason="PS case management")
    decision = decisions.create_decision(
        case=cases[0],
        actor=users[Role.SPECIALIST_OFFICER],
        kind="change-of-assessment",
        reasons="The care arrangements changed after the review.",
        effective_on=today,
    )
    office.add("decision_id", decision.pk)
    # Personalised Services contact rows (PS-7..PS-11): a plan per PS customer.
    from tests.personalised.ps_helpers import ps_contact_rows

    for ps_customer in (cases[0].payee, cases[2].payer):
        for name, pk in ps_contact_rows(ps_customer, pscm).items():
            office.add(name, pk)
    return office
