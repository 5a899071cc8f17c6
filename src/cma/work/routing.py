"""Referral guidelines (CMA-8, CMA-3): where should each presenting issue go?

The rules are policy data (`policy/data/referral_guidelines.yaml`): every issue kind
has a default (common → resolve at the point of entry; specialised → its area) and
ordered exception rules override it; the first rule whose conditions all hold wins.
The answer names the rule (or the default) and its reason. Used by the pages ("Where
should this go?"), the API, and by transfers.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import Customer
from cma.policy.models import ActivityKind, BusinessArea, ReferralIssueKind, ReferralRule

from .errors import UnknownIssueKind
from .models import CustomerLock
from .ownership import holder_of
from .selectors import active_lock_for, owning_area_after_expiry

PS_AREA = "personalised-services"


@dataclass
class Advice:
    issue: str
    issue_name: str
    resolve_at_point_of_entry: bool
    area: BusinessArea | None
    owner_key: str  # "user:3", "team:2", "area:5" or "" for point of entry
    owner_label: str
    rule: str  # a rule code, or "default"
    reason: str
    follow_up_area: BusinessArea | None = None


@dataclass
class Facts:
    customer: set[str]
    officer: set[str]
    lock: CustomerLock | None
    area_after_expiry: BusinessArea | None


def facts_for(customer: Customer, actor: Any, *, now=None) -> Facts:
    now = now or timezone.now()
    lock = active_lock_for(customer, now=now)
    after = None if lock else owning_area_after_expiry(customer, now=now)
    found = set()
    if customer.is_under_18:
        found.add("under-18")
    if customer.is_overseas:
        found.add("overseas")
    if lock is not None:
        found.add("locked")
        if lock.business_area is not None and lock.business_area.code == PS_AREA:
            found.add("ps-customer")
    if after is not None:
        found.add("owned-after-expiry")
    protection = access.flags(customer)
    if "restricted" in protection:
        found.add("restricted-service")
    elif protection:
        found.add("protected-record")
    officer = set()
    team = actor.team if getattr(actor, "team_id", None) else None
    if team is not None and not team.business_area.keeps_common_intrays:
        officer.add("no-common-intrays")
    return Facts(found, officer, lock, after)


def _matches(rule: ReferralRule, kind: ReferralIssueKind, facts: Facts) -> bool:
    return (
        set(rule.customer_facts) <= facts.customer
        and set(rule.officer_facts) <= facts.officer
        and (not rule.issues or kind.code in rule.issues)
        and kind.code not in rule.unless_issues
        and (not rule.activity or rule.activity == kind.activity)
    )


def _holder(facts: Facts) -> tuple[BusinessArea | None, str, str]:
    lock = facts.lock
    if lock is not None:
        return lock.business_area, lock.owner_key, holder_of(lock).label
    area = facts.area_after_expiry
    return area, (f"area:{area.pk}" if area else ""), (str(area) if area else "")


def _advise(kind: ReferralIssueKind, rules: list[ReferralRule], facts: Facts) -> Advice:
    for rule in rules:
        if not _matches(rule, kind, facts):
            continue
        advice = Advice(
            issue=kind.code,
            issue_name=kind.name,
            resolve_at_point_of_entry=False,
            area=None,
            owner_key="",
            owner_label="",
            rule=rule.code,
            reason=rule.reason,
            follow_up_area=rule.follow_up_to_area,
        )
        if rule.route_to_area is not None:
            area = rule.route_to_area
            advice.area, advice.owner_key, advice.owner_label = area, f"area:{area.pk}", str(area)
        elif rule.route_to == "lock-holder":
            advice.area, advice.owner_key, advice.owner_label = _holder(facts)
            if not advice.owner_key:
                continue  # nobody holds the customer: the rule cannot apply
        else:
            advice.resolve_at_point_of_entry = True
            advice.area = kind.area
        return advice
    common = kind.activity == ActivityKind.COMMON
    return Advice(
        issue=kind.code,
        issue_name=kind.name,
        resolve_at_point_of_entry=common,
        area=kind.area,
        owner_key="" if common else f"area:{kind.area_id}",
        owner_label="" if common else str(kind.area),
        rule="default",
        reason=(
            "A common activity: resolve it now, at the point of entry (CMA-3)."
            if common
            else f"Specialised work done by {kind.area} (referral guidelines)."
        ),
    )


def issue_kinds() -> list[ReferralIssueKind]:
    return list(ReferralIssueKind.objects.filter(active=True).select_related("area"))


def recommend(*, customer: Customer, issues: list[str], actor: Any, audit: bool = True) -> list:
    """One Advice per presenting issue, in the order given. Unknown codes → 422."""
    if not issues:
        raise UnknownIssueKind("choose at least one presenting issue", field="issues")
    kinds = {k.code: k for k in issue_kinds()}
    unknown = [code for code in issues if code not in kinds]
    if unknown:
        raise UnknownIssueKind(f"unknown issue kind {unknown[0]!r}", field="issues")
    rules = list(
        ReferralRule.objects.filter(active=True).select_related(
            "route_to_area", "follow_up_to_area"
        )
    )
    facts = facts_for(customer, actor)
    advice = [_advise(kinds[code], rules, facts) for code in dict.fromkeys(issues)]
    if audit:
        record(
            actor=actor,
            action="work.routing.advised",
            obj=customer,
            customer_id=customer.pk,
            changes={
                "advice": [[a.issue, a.rule, a.owner_key or "point-of-entry"] for a in advice]
            },
        )
    return advice
