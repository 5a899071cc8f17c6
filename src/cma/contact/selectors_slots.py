"""Reads behind the call screen's working parts: where the referral guidelines send the
call (CON-11), the live call a step is taken on, the call's contact-attempt plan
(CON-1..CON-6), a disconnected call's call-back intray, and a Team Leader's open
notifications (CON-15)."""

from django.db.models import Q

from cma.audit.services import record, record_refusal
from cma.errors import DomainError
from cma.staff.models import User
from cma.work.models import LIVE_STATUSES, Intray
from cma.work.routing import issue_kinds

from . import selectors
from .errors import IdentityNotConfirmed, InteractionEnded, NoSuchPlan, NotYourInteraction
from .models import ContactPlan, Interaction, Notification
from .plan_selectors import LIST_LIMIT, PlanView, plan_for, plans_queryset, statuses
from .selectors_pages import admission
from .services.transfers import Destination, destination


def live_call_for(actor: User, pk: int, *, action: str) -> Interaction:
    """The interaction, if `actor` is the officer on it and it is still open: for a
    step whose service does not take the call itself (an SMS, the guidelines' advice).
    Out of scope is 404 and an ended or someone else's call a refusal, each audited."""
    interaction = selectors.interaction_for(actor, pk, action=action)
    error: DomainError | None = None
    if interaction.officer_id != actor.pk:
        error = NotYourInteraction("only the officer on this call may act on it")
    elif not interaction.is_open:
        error = InteractionEnded(f"interaction {interaction.receipt} has ended")
    if error is not None:
        record_refusal(actor=actor, action=action, error=error, customer_id=interaction.customer_id)
        raise error
    return interaction


def transfer_advice(actor: User, interaction: Interaction, issue: str) -> Destination:
    """Where the referral guidelines send this call for `issue`, with the rule and its
    reason; one audit row. It tells who holds the customer, so an attested call waits
    for the caller's identity (the officer has not yet passed the one door)."""
    action = "contact.transfer.advised"
    if not admission(actor, interaction).admitted:
        error = IdentityNotConfirmed(
            "CON-9: confirm the caller's identity before the guidelines' advice for this "
            "customer is shown",
            field="issue",
        )
        record_refusal(actor=actor, action=action, error=error, customer_id=interaction.customer_id)
        raise error
    try:
        found = destination(interaction, actor, issue)
    except DomainError as exc:
        record_refusal(actor=actor, action=action, error=exc, customer_id=interaction.customer_id)
        raise
    record(
        actor=actor,
        action=action,
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"issue": issue, "rule": found.rule},
    )
    return found


def advised_area(actor: User, interaction: Interaction, issue: str) -> str | None:
    """The business area the guidelines send `issue` to, for a transfer "to the area
    they advise". When they send it to someone (the owning officer), the issue's own
    area: the transfer then refuses, naming who and the rule. No audit row: the
    transfer is the operation's row."""
    try:
        found = destination(interaction, actor, issue)
    except DomainError:
        return None  # the transfer refuses the issue, naming it
    if found.area is not None:
        return found.area.code
    kind = next((k for k in issue_kinds() if k.code == issue), None)
    return kind.area.code if kind is not None and kind.area is not None else None


def call_back_intray(interaction: Interaction) -> Intray | None:
    """The "call back now" intray a disconnected call made for its officer."""
    if not interaction.call_back_required:
        return None
    return (
        Intray.objects.filter(
            customer_id=interaction.customer_id,
            type__code="call-back-now",
            owner_user_id=interaction.officer_id,
            status__in=LIVE_STATUSES,
        )
        .order_by("-pk")
        .first()
    )


def open_notification_count(actor: User) -> int:
    """For the navigation: how many of the leader's notifications wait (no audit: a
    count of their own, naming nothing)."""
    return Notification.objects.filter(leader_id=actor.pk, acknowledged_at=None).count()


def call_plans(interaction: Interaction) -> list[PlanView]:
    """The customer's open plans, and the call's own plan and those of its purpose
    whatever their state, each derived (no audit: the call screen's read is the row)."""
    mine = Q(pk=interaction.plan_id or 0)
    if interaction.purpose:
        mine |= Q(purpose=interaction.purpose)
    plans = list(
        plans_queryset()
        .filter(Q(closed_at=None) | mine, customer=interaction.customer)
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )
    return statuses(plans, interaction.customer)


def plan_of_call(interaction: Interaction, views: list[PlanView]) -> PlanView | None:
    """The plan this call is an attempt of: the one it was recorded on, else the open
    plan for the call's purpose, else its latest. A call without a purpose, once the
    caller's identity is confirmed, takes the customer's latest open plan."""
    if interaction.plan_id:
        found = next((v for v in views if v.plan.pk == interaction.plan_id), None)
        if found is not None:
            return found
    if interaction.purpose:
        same = [v for v in views if v.plan.purpose == interaction.purpose]
        return next((v for v in same if v.plan.closed_at is None), same[0] if same else None)
    if interaction.confirmed:
        return next((v for v in views if v.plan.closed_at is None), None)
    return None


def plan_on_call(
    actor: User, interaction: Interaction, plan_id: int, *, action: str
) -> ContactPlan:
    """A plan of the call's customer, for a step taken on the call; another customer's
    is "not found", audited."""
    plan = plan_for(actor, plan_id, action=action)
    if plan.customer_id != interaction.customer_id:
        error = NoSuchPlan("no such contact plan for this call's customer", field="plan_id")
        record_refusal(actor=actor, action=action, error=error, customer_id=interaction.customer_id)
        raise error
    return plan
