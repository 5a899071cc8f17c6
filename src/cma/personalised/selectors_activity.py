"""The PS Activity figures (PS-20), per case manager and per team: caseload by
segment, referrals by source and type, referrals actioned on time, plans overdue, time
in PS, finalisations approved and rejected (read from the activity record by kind,
policy ps-activity-finalisation-kinds) and reviews due (segment 3 reviews, and the
restricted service reviews of segment 3 customers, PS-19).

Scope (like the collection figures): a PS case manager sees themself, a PS Team
Leader their team, the National Manager QCC everyone. Ids, staff names and counts
only: no customer data. A fixed number of queries whatever the data."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from cma.audit.services import record, record_refusal
from cma.collection.figures import window
from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.staff.models import Role, User

from . import reviews_policy as policy
from .errors import PsActivityForbidden, PsRefused
from .models import (
    ActivityEntry,
    PlanState,
    PsPlan,
    PsReview,
    Referral,
    ReviewState,
)
from .policy import referral_sources

ROLES = (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC)
SEGMENTS = (1, 2, 3, None)
GROUPINGS = ("manager", "team")
DUE_STATES = (ReviewState.SCHEDULED, ReviewState.DUE)


@dataclass
class Row:
    key: str
    label: str
    caseload: dict[str, int] = field(default_factory=lambda: {"1": 0, "2": 0, "3": 0, "-": 0})
    referrals: int = 0
    actioned: int = 0
    actioned_on_time: int = 0
    plans_overdue: int = 0
    days_in_ps: int = 0
    finalisations_approved: int = 0
    finalisations_rejected: int = 0
    reviews_due: int = 0
    restricted_reviews_due: int = 0

    @property
    def open_plans(self) -> int:
        return sum(self.caseload.values())

    @property
    def average_days_in_ps(self) -> float:
        return round(self.days_in_ps / self.open_plans, 1) if self.open_plans else 0.0

    @property
    def on_time_rate(self) -> float:
        return round(100 * self.actioned_on_time / self.actioned, 1) if self.actioned else 0.0


@dataclass
class SourceRow:
    key: str
    label: str
    source: str
    source_name: str
    kind: str
    n: int


@dataclass
class Activity:
    start: date
    end: date
    period: str
    scope: str
    rows: dict[str, list[Row]]
    sources: dict[str, list[SourceRow]]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    code: str = ""


def resolve_period(period: Any = "", start: Any = None, end: Any = None) -> Period:
    """A period code of policy ps-activity-periods, or start and end dates; every
    unmet condition at once."""
    problems: list[tuple[str | None, str]] = []
    today = agency_today()
    periods = policy.activity_periods()
    if period:
        found = periods.get(period) if isinstance(period, str) else None
        if found is None:
            problems.append(("period", f"unknown period; choose one of {', '.join(periods)}"))
        else:
            days = int(found.extra["days"])
            return Period(today - timedelta(days=days - 1), today, found.code)
    if not isinstance(start, date):
        problems.append(("start", "give the first day of the period"))
    if not isinstance(end, date):
        problems.append(("end", "give the last day of the period"))
    if isinstance(start, date) and isinstance(end, date):
        if end < start:
            problems.append(("end", "the period ends before it starts"))
        elif (end - start).days >= policy.activity_max_days():
            problems.append(("end", f"a period of at most {policy.activity_max_days()} days"))
    if problems:
        raise PsRefused.from_problems("the PS Activity period is not valid", problems)
    return Period(start, end)


def _scope(actor: User, path: str) -> Q:
    """PS-20 scope over the case manager at `path`."""
    if actor.role == Role.NATIONAL_MANAGER_QCC:
        return Q()
    if actor.role == Role.PS_TEAM_LEADER:
        return Q(**{f"{path}__team_id": actor.team_id}) if actor.team_id else Q(pk__in=[])
    return Q(**{path: actor})


def _fields(path: str) -> list[str]:
    return [
        f"{path}_id",
        f"{path}__username",
        f"{path}__first_name",
        f"{path}__last_name",
        f"{path}__team_id",
        f"{path}__team__name",
    ]


def _keys(row: dict[str, Any], path: str) -> dict[str, tuple[str, str]]:
    manager = row[f"{path}_id"]
    name = f"{row[f'{path}__first_name']} {row[f'{path}__last_name']}".strip()
    team = row[f"{path}__team_id"]
    return {
        "manager": (f"user:{manager or ''}", name or row[f"{path}__username"] or "Not allocated"),
        "team": (f"team:{team or ''}", row[f"{path}__team__name"] or "No team"),
    }


class _Table:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Row]] = {by: {} for by in GROUPINGS}

    def each(self, row: dict[str, Any], path: str) -> Iterable[Row]:
        for by, (key, label) in _keys(row, path).items():
            yield self.rows[by].setdefault(key, Row(key, label))

    def sorted(self) -> dict[str, list[Row]]:
        return {
            by: sorted(g.values(), key=lambda r: (r.label, r.key)) for by, g in self.rows.items()
        }


def _plans(table: _Table, actor: User, today: date) -> None:
    path = "case_manager"
    rows = (
        PsPlan.objects.filter(_scope(actor, path))
        .exclude(state=PlanState.CLOSED)
        .order_by()
        .values(*_fields(path), "segment", "referred_on")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(state=PlanState.DRAFT, due_on__lt=today)),
        )
    )
    for row in rows:
        segment = str(row["segment"]) if row["segment"] else "-"
        for found in table.each(row, path):
            found.caseload[segment] += row["n"]
            found.plans_overdue += row["overdue"]
            found.days_in_ps += row["n"] * (today - row["referred_on"]).days


def _referrals(table: _Table, actor: User, lo: Any, hi: Any) -> dict[str, list[SourceRow]]:
    path = "case_manager"
    names = {code: option.name for code, option in referral_sources().items()}
    received = (
        Referral.objects.filter(_scope(actor, path), referred_at__gte=lo, referred_at__lt=hi)
        .order_by()
        .values(*_fields(path), "source", "kind")
        .annotate(n=Count("pk"))
    )
    sources: dict[str, dict[tuple[str, str, str], SourceRow]] = {by: {} for by in GROUPINGS}
    for row in received:
        for (by, (key, label)), found in zip(
            _keys(row, path).items(), table.each(row, path), strict=True
        ):
            found.referrals += row["n"]
            ident = (key, row["source"], row["kind"])
            source = sources[by].setdefault(
                ident,
                SourceRow(
                    key, label, row["source"], names.get(row["source"], row["source"]),
                    row["kind"], 0,
                ),
            )  # fmt: skip
            source.n += row["n"]
    actioned = (
        Referral.objects.filter(_scope(actor, path), actioned_at__gte=lo, actioned_at__lt=hi)
        .order_by()
        .values(*_fields(path))
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(actioned_on_time=True)))
    )
    for row in actioned:
        for found in table.each(row, path):
            found.actioned += row["n"]
            found.actioned_on_time += row["on_time"]
    return {
        by: sorted(g.values(), key=lambda s: (s.label, s.source, s.kind))
        for by, g in sources.items()
    }


def _finalisations(table: _Table, actor: User, lo: Any, hi: Any) -> None:
    path = "case_manager"
    kinds = policy.finalisation_kinds()
    by_kind = {kind: outcome for outcome, kind in kinds.items()}
    rows = (
        ActivityEntry.objects.filter(
            _scope(actor, path), kind__in=list(by_kind), at__gte=lo, at__lt=hi
        )
        .order_by()
        .values(*_fields(path), "kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        attribute = f"finalisations_{by_kind[row['kind']]}"
        for found in table.each(row, path):
            setattr(found, attribute, getattr(found, attribute) + row["n"])


def _reviews(table: _Table, actor: User, end: date) -> None:
    path = "plan__case_manager"
    rows = (
        PsReview.objects.filter(_scope(actor, path), state__in=DUE_STATES, review_on__lte=end)
        .order_by()
        .values(*_fields(path))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        for found in table.each(row, path):
            found.reviews_due += row["n"]
    path = "case_manager"
    restricted = (
        PsPlan.objects.filter(
            _scope(actor, path),
            segment=3,
            customer__restricted_services__ended_at=None,
            customer__restricted_services__review_due_on__lte=end,
        )
        .exclude(state=PlanState.CLOSED)
        .order_by()
        .values(*_fields(path))
        .annotate(n=Count("pk", distinct=True))
    )
    for row in restricted:
        for found in table.each(row, path):
            found.restricted_reviews_due += row["n"]


def scope_of(actor: User) -> str:
    if actor.role == Role.NATIONAL_MANAGER_QCC:
        return "national"
    if actor.role == Role.PS_TEAM_LEADER:
        return f"team:{actor.team_id or ''}"
    return f"user:{actor.pk}"


def activity_for(
    actor: User,
    *,
    period: Any = "",
    start: Any = None,
    end: Any = None,
    action: str = "personalised.activity.viewed",
) -> Activity:
    """Every PS Activity figure for the period, audited as one read (or one refusal)."""
    try:
        if getattr(actor, "role", None) not in ROLES:
            raise PsActivityForbidden(
                "PS-20: PS case managers, PS Team Leaders and the National Manager QCC "
                "see the PS Activity figures"
            )
        found = resolve_period(period, start, end)
    except DomainError as exc:
        record_refusal(actor=actor, action=action, error=exc)
        raise
    lo, hi = window(found.start, found.end)
    today = agency_today()
    table = _Table()
    _plans(table, actor, today)
    sources = _referrals(table, actor, lo, hi)
    _finalisations(table, actor, lo, hi)
    _reviews(table, actor, found.end)
    result = Activity(
        start=found.start,
        end=found.end,
        period=found.code,
        scope=scope_of(actor),
        rows=table.sorted(),
        sources=sources,
    )
    record(
        actor=actor,
        action=action,
        object_type="personalised.activityentry",
        changes={
            "start": found.start.isoformat(),
            "end": found.end.isoformat(),
            "scope": result.scope,
        },
    )
    return result
