"""The auditor's trail viewer (AUD-1, SEC-1, issue 23 item 7): the audit trail searched
by customer, actor, action and period, newest first, a page at a time by keyset; each
record with its place in the chain and whether its link verifies. Auditors see who
touched a customer (the customer's number only), never the customer's details."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.audit.services import CHAIN_FIELDS, chain_hash, record
from cma.customers.models import Customer
from cma.errors import PermissionDenied, Unmet, ValidationFailed
from cma.staff.models import User

PAGE_SIZE = 50
_ACTION = re.compile(r"^[a-z0-9_.-]{1,100}$")
_CRN = re.compile(r"^[0-9]{9}[A-Z]$")
_NUMBER = re.compile(r"^[0-9]{1,18}$")


class TrailForbidden(PermissionDenied):
    code = "audit-trail-forbidden"


class TrailRefused(ValidationFailed):
    code = "audit-trail-refused"


@dataclass(frozen=True)
class TrailFilter:
    customer: str = ""  # a customer reference number (CRN) or the customer's number
    actor: str = ""  # a username
    action: str = ""  # an action code, or its start ("customers.")
    start: date | None = None
    end: date | None = None

    def as_audit(self) -> dict[str, Any]:
        found = {k: v for k, v in vars(self).items() if v not in ("", None)}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in found.items()}


@dataclass
class TrailRow:
    id: int
    seq: int | None
    created_at: datetime
    actor_label: str
    action: str
    outcome: str
    object_type: str
    object_id: str
    customer_id: int | None
    reason: str
    changed: list[str]
    chain: str  # "verified", "broken" or "not yet sealed"


@dataclass
class TrailPage:
    rows: list[TrailRow]
    next_before: int | None  # the keyset of the next (older) page, if there is one
    customer_id: int | None


def require_trail_access(actor: User) -> None:
    if not actor.has_perm("audit.view_audit"):
        raise TrailForbidden("only auditors and administrators search the audit trail")


def _customer_id(text: str) -> int | None:
    text = text.strip().upper()
    if not text:
        return None
    if _NUMBER.match(text):
        return int(text)
    if _CRN.match(text):
        found = Customer.objects.filter(crn=text).values_list("pk", flat=True).first()
        if found is not None:
            return int(found)
        raise TrailRefused("no customer has that reference number", field="customer")
    raise TrailRefused(
        "give a customer reference number (9 digits and a letter) or the customer's number",
        field="customer",
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _records(f: TrailFilter) -> tuple[QuerySet[AuditRecord], int | None]:
    problems: list[tuple[str | None, str]] = []
    if f.action and not _ACTION.match(f.action):
        problems.append(("action", "an action code is lower-case letters, digits, . _ and -"))
    if len(f.actor) > 150:
        problems.append(("actor", "a username has at most 150 characters"))
    if f.start and f.end and f.end < f.start:
        problems.append(("end", "the period ends before it starts"))
    try:
        customer_id = _customer_id(f.customer)
    except TrailRefused as exc:
        problems.append((exc.field, exc.message))
        customer_id = None
    if problems:
        raise Unmet.from_problems("the search cannot run", problems)
    records = AuditRecord.objects.all()
    if customer_id is not None:
        records = records.filter(customer_id=customer_id)
    if f.actor:
        users = User.objects.filter(username__iexact=f.actor.strip()).values("pk")
        records = records.filter(actor_id__in=users)
    if f.action:
        records = records.filter(action__startswith=f.action)
    if f.start:
        records = records.filter(created_at__gte=_midnight(f.start))
    if f.end:
        records = records.filter(created_at__lt=_midnight(f.end + timedelta(days=1)))
    return records, customer_id


def _chain_states(rows: list[dict[str, Any]]) -> dict[int, str]:
    """Each sealed row verifies when its contents match its hash and it links to the
    record before it in the chain (one query for those predecessors)."""
    wanted = {r["seq"] - 1 for r in rows if r["seq"] and r["seq"] > 1}
    hashes = dict(
        AuditRecord.objects.filter(seq__in=wanted).values_list("seq", "hash") if wanted else []
    )
    states = {}
    for r in rows:
        if r["seq"] is None:
            states[r["id"]] = "not yet sealed"
            continue
        before = hashes.get(r["seq"] - 1, "") if r["seq"] > 1 else r["prev_hash"]
        ok = chain_hash(r) == r["hash"] and before == r["prev_hash"]
        states[r["id"]] = "verified" if ok else "broken"
    return states


def search_trail(actor: User, f: TrailFilter, *, before: int | None = None) -> TrailPage:
    """A page of the trail, newest first; three queries whatever the trail's size, and
    one audit row saying who searched for what."""
    require_trail_access(actor)
    records, customer_id = _records(f)
    if before is not None:
        records = records.filter(id__lt=before)
    found = list(records.order_by("-id").values(*CHAIN_FIELDS)[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    states = _chain_states(found)
    rows = [
        TrailRow(
            id=r["id"],
            seq=r["seq"],
            created_at=r["created_at"],
            actor_label=r["actor_label"],
            action=r["action"],
            outcome=r["outcome"],
            object_type=r["object_type"],
            object_id=r["object_id"],
            customer_id=r["customer_id"],
            reason=r["reason"],
            changed=sorted(r["changes"]) if isinstance(r["changes"], dict) else [],
            chain=states[r["id"]],
        )
        for r in found
    ]
    record(
        actor=actor,
        action="audit.trail.searched",
        customer_id=customer_id,
        changes={"filter": f.as_audit(), "before": before, "rows": len(rows)},
    )
    return TrailPage(
        rows=rows, next_before=rows[-1].id if more and rows else None, customer_id=customer_id
    )


EXPORT_HEADER = [
    "record",
    "position in chain",
    "at",
    "actor",
    "action",
    "outcome",
    "object type",
    "object",
    "customer number",
    "reason",
    "fields changed",
]


def export_trail(actor: User, f: TrailFilter) -> Iterator[list[Any]]:
    """The rows of the whole search, oldest first, as CSV cells, read in chunks. The
    checks and the one audit row (filter and row count) happen now, before streaming."""
    require_trail_access(actor)
    records, customer_id = _records(f)
    count = records.count()
    record(
        actor=actor,
        action="audit.trail.exported",
        customer_id=customer_id,
        changes={"filter": f.as_audit(), "rows": count},
    )
    return _export_rows(records)


_EXPORT_COLUMNS = (
    "id",
    "seq",
    "created_at",
    "actor_label",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "customer_id",
    "reason",
    "changes",
)


def _export_rows(records: QuerySet[AuditRecord]) -> Iterator[list[Any]]:
    for r in records.order_by("id").values_list(*_EXPORT_COLUMNS).iterator(chunk_size=2000):
        *cells, changes = r
        yield [*cells, " ".join(sorted(changes)) if isinstance(changes, dict) else ""]
