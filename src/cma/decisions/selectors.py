"""Reading decisions: through the one door for every party the decision affects, and
the explanation view that shows one customer only what concerns them (CON-17)."""

from dataclasses import dataclass, field
from datetime import date

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.errors import PermissionDenied
from cma.staff.models import User

from . import policy
from .checklists import PartyStatus, checklist, party_statuses, role_of
from .errors import NoSuchDecision
from .models import AffectedParty, Decision, State
from .services._common import admit_parties

__all__ = ["PartyStatus", "checklist"]


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


def decision_view(actor: User, pk: int) -> tuple[Decision, list[PartyStatus]]:
    decision = decision_for(actor, pk, action="decisions.decision.viewed")
    record(
        actor=actor,
        action="decisions.decision.viewed",
        obj=decision,
        customer_id=decision.case.payer_id,
    )
    return decision, checklist(decision)


def explanation_view(actor: User, pk: int, customer_id: int) -> "Explanation":
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
    return explanation_of(decision, party)


@dataclass(frozen=True)
class Explanation:
    """What the officer explains to one affected customer (CON-17): the decision (its
    kind, date and documented reasons), the customer's own role and explanation record,
    and the review options. Nothing of the other party: not their contact details,
    address, opinions, comments or reactions."""

    decision: Decision
    party: AffectedParty
    kind_name: str
    role: str
    review_options: list[policy.Option]


def explanation_of(decision: Decision, party: AffectedParty) -> Explanation:
    """The CON-17 content for `party`, for the explanation screen, its API and the
    call screen's section alike. Reads no other party; neither passes the door nor
    audits (the caller has done both)."""
    return Explanation(
        decision=decision,
        party=party,
        kind_name=kind_name(decision),
        role=role_of(decision, party.customer_id),
        review_options=list(policy.review_options().values()),
    )


def to_explain_on_call(customer_id: int) -> list[Explanation]:
    """The open decisions (draft or ready) affecting this customer that were not yet
    explained to them, oldest effective date first: the call screen's section. Two
    queries whatever their number; the call screen has passed this customer's door."""
    parties = (
        AffectedParty.objects.filter(
            customer_id=customer_id,
            explained_at__isnull=True,
            decision__state__in=(State.DRAFT, State.READY),
        )
        .select_related("decision__case", "customer")
        .order_by("decision__effective_on", "decision_id")
    )
    return [explanation_of(p.decision, p) for p in parties[:LIST_LIMIT]]


# The decision maker's list: their open decisions, newest hundred at most.
LIST_LIMIT = 100
AWAITING_STATES = (State.DRAFT, State.READY, State.FINALISED)
SORTS = {"effective": "effective_on", "created": "created_at"}


@dataclass
class AwaitingRow:
    decision: Decision
    kind_name: str
    parties: list[PartyStatus] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(1 for s in self.parties if not s.ready)

    @property
    def effective_on(self) -> date:
        return self.decision.effective_on


def _awaiting_rows(
    actor: User, states: tuple[str, ...], sort: str = "effective", descending: bool = False
) -> list[AwaitingRow]:
    column = SORTS.get(sort, "effective_on")
    order = [f"-{column}", "-pk"] if descending else [column, "pk"]
    decisions = list(
        Decision.objects.filter(decision_maker=actor, state__in=states)
        .select_related("case")
        .order_by(*order)[:LIST_LIMIT]
    )
    found = party_statuses(decisions)
    kinds = policy.kinds()  # read once, not once per row
    return [
        AwaitingRow(d, kinds[d.kind].name if d.kind in kinds else d.kind, found[d.pk])
        for d in decisions
    ]


def awaiting_explanation(actor: User) -> list[tuple[Decision, int]]:
    """The actor's own decisions in draft or ready with customers still to be explained
    to (or contacted), with how many. Masked: no customer details, so no door per row."""
    rows = [
        r for r in _awaiting_rows(actor, (State.DRAFT, State.READY), sort="created") if r.waiting
    ]
    record(actor=actor, action="decisions.awaiting.listed", changes={"count": len(rows)})
    return [(r.decision, r.waiting) for r in rows]


def awaiting_page(
    actor: User, *, sort: str = "effective", descending: bool = False
) -> list[AwaitingRow]:
    """The decision maker's own decisions in draft, ready, or finalised and not yet
    notified, each with every affected customer's status by role (explained, the
    contact-attempt route's next step, or missing). A customer the actor may no longer
    see (AC-2) is shown as restricted, with no status. One audited read; a fixed
    number of queries (one per protection-flag provider for the door's list check)."""
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action="decisions.awaiting.listed", error=error)
        raise error
    rows = _awaiting_rows(actor, AWAITING_STATES, sort, descending)
    statuses = [s for r in rows for s in r.parties]
    hidden = access.hidden_from(actor, [s.party.customer for s in statuses])
    for status in statuses:
        status.hidden = status.party.customer_id in hidden
    record(
        actor=actor,
        action="decisions.awaiting.listed",
        changes={"count": len(rows), "sort": sort, "descending": descending},
    )
    return rows


def kind_name(decision: Decision) -> str:
    found = policy.kinds().get(decision.kind)
    return found.name if found else decision.kind
