"""Shared pieces of the contact, letter, face-to-face and option services (PS-7..PS-11)
on top of `_common` (one audited transaction, refusals, checked free text, the PS
stacking document) and `plans` (the plan under its row lock, its versions): who may
act on the plan, and the restricted-service check before any contact."""

from cma.audit.services import as_step
from cma.customers.models import Customer
from cma.notes.services.restricted import check_contact_allowed
from cma.staff.models import Role, User

from ..models import PlanState, PsPlan
from ._common import (
    Problems,
    audited,
    check_text,
    ps_stacking_document,
    refuse,
    stacking_note,
    text_problem,
)
from .plans import locked_plan, save_version

OPEN_PLAN_STATES = (PlanState.DRAFT, PlanState.APPROVED)


def is_case_manager(actor: User, plan: PsPlan) -> bool:
    return actor.role == Role.PS_CASE_MANAGER and plan.case_manager_id == actor.pk


def is_ps_team_leader(actor: User) -> bool:
    return actor.role == Role.PS_TEAM_LEADER


def case_manager_problems(actor: User, plan: PsPlan, what: str) -> Problems:
    """The plan's own PS case manager does this; anyone else is refused, named."""
    problems: Problems = []
    if not is_case_manager(actor, plan):
        problems.append(("actor", f"only the customer's PS case manager may {what}"))
    if plan.state not in OPEN_PLAN_STATES:
        problems.append(("plan", f"the plan is {plan.get_state_display().lower()}"))
    return problems


def team_leader_problems(actor: User, what: str) -> Problems:
    if not is_ps_team_leader(actor):
        return [("actor", f"only a PS Team Leader may {what}")]
    return []


def contact_check(customer: Customer, channel: str, actor: User) -> list[str]:
    """The restricted-service check before any contact (PS-7, DOC-7), as a step: its
    refusal is this operation's one audited refusal."""
    with as_step():
        return check_contact_allowed(customer=customer, channel=channel, actor=actor)


__all__ = [
    "OPEN_PLAN_STATES",
    "Problems",
    "audited",
    "case_manager_problems",
    "check_text",
    "contact_check",
    "is_case_manager",
    "is_ps_team_leader",
    "locked_plan",
    "ps_stacking_document",
    "refuse",
    "save_version",
    "stacking_note",
    "team_leader_problems",
    "text_problem",
]
