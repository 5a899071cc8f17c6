# mypy: disallow-untyped-defs, disallow-incomplete-defs, disallow-untyped-calls
# mypy: warn-return-any, disallow-any-generics, check-untyped-defs
"""The PS mandate (PS-12; seed 003 "Managing cases involving specialist decision
makers"): who manages a Personalised Services customer and how to reach them, and the
rule that a specialist decision on a PS customer is neither finalised nor notified
until a consultation with the case manager is recorded.

- `who_manages(customer)`: the case manager of the customer's open PS plan, else the
  holder of their active lock in the Personalised Services area; None when the
  customer is not managed by PS. With the case manager's team leader, their team,
  their work email, and their availability today.
- Availability is what the system knows, said plainly: whether their account is
  active, how many live intrays they have due today or overdue, how many consultation
  requests wait for them. Leave is not recorded in CMA Workbench, so the answer says
  so and names the team leader to consult when the case manager cannot be reached.
- `consultation_problems(decision, verb)`: the registered finalisation and
  notification checks (`cma.decisions.checks`), one problem per PS party without a
  recorded consultation. No personal information in the messages: parties by role.

Nothing here writes or audits: the callers (the customer page, the call screen, the
decision's checks, `selectors_mandate`) have passed the door and audited the read.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer, agency_today
from cma.policy.services import parameter
from cma.staff.models import Role, User
from cma.work.models import LIVE_STATUSES, CustomerLock, Intray
from cma.work.ownership import holder_of
from cma.work.routing import PS_AREA

from .errors import UnknownPsCode
from .models import ConsultationState, PlanState, PsConsultation, PsPlan

if TYPE_CHECKING:
    from cma.decisions.models import Decision

LEAVE_NOTE = (
    "Leave is not recorded in CMA Workbench: if the case manager cannot be reached "
    "today, consult their team leader so the decision's timeframe is not delayed."
)


# --- Policy (policy/data/personalised.yaml) ----------------------------------------


def decision_kinds() -> frozenset[str]:
    """The decision kinds that are specialised activities under the mandate."""
    return frozenset(str(k) for k in parameter("ps-mandate-decision-kinds"))


def who_tells_options() -> dict[str, str]:
    return {str(o["code"]): str(o["name"]) for o in parameter("ps-mandate-who-tells")}


def who_tells_name(code: str) -> str:
    found = who_tells_options().get(code)
    if found is None:
        raise UnknownPsCode(f"unknown choice {code!r}", field="who_tells")
    return found


def consultation_intray() -> str:
    return str(parameter("ps-mandate-consultation-intray"))


# --- Who manages this PS customer ----------------------------------------------------


@dataclass(frozen=True)
class Availability:
    active: bool
    due_today: int  # live intrays due today or overdue
    waiting_consultations: int
    note: str = LEAVE_NOTE

    @property
    def text(self) -> str:
        if not self.active:
            return "Their account is not active: consult their team leader."
        work = f"{self.due_today} intray{'s' if self.due_today != 1 else ''} due today or overdue"
        asks = self.waiting_consultations
        waiting = f"{asks} consultation request{'s' if asks != 1 else ''} waiting"
        return f"Active today; {work}; {waiting}."


@dataclass(frozen=True)
class Manager:
    """Who manages a PS customer and how to reach them (PS-12)."""

    source: str  # "plan" (the open PS plan's case manager) or "lock" (the PS lock)
    user: User | None  # None when the lock is held by a team or the area
    label: str  # "Priya Case-Manager (Personalised Services Adelaide)" or the team
    team: str | None
    email: str
    team_leader: User | None
    plan_id: int | None
    availability: Availability | None
    # Who the consultation request's intray goes to: {"owner_user": ...}, or the team
    # or area that holds the customer's PS lock.
    owner: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.user) if self.user is not None else self.label

    @property
    def team_leader_name(self) -> str:
        return str(self.team_leader) if self.team_leader is not None else ""

    def may_be_consulted(self, user: User) -> bool:
        """The case manager or their team leader; with no one case manager (a team or
        the area holds the customer), any PS case manager or PS Team Leader."""
        if self.user is not None:
            allowed = {self.user.pk, getattr(self.team_leader, "pk", None)}
            return user.pk in allowed
        return user.role in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER)

    def is_case_manager(self, user: Any) -> bool:
        return self.user is not None and getattr(user, "pk", None) == self.user.pk


def availability_of(user: User) -> Availability:
    """Two counts, whatever the size of their work (bounded queries)."""
    due = Intray.objects.filter(
        owner_user=user, status__in=LIVE_STATUSES, due_on__lte=agency_today()
    ).count()
    waiting = PsConsultation.objects.filter(
        case_manager=user, state=ConsultationState.REQUESTED
    ).count()
    return Availability(active=user.is_active, due_today=due, waiting_consultations=waiting)


def _leader_of(user: User) -> User | None:
    team = user.team if user.team_id else None
    if team is None or team.leader_id is None or team.leader_id == user.pk:
        return None
    return team.leader


def _from_user(user: User, source: str, plan_id: int | None, with_availability: bool) -> Manager:
    team = user.team.name if user.team_id else None
    return Manager(
        source=source,
        user=user,
        label=f"{user} ({team})" if team else str(user),
        team=team,
        email=user.email,
        team_leader=_leader_of(user),
        plan_id=plan_id,
        availability=availability_of(user) if with_availability else None,
        owner={"owner_user": user},
    )


def _from_lock(lock: CustomerLock, with_availability: bool) -> Manager:
    if lock.owner_user_id:
        return _from_user(lock.owner_user, "lock", None, with_availability)
    holder = holder_of(lock)
    leader = lock.owner_team.leader if lock.owner_team_id else None
    return Manager(
        source="lock",
        user=None,
        label=holder.label,
        team=holder.team,
        email="",
        team_leader=leader,
        plan_id=None,
        availability=None,
        owner={"owner_team": lock.owner_team}
        if lock.owner_team_id
        else {"owner_area": lock.owner_area},
    )


def open_plan(customer: Customer | int) -> PsPlan | None:
    customer_id = customer if isinstance(customer, int) else customer.pk
    return (
        PsPlan.objects.filter(customer_id=customer_id)
        .exclude(state=PlanState.CLOSED)
        .select_related("case_manager__team__leader")
        .first()
    )


def who_manages(customer: Customer, *, with_availability: bool = True) -> Manager | None:
    """The PS case manager of `customer` (and their team leader), or None."""
    plan = open_plan(customer)
    if plan is not None:
        return _from_user(plan.case_manager, "plan", plan.pk, with_availability)
    now = timezone.now()
    lock = (
        CustomerLock.objects.filter(customer=customer, released_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .select_related("owner_user__team__leader", "owner_team__leader", "owner_area")
        .select_related("business_area")
        .first()
    )
    if lock is None or lock.business_area is None or lock.business_area.code != PS_AREA:
        return None
    return _from_lock(lock, with_availability)


# --- The decision's checks (cma.decisions.checks) ----------------------------------


def _role_label(decision: "Decision", customer_id: int) -> str:
    role = "payer" if customer_id == decision.case.payer_id else "payee"
    return f"the {role} (customer {customer_id})"


def consultations_needed(decision: "Decision") -> list[tuple[Customer, Manager]]:
    """The decision's PS parties whose case manager must be consulted (PS-12): a
    specialist kind, a PS customer, and a decision maker who is not their own case
    manager (the case manager makes the routine decisions on the case)."""
    if decision.kind not in decision_kinds():
        return []
    found = []
    for party in decision.parties.select_related("customer"):
        manager = who_manages(party.customer, with_availability=False)
        if manager is None or manager.is_case_manager(decision.decision_maker):
            continue
        found.append((party.customer, manager))
    return found


def consultation_problems(decision: "Decision", verb: str) -> list[tuple[str | None, str]]:
    needed = consultations_needed(decision)
    if not needed:
        return []
    states = dict(
        PsConsultation.objects.filter(
            Q(decision=decision), Q(customer_id__in=[c.pk for c, _ in needed])
        ).values_list("customer_id", "state")
    )
    problems: list[tuple[str | None, str]] = []
    for customer, _manager in needed:
        state = states.get(customer.pk)
        if state == ConsultationState.RECORDED:
            continue
        waiting = (
            " (a consultation was requested and is waiting for the case manager)"
            if state == ConsultationState.REQUESTED
            else ""
        )
        problems.append(
            (
                f"consultations.{customer.pk}",
                f"PS-12: {_role_label(decision, customer.pk)} is managed by Personalised "
                f"Services: record a consultation with their PS case manager before "
                f"{verb} the decision{waiting}",
            )
        )
    return problems


def case_manager_consulted_before_finalising(decision: "Decision") -> list[tuple[str | None, str]]:
    return consultation_problems(decision, "finalising")


def case_manager_consulted_before_notifying(decision: "Decision") -> list[tuple[str | None, str]]:
    return consultation_problems(decision, "notifying")


def register() -> None:
    """From PersonalisedConfig.ready(): the mandate's checks on decisions."""
    from cma.decisions.checks import register_finalisation_check, register_notification_check

    register_finalisation_check(case_manager_consulted_before_finalising)
    register_notification_check(case_manager_consulted_before_notifying)
