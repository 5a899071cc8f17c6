"""Reads of work management. Functions taking `actor` check access and, where an
API operation or page reads customer data through them, audit the read once."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cma import formats
from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Customer, agency_today
from cma.errors import PermissionDenied
from cma.memo import remembered
from cma.policy.models import BusinessArea, IntrayType
from cma.privacy.separating import at_risk_exists, at_risk_ids, withheld_by_customer
from cma.staff.models import Team, User

from .errors import IntrayNotFound
from .models import (
    LIVE_STATUSES,
    CustomerLock,
    Escalation,
    Intray,
    IntrayEvent,
    IntrayStatus,
    LockEvent,
)
from .permissions import holds, leads_holder

_OWNER_RELATED = ("owner_user", "owner_team", "owner_area")


def active_lock_for(customer: Customer, *, now: datetime | None = None) -> CustomerLock | None:
    """The customer's active lock: unreleased and not past its expiry (CMA-5, CMA-7).
    Asked as of now, it is read once per safe request (the customer page asks from
    several apps)."""

    def read(at: datetime) -> CustomerLock | None:
        return (
            CustomerLock.objects.filter(customer=customer, released_at=None)
            .filter(Q(expires_at=None) | Q(expires_at__gt=at))
            .select_related(*_OWNER_RELATED, "owner_user__team", "business_area", "locked_by")
            .first()
        )

    if now is not None:
        return read(now)
    return remembered(("active-lock", customer.pk), lambda: read(timezone.now()))


def owning_area_after_expiry(
    customer: Customer, *, now: datetime | None = None
) -> BusinessArea | None:
    """With no active lock, the business area the customer belongs to because their
    last lock expired after decision advice (CMA-7); None otherwise."""
    now = now or timezone.now()
    last = (
        CustomerLock.objects.filter(customer=customer)
        .select_related("business_area")
        .order_by("-locked_at", "-id")
        .first()
    )
    if last is None or last.expires_at is None or last.expires_at > now:
        return None
    if last.release_kind not in ("", "expired"):
        return None
    return last.business_area


def open_intrays(customer: Customer) -> list[Intray]:
    return with_privacy(
        list(
            Intray.objects.filter(customer=customer, status__in=LIVE_STATUSES)
            .select_related("type", *_OWNER_RELATED)
            .order_by("priority", "due_on", "id")
        )
    )


_TEXTS = ("note", "outcome", "deleted_reason")


def with_privacy(items: list[Intray]) -> list[Intray]:
    """Separating Safely (DOC-6) for intrays about to be shown, in six queries at most
    however many: `at_risk` (show the warning; querysets of queues annotate it) and
    `shown_note`, `shown_outcome`, `shown_deleted_reason`, with any protected detail
    of an at-risk other party of the intray's customer "[withheld]" (`withheld`)."""
    unflagged = [i for i in items if not hasattr(i, "at_risk")]
    if unflagged:
        flagged = at_risk_ids(i.customer_id for i in unflagged)
        for item in unflagged:
            # Not declared on Intray: the plugin then refuses `.annotate(at_risk=...)`.
            item.at_risk = item.customer_id in flagged  # type: ignore[attr-defined]
    withheld = withheld_by_customer(i.customer_id for i in items)
    for item in items:
        item.withheld = withheld[item.customer_id]
        for name in _TEXTS:
            text = getattr(item, name)
            setattr(item, f"shown_{name}", item.withheld.redact(text) if item.withheld else text)
    return items


def mask_restricted(actor: User, items: list[Intray]) -> list[Intray]:
    """Rows about customers the actor may not see keep only their ids, type, owner
    and dates (SEC-1, AC-2): `restricted` is set and the texts are blanked."""
    given = {
        i.customer_id
        for i in items
        if i.granted_by_id != actor.pk and (holds(actor, i) or leads_holder(actor, i))
    }
    hidden = access.hidden_from(actor, [i.customer for i in items], granted=given)
    for item in items:
        item.restricted = item.customer_id in hidden
        if item.restricted:
            for name in _TEXTS:
                setattr(item, f"shown_{name}", "")
    return items


RESTRICTED_NAME = "Restricted record"


def with_customer_names(actor: User, items: list[Intray]) -> list[Intray]:
    """`customer_name` and `customer_crn` beside each intray, decided by the one door
    (`access.can_see`): a customer the actor may not see is a restricted record, with
    no name and no reference number (SEC-1). For one or a few items: the door may
    ask each protected customer's grants."""
    for item in items:
        visible = access.can_see(actor, item.customer)
        item.customer_visible = visible
        item.customer_name = item.customer.full_name if visible else RESTRICTED_NAME
        item.customer_crn = item.customer.crn if visible else ""
    return items


def next_work_result(officer: User, taken: Intray) -> Intray:
    """The intray just handed out (WRK-4), ready to show: type, customer and owner
    loaded, Separating Safely applied (DOC-6), the customer's name through the door,
    and `already_yours` when it was the officer's before. No audit row: the hand-out
    wrote it."""
    item = Intray.objects.select_related("type", "customer", "case", *_OWNER_RELATED).get(
        pk=taken.pk
    )
    item.already_yours = getattr(taken, "already_yours", False)
    item = with_customer_names(officer, with_privacy([item]))[0]
    item.restricted = not item.customer_visible
    if item.restricted:
        # Nothing about a customer the officer may not see, not even the kind of
        # protection (SEC-1): only the type, owner and dates of the work.
        item.at_risk = False  # type: ignore[attr-defined]  # set by with_privacy
        for name in _TEXTS:
            setattr(item, f"shown_{name}", "")
    return item


def _require_work_access(actor: User, action: str, customer_id: int | None = None) -> None:
    if not actor.has_perm("work.view_work"):
        error = PermissionDenied("your role does not give access to customer work")
        record_refusal(actor=actor, action=action, error=error, customer_id=customer_id)
        raise error


def customer_for_work(actor: User, customer_id: int, action: str) -> Customer:
    """A customer fetched through the one door for a work operation; the operation
    writes the audit row (the door audits a refusal)."""
    _require_work_access(actor, action, customer_id)
    return access.enter(actor, customer_id, action=action)


def customer_work(actor: User, customer_id: int) -> dict[str, Any]:
    """Lock, ownership after expiry and live intrays of one customer; audited read."""
    action = "work.customer.work_viewed"
    customer = customer_for_work(actor, customer_id, action)
    record(actor=actor, action=action, obj=customer, customer_id=customer.pk)
    return {
        "customer": customer,
        "lock": active_lock_for(customer),
        "area_after_expiry": owning_area_after_expiry(customer),
        "intrays": open_intrays(customer),
    }


def intray_for(actor: User, intray_id: int, *, audit: bool = True) -> Intray:
    """An intray, through the one door of its customer (SEC-1); any customer-facing
    officer may see any other customer's intray and its owner (CMA-5)."""
    action = "work.intray.viewed"
    _require_work_access(actor, action)
    intray = (
        Intray.objects.select_related("type", "customer", "case", "created_by", *_OWNER_RELATED)
        .filter(pk=intray_id)
        .first()
    )
    if intray is None:
        raise IntrayNotFound("no such intray", field="intray_id")
    access.admit(actor, intray.customer, action=action)
    if audit:
        record(actor=actor, action=action, obj=intray, customer_id=intray.customer_id)
    return intray


def owner_labels(keys: set[str]) -> dict[str, str]:
    """Display labels for owner keys ("user:3", "team:2", "area:5"), three queries at most."""
    by_kind: dict[str, set[int]] = {"user": set(), "team": set(), "area": set()}
    for key in keys:
        if key and ":" in key:
            kind, _, ident = key.partition(":")
            if kind in by_kind and ident.isdigit():
                by_kind[kind].add(int(ident))
    labels: dict[str, str] = {}
    models: dict[str, type[User] | type[Team] | type[BusinessArea]] = {
        "user": User,
        "team": Team,
        "area": BusinessArea,
    }
    for kind, ids in by_kind.items():
        if ids:
            for obj in models[kind].objects.filter(pk__in=ids):
                labels[f"{kind}:{obj.pk}"] = str(obj)
    return labels


def intray_history(intray: Intray) -> list[dict[str, Any]]:
    """Every move of the intray, escalations included, oldest first; texts masked
    like the intray's own (DOC-6)."""
    if not hasattr(intray, "withheld"):
        with_privacy([intray])
    events = list(IntrayEvent.objects.filter(intray=intray).select_related("actor"))
    labels = owner_labels({e.from_owner for e in events} | {e.to_owner for e in events})
    rows = [
        {
            "at": e.at,
            "kind": e.kind,
            "label": e.get_kind_display(),
            "actor": str(e.actor) if e.actor else "system",
            # Older rows moved work "from" its holder "to" the same holder: no move.
            "from_owner": ""
            if e.from_owner == e.to_owner
            else labels.get(e.from_owner, e.from_owner),
            "to_owner": labels.get(e.to_owner, e.to_owner),
            "text": intray.withheld.redact(e.text) if intray.withheld else e.text,
        }
        for e in events
    ]
    for esc in Escalation.objects.filter(intray=intray).select_related("leader", "team", "area"):
        rows.append(
            {
                "at": esc.created_at,
                "kind": "escalated",
                "label": "Escalated to Team Leader (overdue)",
                "actor": "system",
                "from_owner": "",
                "to_owner": str(esc.leader or esc.team or esc.area or ""),
                "text": f"due {formats.day(esc.due_on)}",
            }
        )
    return sorted(rows, key=lambda r: r["at"])


def lock_history(customer: Customer, limit: int = 20) -> list[LockEvent]:
    return list(
        LockEvent.objects.filter(customer=customer)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def queues_of(officer: User) -> Q:
    """The queues an officer serves: their own, their team's, their business area's."""
    q = Q(owner_user_id=officer.pk)
    if officer.team_id:
        q |= Q(owner_team_id=officer.team_id) | Q(owner_area_id=officer.business_area_id)
    return q


def my_work(officer: User) -> dict[str, Any]:
    """The officer's own live intrays and the open counts of the queues they serve."""
    _require_work_access(officer, "work.queue.viewed")
    # One OR arm per partial index (open / in progress), so neither reads history.
    live = Q(status=IntrayStatus.OPEN) | Q(status=IntrayStatus.IN_PROGRESS)
    mine = with_privacy(
        list(
            Intray.objects.filter(live, owner_user=officer)
            .annotate(at_risk=at_risk_exists())
            .select_related("type", "customer", "owner_user")
            .order_by("priority", "due_on", "id")[:200]
        )
    )
    mask_restricted(officer, mine)
    counts = {"team": 0, "area": 0}
    if officer.team_id:
        open_rows = Intray.objects.filter(status="open")
        counts["team"] = open_rows.filter(owner_team_id=officer.team_id).count()
        counts["area"] = open_rows.filter(owner_area_id=officer.business_area_id).count()
    record(
        actor=officer,
        action="work.queue.viewed",
        object_type="staff.user",
        object_id=str(officer.pk),
        changes={"items": len(mine)},
    )
    return {"mine": mine, "counts": counts, "today": agency_today()}


def team_queue(leader: Any, *, limit: int = 500, query: Any = None) -> dict[str, Any]:
    """A leader's team queue: live work owned by the team, its members and its business
    area, sorted and filtered by `query` (a `queue.QueueQuery`; default: due first),
    each row with its version; the unacknowledged escalations addressed to the team;
    and each officer's live and overdue counts."""
    from . import queue as team_list

    query = query or team_list.QueueQuery()
    if not leader.has_perm("work.view_team_queue"):
        error = PermissionDenied("only Team Leaders see the team queue")
        record_refusal(actor=leader, action="work.team_queue.viewed", error=error)
        raise error
    team = leader.team
    scope = Q(owner_team=team) | Q(owner_user__team=team) | Q(owner_area_id=team.business_area_id)
    items = with_privacy(
        list(
            team_list.apply(Intray.objects.filter(scope, status__in=LIVE_STATUSES), query)
            .annotate(at_risk=at_risk_exists())
            .select_related("type", "customer", *_OWNER_RELATED)[:limit]
        )
    )
    mask_restricted(leader, items)
    escalations = list(
        Escalation.objects.filter(acknowledged_at=None, area_id=team.business_area_id)
        .filter(Q(team=team) | Q(team=None))
        .annotate(at_risk=at_risk_exists("intray__customer_id"))
        .select_related("intray__type", "intray__customer", "leader")
        .order_by("created_at", "id")[:limit]
    )
    record(
        actor=leader,
        action="work.team_queue.viewed",
        object_type="staff.team",
        object_id=str(team.pk),
        changes={
            "items": len(items),
            "escalations": len(escalations),
            **({"query": query.as_params()} if query.as_params() else {}),
        },
    )
    members = list(
        User.objects.filter(team=team, is_active=True).order_by("first_name", "last_name")
    )
    return {
        "query": query,
        "counts": team_list.officer_counts(team, members),
        "team": team,
        "items": items,
        "escalations": escalations,
        "members": members,
        "today": agency_today(),
    }


def creatable_intray_types(actor: Any) -> list[IntrayType]:
    """The intray types this actor may create by hand (WRK-6), most urgent first:
    never a system-only type, and a restricted type only for its roles."""
    types = IntrayType.objects.filter(active=True, system_only=False).select_related(
        "routes_to_area"
    )
    role = getattr(actor, "role", "")
    return [t for t in types.order_by("priority", "name") if t.may_be_created_by(role)]


def assignable_teams() -> QuerySet[Team]:
    return Team.objects.select_related("business_area").order_by("name")
