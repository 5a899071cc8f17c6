"""Named rules of the notes app.

SEC-1's object rule lives in the one door, `cma.customers.access`; this app tells the
door which customers are protected and who has need-to-know because of the facts it
owns (`cma.notes.access`). `customers.view_customer_record` and every `notes.*` rule
on a customer start from the door's decision.
"""

from typing import Any

import rules

from cma.customers import access
from cma.staff.models import Role
from cma.staff.permissions import sees_customers

ALWAYS_NEED_TO_KNOW = access.ALWAYS_NEED_TO_KNOW
LEADERS_AND_PS = frozenset(
    {Role.TEAM_LEADER, Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC}
)
PRIVACY_ROLES = frozenset(
    {Role.TEAM_LEADER, Role.SPECIALIST_OFFICER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC}
)
RESTRICTION_ROLES = frozenset(
    {Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC}
)


def sensitivity(customer: Any) -> dict[str, bool]:
    """Which SEC-1 flags apply (from the door's cached flags)."""
    found = access.flags(customer)
    row = {
        "at_risk": "at-risk" in found,
        "indicator": "sensitive" in found,
        "restricted": "restricted" in found,
    }
    customer._cma_at_risk = row["at_risk"]
    return row


RESTRICTION_CACHE = "_cma_restriction"


def forget_sensitivity(customer: Any) -> None:
    """Call after a write that changes a customer's SEC-1 flags."""
    access.forget(customer)
    for attr in ("_cma_at_risk", RESTRICTION_CACHE):
        customer.__dict__.pop(attr, None)


@rules.predicate
def needs_to_know(user: Any, customer: Any) -> bool:
    return access.can_see(user, customer)


@rules.predicate
def in_roles_leaders_ps(user: Any) -> bool:
    return getattr(user, "role", None) in LEADERS_AND_PS


@rules.predicate
def in_privacy_roles(user: Any) -> bool:
    return getattr(user, "role", None) in PRIVACY_ROLES


@rules.predicate
def in_restriction_roles(user: Any) -> bool:
    return getattr(user, "role", None) in RESTRICTION_ROLES


@rules.predicate
def in_ps_roles(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER)


@rules.predicate
def is_national_manager(user: Any) -> bool:
    return getattr(user, "role", None) == Role.NATIONAL_MANAGER_QCC


record_access = sees_customers & needs_to_know

rules.add_perm("customers.view_customer_record", record_access)
rules.add_perm("notes.view_notes", record_access)
rules.add_perm("notes.add_note", record_access)
rules.add_perm("notes.create_ps_stacking", record_access & in_ps_roles)
rules.add_perm("notes.view_indicators", record_access)
rules.add_perm("notes.add_indicator", record_access)
rules.add_perm("notes.review_indicator", record_access & in_roles_leaders_ps)
rules.add_perm("notes.mark_at_risk", record_access)
rules.add_perm("notes.end_at_risk", record_access & in_privacy_roles)
rules.add_perm("notes.manage_restriction", record_access & in_restriction_roles)
rules.add_perm("notes.approve_restriction_review", record_access & is_national_manager)
# Role-level (no object): which pages and queues to offer.
rules.add_perm("notes.view_restriction_approvals", sees_customers & is_national_manager)
