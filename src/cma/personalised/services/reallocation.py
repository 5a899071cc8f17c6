"""Reallocation (PS-3): the case manager asks with a reason; the PS Team Leader
decides and names the receiving team; the receiving PS Team Leader locks and assigns
the customer to one of their case managers, which raises a Customer Assigned to PS
intray (7 working days). Every step is a notepad in the PS stacking document."""

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import Customer
from cma.staff.models import Role, Team, User
from cma.work.models import CustomerLock
from cma.work.services import create_intray, lock_customer, transfer_lock

from .. import policy
from ..models import Reallocation, ReallocationState, Referral, ReferralState
from ._common import (
    Problems,
    activity,
    audited,
    check_text,
    now,
    refuse,
    stacking_note,
    text_problem,
)
from .actioning import open_plan
from .plans import save_version


def _locked(reallocation: Reallocation, actor: User, action: str) -> Reallocation:
    current = (
        Reallocation.objects.select_for_update(of=("self",))
        .select_related("customer", "receiving_team", "referral", "plan")
        .get(pk=reallocation.pk)
    )
    access.admit(actor, current.customer, action=action)
    return current


@audited("personalised.reallocation.requested")
def request_reallocation(
    *, customer: Customer, actor: User, reason_code: str, reason: str = ""
) -> Reallocation:
    """The customer's case manager asks the PS Team Leader to reallocate (PS-3)."""
    access.admit(actor, customer, action="personalised.reallocation.requested")
    plan = open_plan(customer)
    referral = (
        Referral.objects.filter(primary_customer=customer)
        .exclude(state=ReferralState.CLOSED)
        .order_by("-referred_at")
        .first()
    )
    manager_id = plan.case_manager_id if plan else (referral.case_manager_id if referral else None)
    problems: Problems = []
    if manager_id is None:
        problems.append((None, "this customer is not managed in Personalised Services"))
    elif manager_id != actor.pk:
        problems.append((None, "PS-3: the customer's case manager asks for a reallocation"))
    reasons = policy.reallocation_reasons()
    found = reasons.get(reason_code)
    if found is None:
        problems.append(("reason_code", f"choose a reason: {', '.join(reasons)}"))
    problem = text_problem(
        reason, "reason", max_length=2000, required=bool(found and found.extra.get("needs_text"))
    )
    if problem:
        problems.append(("reason", f"explain the reason: {problem}"))
    if Reallocation.objects.filter(
        customer=customer, state__in=[ReallocationState.REQUESTED, ReallocationState.APPROVED]
    ).exists():
        problems.append((None, "a reallocation of this customer is already under way"))
    refuse("the reallocation cannot be requested", problems)
    check_text({"reason": reason}, customer)
    row = Reallocation.objects.create(
        customer=customer,
        referral=referral,
        plan=plan,
        requested_by=actor,
        reason_code=reason_code,
        reason=reason.strip(),
    )
    assert found is not None
    stacking_note(customer, actor, "Reallocation request", f"Reallocation requested: {found.name}.")
    record(
        actor=actor,
        action="personalised.reallocation.requested",
        obj=row,
        customer_id=customer.pk,
        changes={"reason_code": reason_code},
    )
    return row


@audited("personalised.reallocation.decided")
def decide_reallocation(
    *,
    reallocation: Reallocation,
    actor: User,
    approve: bool,
    receiving_team: Team | None = None,
    comment: str = "",
) -> Reallocation:
    """The PS Team Leader approves (naming the receiving PS team) or declines."""
    current = _locked(reallocation, actor, "personalised.reallocation.decided")
    problems: Problems = []
    if actor.role != Role.PS_TEAM_LEADER:
        problems.append((None, "PS-3: a PS Team Leader decides a reallocation"))
    if current.state != ReallocationState.REQUESTED:
        problems.append(("state", f"the request is {current.get_state_display().lower()}"))
    if approve:
        if receiving_team is None:
            problems.append(("receiving_team_id", "name the receiving PS team"))
        elif receiving_team.leader is None or receiving_team.leader.role != Role.PS_TEAM_LEADER:
            problems.append(("receiving_team_id", "the receiving team has no PS Team Leader"))
    problem = text_problem(comment, "comment", max_length=2000, required=not approve)
    if problem:
        problems.append(("comment", f"say why: {problem}"))
    refuse("the reallocation cannot be decided", problems)
    check_text({"comment": comment}, current.customer)
    current.state = ReallocationState.APPROVED if approve else ReallocationState.DECLINED
    current.outcome = "approved" if approve else "declined"
    current.decided_by, current.decided_at = actor, now()
    current.decision_comment = comment.strip()
    current.receiving_team = receiving_team if approve else None
    current.save()
    if approve and receiving_team is not None:
        # "The PS Team Leader reallocates the customer": the lock moves to the
        # receiving team, whose PS Team Leader then assigns it (seed 003).
        lock = CustomerLock.objects.filter(customer=current.customer, released_at=None).first()
        if lock is not None and lock.owner_team_id != receiving_team.pk:
            with as_step():
                transfer_lock(
                    customer=current.customer,
                    actor=actor,
                    reason="Reallocated in Personalised Services",
                    owner_team=receiving_team,
                )
    team = f" to {receiving_team.name}" if approve and receiving_team else ""
    stacking_note(
        current.customer,
        actor,
        "Reallocation decision",
        f"Reallocation {current.outcome}{team} by the PS Team Leader.",
    )
    record(
        actor=actor,
        action="personalised.reallocation.decided",
        obj=current,
        customer_id=current.customer_id,
        changes={
            "outcome": current.outcome,
            "team": receiving_team.pk if approve and receiving_team else None,
        },
    )
    return current


@audited("personalised.reallocation.assigned")
def assign_reallocated(
    *, reallocation: Reallocation, actor: User, case_manager: User
) -> Reallocation:
    """The receiving PS Team Leader locks and assigns the customer to one of their case
    managers; a Customer Assigned to PS intray is raised for them, due in its service
    level (7 working days), carried by a new referral to action (PS-3)."""
    current = _locked(reallocation, actor, "personalised.reallocation.assigned")
    team = current.receiving_team
    problems: Problems = []
    if current.state != ReallocationState.APPROVED:
        problems.append(("state", f"the request is {current.get_state_display().lower()}"))
    if team is None or team.leader_id != actor.pk:
        problems.append((None, "PS-3: the receiving PS Team Leader assigns the customer"))
    if case_manager.role != Role.PS_CASE_MANAGER or not case_manager.is_active:
        problems.append(("case_manager_id", "choose an active PS case manager"))
    elif team is not None and case_manager.team_id != team.pk:
        problems.append(("case_manager_id", "the case manager is not in the receiving team"))
    refuse("the customer cannot be assigned", problems)
    customer = current.customer
    reason = "Reallocated in Personalised Services"
    with as_step():
        lock = CustomerLock.objects.filter(customer=customer, released_at=None).first()
        if lock is None:
            lock_customer(customer=customer, actor=actor, reason=reason, owner_user=case_manager)
        elif lock.owner_user_id != case_manager.pk:
            transfer_lock(customer=customer, actor=actor, reason=reason, owner_user=case_manager)
        kind = policy.reallocation_intray()
        intray = create_intray(
            customer=customer,
            type_code=kind,
            actor=actor,
            owner_user=case_manager,
            note="Customer reallocated in Personalised Services: action the referral.",
        )
    old = current.referral
    if old is not None and old.state in (
        ReferralState.RECEIVED,
        ReferralState.ACTIONING,
        ReferralState.ACTIONED,
    ):
        old.state = ReferralState.REALLOCATED
        old.save(update_fields=["state"])
    Referral.objects.create(
        kind=kind,
        intray=intray,
        source="reallocation",
        reason=old.reason if old is not None else "Reallocated in Personalised Services",
        primary_customer=customer,
        associated_customer=old.associated_customer if old else None,
        associated_contact_required=old.associated_contact_required if old else False,
        case=old.case if old else None,
        referred_by=actor,
        due_on=intray.due_on,
        case_manager=case_manager,
        from_reallocation=current,
    )
    plan = open_plan(customer)
    if plan is not None and plan.case_manager_id != case_manager.pk:
        plan.case_manager = case_manager
        plan.save(update_fields=["case_manager"])
        save_version(plan, actor, "reallocated to another case manager")
    current.state = ReallocationState.ASSIGNED
    current.receiving_case_manager = case_manager
    current.assigned_by, current.assigned_at = actor, now()
    current.assigned_intray = intray
    current.save()
    activity(
        customer=customer,
        kind="reallocated",
        actor=actor,
        plan=plan,
        case_manager=case_manager,
        reason_code=current.reason_code,
        team=team.pk if team else None,
    )
    stacking_note(
        customer,
        actor,
        "Customer reallocated",
        "Locked and assigned to the receiving case manager.",
    )
    record(
        actor=actor,
        action="personalised.reallocation.assigned",
        obj=current,
        customer_id=customer.pk,
        changes={
            "case_manager": case_manager.pk,
            "intray": intray.pk,
            "due_on": intray.due_on.isoformat(),
        },
    )
    return current
