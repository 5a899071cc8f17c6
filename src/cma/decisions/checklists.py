"""Each affected customer's CMA-6 status for many decisions at once: explained in a
recorded interaction, or the contact-attempt route for the decision (its latest plan,
derived, with its next step) and whether a plan completed without reaching them.

A fixed number of queries whatever the number of decisions, parties, explanations,
plans or attempts: the parties with their customers and interactions, the customers'
numbers, the plans for the decisions' subjects and their attempts. Nothing here
audits or passes the door: the selectors that call it have done both."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import prefetch_related_objects
from django.utils import timezone

from cma.contact import policy as contact_policy
from cma.contact.models import ContactPlan, PlanState
from cma.contact.needs import local_time
from cma.contact.plan_selectors import PlanView, plans_queryset
from cma.contact.plans import StepKind, derive
from cma.contact.policy import AttemptRules
from cma.customers.models import Customer

from .models import AffectedParty, Decision

# A plan that made every required attempt without reaching the customer (seed 001
# Table 15), as `cma.contact.plan_selectors.has_completed_plan` counts it.
COMPLETED = (PlanState.LETTER_ISSUED, PlanState.UNSUCCESSFUL)
LETTER_STEPS = (StepKind.MX1,)


@dataclass
class PartyStatus:
    party: AffectedParty
    role: str
    explained: bool
    completed_plan: bool
    route: PlanView | None = None
    hidden: bool = False  # set by a list for a customer the reader may not see now

    @property
    def ready(self) -> bool:
        return self.explained or self.completed_plan

    @property
    def letter_due(self) -> bool:
        """The route's next step is its MX1-1 letter (every call failed, CON-4)."""
        route = self.route
        return bool(
            route and route.plan.closed_at is None and route.status.next_step.kind in LETTER_STEPS
        )

    @property
    def state(self) -> str:
        """One word for lists: explained, contacted (route completed), route, missing."""
        if self.explained:
            return "explained"
        if self.completed_plan:
            return "completed"
        if self.route is not None and self.route.plan.closed_at is None:
            return "route"
        return "missing"


def role_of(decision: Decision, customer_id: int) -> str:
    return "payer" if customer_id == decision.case.payer_id else "payee"


def _plans(parties: list[AffectedParty], subjects: dict[int, str]) -> list[ContactPlan]:
    if not parties:
        return []
    return list(
        plans_queryset()
        .filter(
            subject__in=set(subjects.values()),
            customer_id__in={p.customer_id for p in parties},
        )
        .order_by("-created_at", "-pk")
    )


class _Derive:
    """`cma.contact.plan_selectors.statuses` for many customers: the policy values
    (attempt rules, purposes, call hours) read once, not once per customer."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rules: AttemptRules = contact_policy.attempt_rules()
        self.purposes = contact_policy.purposes()
        self.hours = (
            time.fromisoformat(self.rules.call_start),
            time.fromisoformat(self.rules.call_end),
        )

    def __call__(self, plan: ContactPlan, customer: Customer) -> PlanView:
        plan.customer = customer
        start, end = self.hours
        callable_now = start <= local_time(customer, self.now).time() < end
        status = derive(
            plan,
            rules=self.rules,
            purpose=self.purposes.get(plan.purpose),
            now=self.now,
            callable_now=callable_now,
        )
        return PlanView(plan, status)


def party_statuses(decisions: Iterable[Decision]) -> dict[int, list[PartyStatus]]:
    """decision id -> its parties' statuses, in party order. The decisions need their
    case loaded (`select_related("case")`)."""
    by_id = {d.pk: d for d in decisions}
    found: dict[int, list[PartyStatus]] = {pk: [] for pk in by_id}
    if not by_id:
        return found
    parties = list(
        AffectedParty.objects.filter(decision_id__in=by_id)
        .select_related("customer", "interaction")
        .order_by("decision_id", "pk")
    )
    prefetch_related_objects([p.customer for p in parties], "phones")
    subjects = {pk: d.subject for pk, d in by_id.items()}
    plans: dict[tuple[int, str], list[ContactPlan]] = defaultdict(list)
    for plan in _plans(parties, subjects):
        plans[(plan.customer_id, plan.subject)].append(plan)
    view = _Derive(timezone.now()) if plans else None
    for party in parties:
        decision = by_id[party.decision_id]
        party.decision = decision
        own = plans.get((party.customer_id, decision.subject), [])
        explained = party.explained
        completed = not explained and any(p.state in COMPLETED for p in own)
        route = view(own[0], party.customer) if view and own else None
        found[decision.pk].append(
            PartyStatus(party, role_of(decision, party.customer_id), explained, completed, route)
        )
    return found


def checklist(decision: Decision) -> list[PartyStatus]:
    """One decision's checklist per affected customer (CMA-6)."""
    return party_statuses([decision])[decision.pk]
