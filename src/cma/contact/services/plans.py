"""Contact-attempt plans (CON-1..CON-6): create a plan, issue its letter (MX0-1
instead of the first call, or MX1-1 when attempts failed), cancel it. Attempts are
recorded in `attempts.py`.

After each write the plan is derived again (`cma.contact.plans.derive`) and its
`state` and `next_due_at` stored, so lists and the sweep read them without deriving.
A live "contact attempt due" intray of the plan is completed by the write that makes
its step no longer due (when the actor may complete it)."""

import re
from typing import Any

from django.utils import timezone

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import PermissionDenied
from cma.letters.models import Letter
from cma.letters.services import issue_letter
from cma.notes.services import add_note
from cma.policy.services import letter_template
from cma.staff.models import User
from cma.work.models import LIVE_STATUSES
from cma.work.services import complete_intray

from .. import policy
from ..errors import PlanClosed, PlanExists, PlanRefused
from ..models import (
    AttemptOutcome,
    ContactAttempt,
    ContactPlan,
    PlanState,
)
from ..needs import callable_now
from ..plan_selectors import plans_queryset, statuses
from ..plans import MX0, MX1, PlanStatus, mx0_problems, mx1_problems
from ._common import audited

SUBJECT = re.compile(r"^[a-z0-9][a-z0-9:._-]{0,59}$")
REASON_MAX = 300
Problems = list[tuple[str | None, str]]


def require_contact(actor: User) -> None:
    if not actor.has_perm("contact.plan_contact"):
        raise PermissionDenied("your role does not contact customers")


def locked_plan(plan: ContactPlan) -> ContactPlan:
    """The plan under its row lock: writes to one plan happen one at a time."""
    return (
        ContactPlan.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=plan.pk)
    )


def restate(plan: ContactPlan, actor: User) -> tuple[ContactPlan, PlanStatus]:
    """Derive the plan again and store what lists and the sweep read."""
    now = timezone.now()
    fresh = plans_queryset().select_related("customer").get(pk=plan.pk)
    status = statuses([fresh], fresh.customer, now)[0].status
    fresh.state = status.state
    fresh.next_due_at = status.next_due_at
    fresh.closed_at = (fresh.closed_at or now) if status.closed else None
    fresh.save(update_fields=["state", "next_due_at", "closed_at"])
    _settle_step(fresh, actor, status, now)
    return fresh, status


def _settle_step(plan: ContactPlan, actor: User, status: PlanStatus, now: Any) -> None:
    """Complete the plan's live step intray once its step is no longer due."""
    intray = plan.step_intray
    if intray is None or intray.status not in LIVE_STATUSES:
        return
    if not status.closed and status.next_due_at is not None and status.next_due_at <= now:
        return  # something is still due now: the intray stays with its owner
    if not actor.has_perm("work.work_intray", intray):
        return
    outcome = (
        f"Contact plan {plan.pk} closed: {plan.get_state_display().lower()}"
        if status.closed
        else f"Contact plan {plan.pk}: the due step was recorded"
    )
    with as_step():
        complete_intray(intray=intray, actor=actor, outcome=outcome)


def audit_changes(plan: ContactPlan, status: PlanStatus, **extra: Any) -> dict[str, Any]:
    due = plan.next_due_at.isoformat() if plan.next_due_at else None
    return {
        "plan": plan.pk,
        **extra,
        "state": status.state,
        "next_step": status.next_step.kind,
        "next_due_at": due,
    }


@audited("contact.plan.created")
def create_plan(
    *,
    customer: Customer,
    actor: User,
    purpose: str,
    case: Case | None = None,
    subject: str = "",
    employer_non_compliant: bool = False,
) -> ContactPlan:
    """Start the attempts owed for one outbound purpose; the first call is due now."""
    require_contact(actor)
    access.admit(actor, customer, action="contact.plan.created")
    problems: Problems = []
    purposes = policy.purposes()
    found = purposes.get(purpose) if isinstance(purpose, str) else None
    if found is None:
        problems.append(
            ("purpose", f"unknown contact purpose; choose one of: {', '.join(sorted(purposes))}")
        )
    if case is not None and customer.pk not in (case.payer_id, case.payee_id):
        problems.append(("case_id", "that case does not belong to this customer"))
    if not isinstance(subject, str) or (subject and not SUBJECT.match(subject)):
        problems.append(
            ("subject", "a subject is a short code such as decision:12 (a-z, 0-9, : . _ -)")
        )
    if not isinstance(employer_non_compliant, bool):
        problems.append(("employer_non_compliant", "say true or false"))
    if problems:
        raise PlanRefused.from_problems("the contact plan cannot be created", problems)
    assert found is not None
    open_already = ContactPlan.objects.filter(
        customer=customer, purpose=purpose, subject=subject, closed_at=None
    ).first()
    if open_already is not None:
        raise PlanExists(
            f"contact plan {open_already.pk} for this purpose is still open; record its "
            "attempts instead of starting another",
            field="purpose",
        )
    plan = ContactPlan.objects.create(
        customer=customer,
        case=case,
        purpose=purpose,
        subject=subject,
        owner=actor,
        additional_attempts=found.additional_attempts,
        employer_non_compliant=employer_non_compliant,
    )
    plan, status = restate(plan, actor)
    record(
        actor=actor,
        action="contact.plan.created",
        obj=plan,
        customer_id=customer.pk,
        changes=audit_changes(
            plan,
            status,
            purpose=purpose,
            subject=subject,
            case=case.pk if case else None,
            additional_attempts=plan.additional_attempts,
            employer_non_compliant=employer_non_compliant,
        ),
    )
    return plan


@audited("contact.plan.letter_issued")
def issue_plan_letter(*, plan: ContactPlan, actor: User, template: str) -> Letter:
    """Issue the plan's letter through letters: MX0-1 in place of the first call for
    an overseas customer outside their callable hours (CON-2), or MX1-1 with the
    purpose's pre-approved reason and request type once the attempts failed (CON-4),
    never while an employer has not complied with a notice."""
    require_contact(actor)
    current = locked_plan(plan)
    customer = current.customer
    access.admit(actor, customer, action="contact.plan.letter_issued")
    if current.state != PlanState.OPEN:
        raise PlanClosed(f"this contact plan is {current.get_state_display().lower()}")
    loaded = plans_queryset().get(pk=current.pk)
    status = statuses([loaded], customer)[0].status
    if template == MX1:
        messages = mx1_problems(loaded, status)
    elif template == MX0:
        messages = mx0_problems(loaded, status, callable_now=callable_now(customer))
    else:
        messages = [f"a contact plan issues {MX0} or {MX1}"]
    if messages:
        raise PlanRefused.from_problems(
            f"{template if template in (MX0, MX1) else 'the letter'} cannot be issued",
            [("template", m) for m in messages],
        )
    purpose = policy.purpose(current.purpose)
    # MX0-1's reason is free text; the plan gives it MX1-1's pre-approved wording.
    reason = purpose.mx1_reason
    fields = {"reason": reason, "request_type": purpose.mx1_request_type}
    if template == MX0:
        fields = {"reason": letter_template(MX1).reasons.get(reason, reason)}
    with as_step():
        letter = issue_letter(
            customer=customer,
            template_code=template,
            fields=fields,
            actor=actor,
            employer_notice_outstanding=False if template == MX1 else None,
        )
    if template == MX0:
        ContactAttempt.objects.create(
            plan=current,
            customer=customer,
            officer=actor,
            channel="",  # a letter, not a channel of contact attempts
            outcome=AttemptOutcome.LETTER_ISSUED,
        )
    current.letter = letter
    current.save(update_fields=["letter"])
    current, status = restate(current, actor)
    record(
        actor=actor,
        action="contact.plan.letter_issued",
        obj=current,
        customer_id=customer.pk,
        changes=audit_changes(
            current,
            status,
            template=template,
            letter=letter.pk,
            response_due_on=str(letter.response_due_on or ""),
        ),
    )
    return letter


@audited("contact.plan.cancelled")
def cancel_plan(*, plan: ContactPlan, actor: User, reason: str) -> ContactPlan:
    """Stop a plan that is no longer needed. The reason goes on the customer's
    notepad (DOC-1), checked for personal information (DOC-3); the audit row names
    the note, never the text."""
    require_contact(actor)
    current = locked_plan(plan)
    customer = current.customer
    access.admit(actor, customer, action="contact.plan.cancelled")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REASON_MAX:
        raise PlanRefused.from_problems(
            "the contact plan cannot be cancelled",
            [("reason", f"say why the plan is cancelled (at most {REASON_MAX} characters)")],
        )
    if current.closed_at is not None:
        raise PlanClosed(f"this contact plan is {current.get_state_display().lower()}")
    with as_step():
        note = add_note(
            customer=customer,
            actor=actor,
            subject=f"Contact attempt plan {current.pk} cancelled",
            body=reason,
            case=current.case,
        )
    current.state = PlanState.CANCELLED
    current.save(update_fields=["state"])
    current, status = restate(current, actor)
    record(
        actor=actor,
        action="contact.plan.cancelled",
        obj=current,
        customer_id=customer.pk,
        reason="cancelled with reason",
        changes=audit_changes(current, status, note=note.pk),
    )
    return current
