"""Named rules of the notes app and SEC-1's object rule for customer records.

SEC-1: a customer is *sensitive* while they have an active sensitive issue indicator
or Separating Safely marker, and *restricted* while a restricted service arrangement
is active. Their record is open only to those who need it:

- PS Case Managers, PS Team Leaders and the National Manager QCC (they manage such
  customers: segment 3, restricted service approvals);
- the restricted service's single point of contact;
- whoever recorded the active indicator, marker or arrangement;
- the holder of the customer's active lock or of a live intray on them (officer, team
  or business area), and the Team Leader of that holder.

Everyone else who works with customers sees other customers as usual; auditors and
administrators see no customer record at all. `customers.view_customer_record` is
the rule `cma.customers.selectors.get_customer_for` applies.
"""

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cma.staff.models import Role
from cma.staff.permissions import sees_customers

from .models import RestrictedService, SafetyMarker, SensitiveIndicator

ALWAYS_NEED_TO_KNOW = frozenset(
    {Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC}
)
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
    """Which SEC-1 flags apply, in one query; cached on the instance for the request."""
    cached = getattr(customer, "_cma_sensitivity", None)
    if cached is not None:
        return cached
    from cma.customers.models import Customer

    row = (
        Customer.objects.filter(pk=customer.pk)
        .annotate(
            at_risk=Exists(SafetyMarker.objects.filter(customer=OuterRef("pk"), ended_at=None)),
            indicator=Exists(
                SensitiveIndicator.objects.filter(customer=OuterRef("pk"), removed_at=None)
            ),
            restricted=Exists(
                RestrictedService.objects.filter(customer=OuterRef("pk"), ended_at=None)
            ),
        )
        .values("at_risk", "indicator", "restricted")
        .first()
    ) or {"at_risk": False, "indicator": False, "restricted": False}
    customer._cma_sensitivity = row
    customer._cma_at_risk = row["at_risk"]
    return row


def forget_sensitivity(customer: Any) -> None:
    """Call after a write that changes a customer's SEC-1 flags."""
    for attr in ("_cma_sensitivity", "_cma_at_risk"):
        if hasattr(customer, attr):
            delattr(customer, attr)


def _recorded_by(user: Any, customer: Any) -> bool:
    return (
        SafetyMarker.objects.filter(customer=customer, ended_at=None, marked_by=user).exists()
        or SensitiveIndicator.objects.filter(
            customer=customer, removed_at=None, created_by=user
        ).exists()
        or RestrictedService.objects.filter(customer=customer, ended_at=None)
        .filter(Q(created_by=user) | Q(contact_officer=user))
        .exists()
    )


def _holds_work(user: Any, customer: Any) -> bool:
    """The user (or their team or area) holds the active lock or a live intray, or
    leads the team that does."""
    from cma.work.models import LIVE_STATUSES, CustomerLock, Intray
    from cma.work.permissions import holds, leads_holder

    now = timezone.now()
    lock = (
        CustomerLock.objects.select_related("owner_user__team", "owner_team")
        .filter(customer=customer, released_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .first()
    )
    candidates = [lock] if lock else []
    candidates += list(
        Intray.objects.select_related("owner_user__team", "owner_team").filter(
            customer=customer, status__in=LIVE_STATUSES
        )[:50]
    )
    return any(holds(user, obj) or leads_holder(user, obj) for obj in candidates)


@rules.predicate
def needs_to_know(user: Any, customer: Any) -> bool:
    if customer is None:
        return False
    flags = sensitivity(customer)
    if not any(flags.values()):
        return True
    if user.role in ALWAYS_NEED_TO_KNOW:
        return True
    return _recorded_by(user, customer) or _holds_work(user, customer)


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
