"""Rows of the PS core (referral with its intray, plan with the five mandatory issues,
the PS stacking document) for the contact/letters/face-to-face tests. Written with the
ORM and lower services while the core services (referrals, plans) are built on another
branch; at merge they switch to `personalised.services.referrals/plans`."""

from datetime import timedelta

from django.utils import timezone

from cma.customers.models import agency_today
from cma.notes import services as notes
from cma.personalised import contact_policy
from cma.personalised.models import PsIssue, PsPlan, Referral
from cma.policy.services import parameter
from cma.staff.models import Role
from cma.work import services as work
from tests.factories import CustomerFactory, UserFactory


def ps_plan(
    case_manager, customer=None, *, segment=None, with_referral=True, stacking=True, due_in=21
):
    """A draft plan for `customer` managed by `case_manager`, with its five mandatory
    issues (recorded), a Complaints referral to PS whose intray the case manager owns,
    and the PS stacking document ("PS referral" first)."""
    customer = customer or CustomerFactory()
    referral = None
    if with_referral:
        intray = work.create_intray(
            customer=customer,
            type_code="complaints-referral-to-ps",
            actor=case_manager,
            owner_user=case_manager,
            note="Step 3 complaint about the assessment",
        )
        referral = Referral.objects.create(
            kind="complaints-referral-to-ps",
            intray=intray,
            source="step-3-complaint",
            reason="Step 3 complaint about the assessment",
            primary_customer=customer,
            referred_by=case_manager,
            due_on=intray.due_on,
            case_manager=case_manager,
            state="actioning",
        )
    today = agency_today()
    plan = PsPlan.objects.create(
        customer=customer,
        referral=referral,
        case_manager=case_manager,
        referred_on=today - timedelta(days=21 - due_in),
        due_on=today + timedelta(days=due_in),
        segment=segment,
        referral_source="step-3-complaint",
        main_issue="Disputes the assessment",
        created_by=case_manager,
        created_at=timezone.now() - timedelta(minutes=5),
    )
    for position, issue in enumerate(parameter("ps-mandatory-issues")):
        PsIssue.objects.create(
            plan=plan,
            title=issue["title"],
            classification=issue["classification"],
            mandatory=True,
            mandatory_code=issue["code"],
            position=position,
            created_by=case_manager,
        )
    if stacking:
        document = notes.create_stacking_document(
            customer=customer,
            actor=case_manager,
            purpose="ps",
            referral_reason="Step 3 complaint about the assessment",
        )
        plan.stacking_document = document
        plan.stacking_created_on = agency_today()
        plan.stacking_location = "Communication: PS stacking document"
        plan.save(update_fields=["stacking_document", "stacking_created_on", "stacking_location"])
    return plan


def all_items() -> list[str]:
    return [i.code for i in contact_policy.first_contact_items()]


def ps_users():
    return (
        UserFactory(role=Role.PS_CASE_MANAGER),
        UserFactory(role=Role.PS_TEAM_LEADER),
    )


def soon(days=2):
    return timezone.now() + timedelta(days=days)


def ps_contact_rows(customer, manager, plan=None) -> dict[str, int]:
    """For the door walk: a plan with a first contact, a meeting request, a UQ140.01
    skip request and an option, written with the ORM (the customer may be restricted
    to post, which the services rightly check before any contact)."""
    from cma.personalised.models import FaceToFace, FirstContact, LetterSkip, PlanOption

    plan = plan or ps_plan(manager, customer, segment=1)
    contact = FirstContact.objects.create(
        plan=plan, customer=customer, restricted_check_done=True, recorded_by=manager
    )
    meeting = FaceToFace.objects.create(
        plan=plan, customer=customer, requested_by=manager, reason="Barrier"
    )
    skip = LetterSkip.objects.create(plan=plan, segment=1, reason="Simple", requested_by=manager)
    option = PlanOption.objects.create(
        plan=plan, kind="publication", description="Guide", recorded_by=manager
    )
    return {
        "ps_plan_id": plan.pk,
        "first_contact_id": contact.pk,
        "meeting_id": meeting.pk,
        "skip_id": skip.pk,
        "option_id": option.pk,
    }
