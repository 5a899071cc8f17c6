"""Demo Personalised Services (PS-1..PS-6): one customer at each stage of part 1 — a
referral received, a checklist part-way, a referral actioned with its plan being
completed, a segment 3 awaiting the PS Team Leader, an approved plan, and a
reallocation requested. Idempotent: skipped once any referral exists."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from cma.customers import access
from cma.customers.models import Customer, agency_today
from cma.personalised import services
from cma.personalised.models import PsPlan, Referral
from cma.personalised.services.actioning import applicable_steps
from cma.work.models import CustomerLock

REVIEWED = [
    "case-and-customer",
    "notepads-and-communication",
    "feedback-and-review",
    "customer-history",
]
STAGES = ["received", "part-way", "plan-draft", "segment-3-pending", "approved", "reallocation"]


def _customers(officer, wanted: int) -> list[Customer]:
    locked = CustomerLock.objects.filter(customer=OuterRef("pk"), released_at=None)
    found = []
    for customer in (
        Customer.objects.filter(country="AU", role="payer")
        .exclude(Exists(locked))
        .order_by("pk")[:200]
    ):
        if access.can_see(officer, customer):
            found.append(customer)
        if len(found) == wanted:
            break
    return found


def _steps(referral: Referral, pscm, *, upto: str | None, segment: int) -> None:
    for step in applicable_steps(referral):
        if step.code == upto:
            return
        inputs: dict = {}
        if step.code == "review-case-history":
            inputs = {"reviewed": REVIEWED}
        elif step.code == "complete-case-review":
            inputs = {"text": "Reviewed assessments, notepads and the complaint history."}
        elif step.code == "record-segment-source-reason":
            plan = PsPlan.objects.get(customer=referral.primary_customer_id, state="draft")
            services.decide_segment(plan=plan, actor=pscm, segment=segment)
            inputs = {"main_reason": "assessment"}
        services.record_step(referral=referral, actor=pscm, step=step.code, inputs=inputs)


def agree_and_approve(plan: PsPlan, pscm) -> None:
    """Record what the approval needs from the contact (PS-8), then approve (PS-4)."""
    services.update_plan(
        plan=plan,
        actor=pscm,
        customer_view="Wants the assessment changes explained.",
        agreed_actions="Review the last three assessments and call back.",
        agreed_contact_times="Weekday mornings.",
    )
    services.approve_plan(plan=plan, actor=pscm)


def load_personalised() -> int:
    if Referral.objects.exists():
        return 0
    users = get_user_model().objects
    leader, pscm, pstl = (users.filter(username=n).first() for n in ("teamleader", "pscm", "pstl"))
    if leader is None or pscm is None or pstl is None:
        return 0
    made = 0
    for stage, customer in zip(STAGES, _customers(leader, len(STAGES)), strict=False):
        referral = services.create_referral(
            customer=customer,
            actor=leader,
            kind="ps-referral-tl-only",
            source="ombudsman" if stage != "approved" else "proactive",
            reason="Escalated enquiry about repeated assessment changes.",
        )
        made += 1
        if stage == "received":
            continue
        if stage == "part-way":
            _steps(referral, pscm, upto="complete-case-review", segment=2)
            continue
        if stage == "segment-3-pending":
            _steps(referral, pscm, upto="record-segment-source-reason", segment=3)
            plan = PsPlan.objects.get(customer=customer, state="draft")
            services.decide_segment(plan=plan, actor=pscm, segment=3)
            # Held up awaiting the PS Team Leader: the demo's one overdue plan (PS-4).
            today = agency_today()
            PsPlan.objects.filter(pk=plan.pk).update(
                referred_on=today - timedelta(days=23), due_on=today - timedelta(days=2)
            )
            continue
        _steps(referral, pscm, upto=None, segment=1 if stage == "approved" else 2)
        plan = PsPlan.objects.get(customer=customer, state="draft")
        if stage == "approved":
            issue = plan.issues.first()
            services.change_issue_status(
                issue=issue, actor=pscm, status="confirmed", comment="Discussed on the first call."
            )
            agree_and_approve(plan, pscm)
        if stage == "reallocation":
            services.request_reallocation(
                customer=customer, actor=pscm, reason_code="interstate-face-to-face"
            )
    return made
