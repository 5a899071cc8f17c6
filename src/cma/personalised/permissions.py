"""Named rules for Personalised Services, shared by the API, the pages and the CLI."""

import rules

from cma.staff.models import Role
from cma.staff.permissions import sees_customers


@rules.predicate
def in_ps(user) -> bool:
    return bool(user and user.role in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER))


@rules.predicate
def is_ps_team_leader(user) -> bool:
    return bool(user and user.role == Role.PS_TEAM_LEADER)


@rules.predicate
def is_ps_case_manager(user) -> bool:
    return bool(user and user.role == Role.PS_CASE_MANAGER)


@rules.predicate
def manages_plan(user, plan) -> bool:
    return plan is not None and plan.case_manager_id == user.pk


rules.add_perm("personalised.refer", sees_customers)
rules.add_perm("personalised.view", sees_customers & in_ps)
rules.add_perm("personalised.action_referral", sees_customers & in_ps)
rules.add_perm("personalised.change_plan", sees_customers & in_ps & manages_plan)
rules.add_perm("personalised.approve_plan", sees_customers & manages_plan)
rules.add_perm("personalised.decide", sees_customers & is_ps_team_leader)
