"""Named rules for work management, shared by the API, the pages and the CLI.

"Holder" of a lock or intray: the owning officer; any member of the owning team; any
member of a team in the owning business area. "Leader" of it: a leader-role user of
the holder's team (or of a team in the owning area), or the team's recorded leader.
The National Manager QCC is the higher role that may act on any of them.
"""

import rules

from cma.staff.models import Role
from cma.staff.permissions import is_leader, sees_customers


def _user_team(user):
    return user.team if getattr(user, "team_id", None) else None


def _owner_team_id(obj) -> int | None:
    if obj.owner_user_id:
        return obj.owner_user.team_id
    return obj.owner_team_id


def _owner_area_id(obj) -> int | None:
    if obj.owner_area_id:
        return obj.owner_area_id
    if obj.owner_team_id:
        return obj.owner_team.business_area_id
    team = obj.owner_user.team if obj.owner_user.team_id else None
    return team.business_area_id if team else None


@rules.predicate
def holds(user, obj) -> bool:
    if obj is None:
        return False
    if obj.owner_user_id:
        return obj.owner_user_id == user.pk
    team = _user_team(user)
    if team is None:
        return False
    if obj.owner_team_id:
        return obj.owner_team_id == team.pk
    return obj.owner_area_id == team.business_area_id


@rules.predicate
def leads_holder(user, obj) -> bool:
    if obj is None or user.role not in (Role.TEAM_LEADER, Role.PS_TEAM_LEADER):
        return False
    team_id = _owner_team_id(obj)
    mine = _user_team(user)
    if team_id is not None:
        if mine is not None and mine.pk == team_id:
            return True
        from cma.staff.models import Team

        return Team.objects.filter(pk=team_id, leader=user).exists()
    # Area-owned: leaders of any team in that area.
    return mine is not None and mine.business_area_id == _owner_area_id(obj)


@rules.predicate
def is_national_manager(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.NATIONAL_MANAGER_QCC)


@rules.predicate
def has_team(user) -> bool:
    return bool(user and getattr(user, "team_id", None))


acts_on = sees_customers & (holds | leads_holder | is_national_manager)

rules.add_perm("work.view_work", sees_customers)
rules.add_perm("work.lock_customer", sees_customers)
rules.add_perm("work.change_lock", acts_on)
rules.add_perm("work.create_intray", sees_customers)
rules.add_perm("work.work_intray", acts_on)
rules.add_perm("work.view_team_queue", sees_customers & is_leader & has_team)
