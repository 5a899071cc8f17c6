"""Reading decisions: through the one door for every party the decision affects, and
the explanation view that shows one customer only what concerns them (CON-17)."""

from dataclasses import dataclass

from cma.audit.services import record, record_refusal
from cma.contact.plan_selectors import PlanView, has_completed_plan, plans_queryset, statuses
from cma.contact.plans import StepKind
from cma.customers import access
from cma.errors import PermissionDenied
from cma.staff.models import User

from . import policy
from .errors import NoSuchDecision
from .models import AffectedParty, Decision, State
from .services._common import admit_parties


def decision_for(actor: User, pk: int, *, action: str, only: int | None = None) -> Decision:
    """The decision, if the actor may see every party of it; 404 audited otherwise.
    Writes no row when it lets the actor through: the operation writes its own."""
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    decision = (
        Decision.objects.select_related("case__payer", "case__payee", "decision_maker")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        missing = NoSuchDecision("no such decision", field="decision_id")
        record_refusal(
            actor=actor,
            action=action,
            error=missing,
            object_type="decisions.decision",
            object_id=str(pk),
        )
        raise missing
    admit_parties(actor, decision, action=action, only=only)
    return decision


@dataclass
class PartyStatus:
    party: AffectedParty
    role: str
    explained: bool
    completed_plan: bool
    route: PlanView | None = None

    @property
    def ready(self) -> bool:
        return self.explained or self.completed_plan


def checklist(decision: Decision) -> list[PartyStatus]:
    """Per affected customer: explained, or a completed contact-attempt plan (CMA-6)."""
    found = []
    for party in decision.parties.select_related("customer", "interaction"):
        role = "payer" if party.customer_id == decision.case.payer_id else "payee"
        plan = not party.explained and has_completed_plan(party.customer, subject=decision.subject)
        found.append(PartyStatus(party, role, party.explained, plan))
    return found


def with_routes(decision: Decision, found: list[PartyStatus]) -> list[PartyStatus]:
    """Each party's latest contact-attempt plan for this decision, derived, so the
    page can say its next step (CMA-6)."""
    for status in found:
        customer = status.party.customer
        plans = plans_queryset().filter(customer=customer, subject=decision.subject)
        views = statuses(list(plans.order_by("-created_at", "-pk")[:1]), customer)
        status.route = views[0] if views else None
    return found


def route_letter_due(status: PartyStatus) -> bool:
    route = status.route
    return bool(
        route and route.plan.closed_at is None and route.status.next_step.kind == StepKind.MX1
    )


def decision_view(actor: User, pk: int) -> tuple[Decision, list[PartyStatus]]:
    decision = decision_for(actor, pk, action="decisions.decision.viewed")
    record(
        actor=actor,
        action="decisions.decision.viewed",
        obj=decision,
        customer_id=decision.case.payer_id,
    )
    return decision, checklist(decision)


def explanation_view(actor: User, pk: int, customer_id: int) -> tuple[Decision, AffectedParty]:
    """What the officer explains to one customer: the decision and that customer's own
    explanation record, nothing of the other party (CON-17)."""
    action = "decisions.explanation.viewed"
    decision = decision_for(actor, pk, action=action, only=customer_id)
    party = (
        decision.parties.select_related("customer", "interaction")
        .filter(customer_id=customer_id)
        .first()
    )
    if party is None:
        missing = NoSuchDecision(
            "this customer is not affected by the decision", field="customer_id"
        )
        record_refusal(
            actor=actor,
            action=action,
            error=missing,
            object_type="decisions.decision",
            object_id=str(pk),
        )
        raise missing
    record(actor=actor, action=action, obj=decision, customer_id=customer_id)
    return decision, party


def awaiting_explanation(actor: User) -> list[tuple[Decision, int]]:
    """The actor's own open decisions with customers still to be explained to (or
    contacted), with how many. Masked: no customer details, so no door per row."""
    open_ones = (
        Decision.objects.filter(decision_maker=actor, state__in=(State.DRAFT, State.READY))
        .select_related("case")
        .order_by("created_at")
    )
    found = []
    for decision in open_ones:
        waiting = sum(1 for status in checklist(decision) if not status.ready)
        if waiting:
            found.append((decision, waiting))
    record(
        actor=actor,
        action="decisions.awaiting.listed",
        changes={"count": len(found)},
    )
    return found


def kind_name(decision: Decision) -> str:
    found = policy.kinds().get(decision.kind)
    return found.name if found else decision.kind
