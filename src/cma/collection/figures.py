"""Figures for the dashboards (CMA-1, CMA-3, CMA-2, REP-1): Minimum Collection Activity
completion by officer, team and business area over a period; issues resolved at first
contact against routed and referred; payee leads and their outcomes. For Team Leaders
(their own team's officers) and the National Manager (everyone). Ids, names of staff
and counts only: no customer data. Each figure is one query, however many rows.

An interaction counts for MCA when it started in the period, has ended, the caller's
identity was confirmed (nothing about a case is discussed before, CON-9), its officer is
not in an enabling area, and the customer has cases. It is *complete* when every case of
the customer has an MCA record on it, *with reason* when it ended without and the reason
was recorded (`McaNotDone`), otherwise *incomplete* (e.g. ended by the platform)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from cma.audit.services import record, record_refusal
from cma.contact.models import Identity, Interaction
from cma.customers.models import AGENCY_TZ, Case
from cma.policy.models import AreaKind
from cma.staff.models import Role, User

from .errors import FiguresForbidden, FiguresRefused
from .models import IssueStatus, McaNotDone, McaRecord, PayeeLead, PayeeUpdate, PresentingIssue

GROUPINGS = ("officer", "team", "area")
MAX_DAYS = 366
NATIONAL = (Role.NATIONAL_MANAGER_QCC,)
LEADERS = (Role.TEAM_LEADER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC)


@dataclass
class McaRow:
    key: str
    label: str
    interactions: int = 0
    complete: int = 0
    with_reason: int = 0
    incomplete: int = 0

    @property
    def rate(self) -> float:
        return round(100 * self.complete / self.interactions, 1) if self.interactions else 0.0


@dataclass
class Figures:
    start: date
    end: date
    scope: str
    mca: dict[str, list[McaRow]]
    issues: dict[str, int]
    issue_kinds: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    payee_updates: dict[str, int]

    @property
    def first_contact_rate(self) -> float:
        settled = self.issues.get(IssueStatus.RESOLVED, 0) + self.issues.get(IssueStatus.ROUTED, 0)
        resolved = self.issues.get(IssueStatus.RESOLVED, 0)
        return round(100 * resolved / settled, 1) if settled else 0.0


def window(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] as agency days, as aware datetimes [lo, hi)."""
    lo = datetime.combine(start, time.min, tzinfo=AGENCY_TZ)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=AGENCY_TZ)
    return lo, hi


def _require(actor: User, start: Any, end: Any) -> None:
    problems: list[tuple[str | None, str]] = []
    if getattr(actor, "role", None) not in LEADERS:
        raise FiguresForbidden("only Team Leaders and the National Manager see collection figures")
    if not isinstance(start, date) or not isinstance(end, date):
        problems.append(("start", "give the period as two dates"))
    elif end < start:
        problems.append(("end", "the period ends before it starts"))
    elif (end - start).days > MAX_DAYS:
        problems.append(("end", f"a period of at most {MAX_DAYS} days"))
    if problems:
        field, message = problems[0]
        raise FiguresRefused(message, field=field)


def _scope(actor: User) -> Q:
    """Team Leaders: their own team's officers; the National Manager: everyone."""
    if actor.role in NATIONAL:
        return Q()
    return Q(officer__team_id=actor.team_id) if actor.team_id else Q(pk__in=[])


def mca_interactions(actor: User, start: date, end: date) -> QuerySet[Interaction]:
    lo, hi = window(start, end)
    cases = (
        Case.objects.filter(
            Q(payer_id=OuterRef("customer_id")) | Q(payee_id=OuterRef("customer_id"))
        )
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    done = (
        McaRecord.objects.filter(interaction_id=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("case_id"), function="COUNT"))
        .values("n")
    )
    return (
        Interaction.objects.filter(
            _scope(actor),
            started_at__gte=lo,
            started_at__lt=hi,
            ended_at__isnull=False,
            identity=Identity.CONFIRMED,
        )
        .exclude(officer__team__business_area__kind=AreaKind.ENABLING)
        .annotate(
            n_cases=Subquery(cases, output_field=IntegerField()),
            n_done=Subquery(done, output_field=IntegerField()),
            with_reason=Exists(McaNotDone.objects.filter(interaction_id=OuterRef("pk"))),
        )
        .filter(n_cases__gt=0)
    )


def _label(row: dict[str, Any], by: str) -> tuple[str, str]:
    if by == "officer":
        name = f"{row['officer__first_name']} {row['officer__last_name']}".strip()
        return f"user:{row['officer_id']}", name or row["officer__username"]
    if by == "team":
        team = row["officer__team_id"]
        return (f"team:{team}", row["officer__team__name"]) if team else ("team:", "No team")
    area = row["officer__team__business_area_id"]
    name = row["officer__team__business_area__name"]
    return (f"area:{area}", name) if area else ("area:", "No business area")


def mca_completion(actor: User, start: date, end: date) -> dict[str, list[McaRow]]:
    """MCA completion by officer, team and business area (one query)."""
    # The annotations are not model fields, which the stubs cannot know.
    rows = mca_interactions(actor, start, end).values(  # type: ignore[misc]
        "officer_id",
        "officer__username",
        "officer__first_name",
        "officer__last_name",
        "officer__team_id",
        "officer__team__name",
        "officer__team__business_area_id",
        "officer__team__business_area__name",
        "n_cases",
        "n_done",
        "with_reason",
    )
    grouped: dict[str, dict[str, McaRow]] = {by: {} for by in GROUPINGS}
    for row in rows:
        complete = (row["n_done"] or 0) >= row["n_cases"]
        for by in GROUPINGS:
            key, label = _label(row, by)
            found = grouped[by].setdefault(key, McaRow(key, label))
            found.interactions += 1
            if complete:
                found.complete += 1
            elif row["with_reason"]:
                found.with_reason += 1
            else:
                found.incomplete += 1
    return {by: sorted(g.values(), key=lambda r: (r.label, r.key)) for by, g in grouped.items()}


def _issues(actor: User, start: date, end: date) -> QuerySet[PresentingIssue]:
    lo, hi = window(start, end)
    return PresentingIssue.objects.filter(_scope(actor), raised_at__gte=lo, raised_at__lt=hi)


def issue_figures(actor: User, start: date, end: date) -> tuple[dict[str, int], list[dict]]:
    """Issues by status (resolved at first contact, routed, referred) and by kind."""
    rows = list(
        _issues(actor, start, end)
        .order_by()
        .values("kind", "kind_name", "status")
        .annotate(n=Count("pk"))
    )
    totals = dict.fromkeys(IssueStatus.values, 0)
    kinds: dict[str, dict[str, Any]] = {}
    for row in rows:
        totals[row["status"]] += row["n"]
        key = row["kind"] or "external"
        found = kinds.setdefault(
            key, {"kind": key, "name": row["kind_name"], **dict.fromkeys(IssueStatus.values, 0)}
        )
        found[row["status"]] += row["n"]
    return totals, sorted(kinds.values(), key=lambda k: k["name"])


def lead_figures(actor: User, start: date, end: date) -> tuple[list[dict], dict[str, int]]:
    """Payee leads by kind and by their intray's status; what payees were told."""
    lo, hi = window(start, end)
    leads = (
        PayeeLead.objects.filter(_scope(actor), recorded_at__gte=lo, recorded_at__lt=hi)
        .order_by()
        .values("kind", "intray__status")
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, dict[str, Any]] = {}
    for row in leads:
        found = by_kind.setdefault(row["kind"], {"kind": row["kind"], "total": 0, "statuses": {}})
        found["total"] += row["n"]
        found["statuses"][row["intray__status"]] = row["n"]
    updates = (
        PayeeUpdate.objects.filter(_scope(actor), at__gte=lo, at__lt=hi)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    return sorted(by_kind.values(), key=lambda k: k["kind"]), {
        u["outcome"]: u["n"] for u in updates
    }


def figures_for(actor: User, *, start: date, end: date) -> Figures:
    """Every figure for the period, audited as one read (no customer data)."""
    action = "collection.figures.viewed"
    try:
        _require(actor, start, end)
    except (FiguresRefused, FiguresForbidden) as exc:
        record_refusal(actor=actor, action=action, error=exc)
        raise
    issues, kinds = issue_figures(actor, start, end)
    leads, updates = lead_figures(actor, start, end)
    found = Figures(
        start=start,
        end=end,
        scope="national" if actor.role in NATIONAL else f"team:{actor.team_id or ''}",
        mca=mca_completion(actor, start, end),
        issues=issues,
        issue_kinds=kinds,
        leads=leads,
        payee_updates=updates,
    )
    record(
        actor=actor,
        action=action,
        changes={"start": start.isoformat(), "end": end.isoformat(), "scope": found.scope},
    )
    return found
