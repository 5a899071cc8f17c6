"""The team queue as a working list: server-side sort and filter (GET parameters), the
version of each row as loaded (for bulk re-assign) and per-officer counts."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat

from cma.customers.models import agency_today
from cma.errors import Unmet

from .models import LIVE_STATUSES, Intray, IntrayEvent, IntrayStatus

# Sort key -> ORDER BY (ascending); "-key" reverses every column. id keeps it stable.
SORTS: dict[str, tuple[str, ...]] = {
    "due": ("due_on", "priority", "id"),
    "priority": ("priority", "due_on", "id"),
    "type": ("type__name", "due_on", "id"),
    "owner": ("owner_name", "due_on", "id"),
    "created": ("created_at", "id"),
}
DEFAULT_SORT = "due"
STATUSES = {s.value: s.label for s in IntrayStatus if s in LIVE_STATUSES}
_TRUE = ("1", "on", "true", "yes")


@dataclass(frozen=True)
class QueueQuery:
    sort: str = DEFAULT_SORT
    type: str = ""
    owner: str = ""
    status: str = ""
    overdue: bool = False

    @property
    def key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def as_params(self) -> dict[str, str]:
        """Non-default values only, for links and the audit row."""
        out = {k: getattr(self, k) for k in ("type", "owner", "status") if getattr(self, k)}
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        if self.overdue:
            out["overdue"] = "1"
        return out


def parse_query(params: Any, prefix: str = "") -> QueueQuery:
    """Read sort and filters from GET parameters (names after `prefix`); refuse,
    naming every bad one."""

    def get(name: str) -> str:
        return str(params.get(prefix + name) or "").strip()

    sort = get("sort") or DEFAULT_SORT
    kind, owner, status, overdue = get("type"), get("owner"), get("status"), get("overdue").lower()
    problems: list[tuple[str | None, str]] = []
    if sort.lstrip("-") not in SORTS or sort.count("-") > 1:
        names = ", ".join(SORTS)
        problems.append(("sort", f"sort by one of {names} (add - in front for descending)"))
    if len(kind) > 40:
        problems.append(("type", "choose a type of work from the list"))
    if owner and not _owner_key_ok(owner):
        problems.append(("owner", "choose an owner from the list"))
    if status and status not in STATUSES:
        problems.append(("status", "choose a status: " + " or ".join(STATUSES)))
    if overdue and overdue not in (*_TRUE, "0", "off", "false", "no"):
        problems.append(("overdue", "overdue is on (1) or off (0)"))
    if problems:
        raise Unmet.from_problems("the team queue cannot be shown that way", problems)
    return QueueQuery(sort, kind, owner, status, overdue in _TRUE)


def _owner_key_ok(value: str) -> bool:
    kind, _, ident = value.partition(":")
    if kind in ("user", "team"):
        return ident.isdigit() and len(ident) < 12
    return kind == "area" and 0 < len(ident) <= 40


def _owner_filter(owner: str) -> Q:
    kind, _, ident = owner.partition(":")
    if kind == "user":
        return Q(owner_user_id=int(ident))
    if kind == "team":
        return Q(owner_team_id=int(ident))
    return Q(owner_area__code=ident)


def apply(rows: QuerySet[Intray], query: QueueQuery) -> QuerySet[Intray]:
    """Filter and order the team's live work; annotate each row's version and owner name."""
    if query.type:
        rows = rows.filter(type__code=query.type)
    if query.owner:
        rows = rows.filter(_owner_filter(query.owner))
    if query.status:
        rows = rows.filter(status=query.status)
    if query.overdue:
        rows = rows.filter(due_on__lt=agency_today())
    latest = IntrayEvent.objects.filter(intray_id=OuterRef("pk")).order_by("-id").values("id")
    rows = rows.annotate(
        version=Coalesce(Subquery(latest[:1]), Value(0)),
        owner_name=Case(
            When(
                owner_user__isnull=False,
                then=Concat(F("owner_user__first_name"), Value(" "), F("owner_user__last_name")),
            ),
            When(owner_team__isnull=False, then=F("owner_team__name")),
            default=F("owner_area__name"),
            output_field=CharField(),
        ),
    )
    order = SORTS[query.key]
    if query.descending:
        order = tuple(f"-{c}" for c in order)
    return rows.order_by(*order)


def officer_counts(team: Any, members: list[Any]) -> list[dict[str, Any]]:
    """Each active officer of the team with their live and overdue work (one query)."""
    today = agency_today()
    rows = (
        Intray.objects.filter(status__in=LIVE_STATUSES, owner_user__team=team)
        .values("owner_user_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    by_user: dict[int, tuple[int, int]] = {
        r["owner_user_id"]: (r["open"], r["overdue"]) for r in rows
    }
    counted = [(m, by_user.get(m.pk, (0, 0))) for m in members]
    return [
        {"officer": m, "owner_key": f"user:{m.pk}", "open": n, "overdue": late}
        for m, (n, late) in counted
    ]
