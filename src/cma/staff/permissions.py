"""Named permission rules (the `rules` package), shared by API, pages and CLI."""

import rules

from .models import CUSTOMER_FACING_ROLES, LEADER_ROLES, Role


@rules.predicate
def sees_customers(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.role in CUSTOMER_FACING_ROLES
    )


@rules.predicate
def is_leader(user) -> bool:
    return bool(user and user.is_authenticated and user.role in LEADER_ROLES)


@rules.predicate
def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.AUDITOR)


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ADMINISTRATOR)


@rules.predicate
def can_import(user) -> bool:
    return bool(
        user and user.is_authenticated and user.role in (Role.ADMINISTRATOR, Role.TEAM_LEADER)
    )


@rules.predicate
def reviews_emergency_access(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.role in (Role.TEAM_LEADER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC)
    )


rules.add_perm("customers.view_customer", sees_customers)
rules.add_perm("customers.review_emergency_access", reviews_emergency_access)
rules.add_perm("customers.import_customers", can_import)
rules.add_perm("audit.view_audit", is_auditor | is_administrator)
