"""Demo Personalised Services contact (PS-7..PS-11): a plan for the CRG-referred
customer (22) managed by Priya (pscm), its first contact under way, and a plan for a
second customer with a face-to-face request and a UQ140.01 skip waiting for Paul
(pstl). The plans are written here with the ORM until the PS core's demo step makes
them (the lead switches this to the core services at merge). Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cma.customers.models import Customer, agency_today
from cma.demo.core import _crn
from cma.personalised.models import PsIssue, PsPlan
from cma.personalised.services import face_to_face, first_contact, ps_letters
from cma.policy.services import parameter

PS_CUSTOMER, SECOND = 22, 23


def _plan(customer: Customer, manager, segment: int | None, due_in: int) -> PsPlan:
    today = agency_today()
    plan = PsPlan.objects.create(
        customer=customer,
        case_manager=manager,
        referred_on=today - timedelta(days=21 - due_in),
        due_on=today + timedelta(days=due_in),
        segment=segment,
        referral_source="crg",
        main_issue="Escalating complexity",
        created_by=manager,
        created_at=timezone.now() - timedelta(days=1),
    )
    for position, issue in enumerate(parameter("ps-mandatory-issues")):
        PsIssue.objects.create(
            plan=plan,
            title=issue["title"],
            classification=issue["classification"],
            mandatory=True,
            mandatory_code=issue["code"],
            position=position,
            created_by=manager,
        )
    return plan


def load_ps_contact() -> None:
    users = get_user_model().objects
    manager = users.filter(username="pscm").first()
    if manager is None or PsPlan.objects.exists():
        return
    first = Customer.objects.filter(crn=_crn(PS_CUSTOMER)).first()
    second = Customer.objects.filter(crn=_crn(SECOND)).first()
    if first is None or second is None:
        return
    plan = _plan(first, manager, None, 9)
    contact, _ = first_contact.start_first_contact(plan=plan, actor=manager, channel="phone")
    first_contact.record_discussion(
        first_contact=contact,
        actor=manager,
        items_done=["introduction", "confirm-issues", "income-correct"],
    )
    other = _plan(second, manager, 1, -2)
    face_to_face.request_face_to_face(
        plan=other,
        actor=manager,
        reason="Complex issues; phone contact has not worked",
        security_risks=True,
        security_risk_notes="Raised voice at the counter last year",
    )
    ps_letters.request_letter_skip(
        plan=other, actor=manager, reason="A single straightforward issue"
    )
