"""The one door (SEC-1): may this person see, or act on, this customer?

Every read or write of anything about a customer — the record, cases, children, locks,
intrays, notes, stacking documents, letters, indicators, and every later app — passes
`enter` (by id) or `admit` (an already loaded customer). The rule, also written as a
table in docs/security.md:

1. Only customer-facing roles work with customers at all (403 otherwise, audited).
2. A customer with no *protection flag* is open to every customer-facing officer.
3. A protected customer (Separating Safely, sensitive issue indicator, restricted
   service) is open only to those with need-to-know:
   - PS Case Managers, PS Team Leaders and the National Manager QCC (they manage them);
   - a *grant* from an app that owns the facts (the single point of contact, whoever
     recorded the active marker, the holder of a lock or live intray given to them by
     someone else or by the system, that holder's Team Leader);
   - a live break-the-glass grant of the officer's own (time-limited, reviewed).
   Need-to-know is never obtained from the actor's own lock, intray, transfer or
   re-assignment: the apps' grants ignore work the actor gave themselves, and taking
   work on a protected customer needs access first.
4. Everyone else gets the *restricted notice* (who manages the customer, where to
   transfer the caller, the break-the-glass button) and nothing else; the refusal is
   audited, and the operation itself writes no row.

The apps that own the facts register providers in their AppConfig.ready(), so this
module imports nothing above `customers`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from cma.audit.services import record_refusal
from cma.errors import NotFound, PermissionDenied
from cma.staff.models import Role, User

from .models import Customer, EmergencyAccess

ALWAYS_NEED_TO_KNOW = frozenset(
    {Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC}
)

# Batch: customer ids -> the protection flags that apply to each ("at-risk", ...).
FlagProvider = Callable[[list[int]], dict[int, set[str]]]
# The name of the grant this app gives `actor` on `customer`, or None.
GrantProvider = Callable[[Any, Customer], str | None]
# Lines of the restricted notice: who manages the customer, where to transfer.
NoticeProvider = Callable[[Any, Customer], list["NoticeLine"]]
# Refuses free text that must not be stored (DOC-3); raises a DomainError.
TextCheck = Callable[[str, str], None]

FLAG_PROVIDERS: list[FlagProvider] = []
GRANT_PROVIDERS: list[GrantProvider] = []
NOTICE_PROVIDERS: list[NoticeProvider] = []
TEXT_CHECKS: list[TextCheck] = []

FLAG_LABELS = {
    "at-risk": "Separating Safely",
    "sensitive": "sensitive issue",
    "restricted": "restricted service",
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    because: str  # "open", "role", a grant's name, "emergency-access", or "no-need"
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NoticeLine:
    kind: str  # "managed-by" or "transfer-to"
    text: str


@dataclass
class Notice:
    """What an officer without need-to-know is told: enough to help the caller."""

    customer_id: int
    managed_by: list[str] = field(default_factory=list)
    transfer_to: list[str] = field(default_factory=list)
    can_break_glass: bool = False
    restricted: bool = True

    def as_details(self) -> list[dict[str, Any]]:
        lines = [{"field": "managed_by", "message": t} for t in self.managed_by]
        lines += [{"field": "transfer_to", "message": t} for t in self.transfer_to]
        if self.can_break_glass:
            path = f"/api/v1/customers/{self.customer_id}/emergency-access"
            lines.append({"field": "emergency_access", "message": f"POST {path}"})
        return lines


class RestrictedRecord(NotFound):
    """404 with the restricted notice: the customer exists but the actor has no need."""

    code = "restricted-record"

    def __init__(self, notice: Notice) -> None:
        managed = "; ".join(notice.managed_by) or "Personalised Services"
        super().__init__(
            f"restricted — managed by {managed}",
            field="customer_id",
            details=notice.as_details(),
        )
        self.notice = notice


def sees_customers(actor: User) -> bool:
    return bool(actor is not None and actor.has_perm("customers.view_customer"))


def flags_for(customer_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Protection flags of many customers, one query per provider."""
    ids = list(dict.fromkeys(customer_ids))
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    if ids:
        for provider in FLAG_PROVIDERS:
            for pk, names in provider(ids).items():
                found.setdefault(pk, set()).update(names)
    return {pk: frozenset(names) for pk, names in found.items()}


def flags(customer: Customer) -> frozenset[str]:
    """One customer's flags, cached on the instance for the request."""
    cached = getattr(customer, "_cma_flags", None)
    if cached is None:
        cached = flags_for([customer.pk]).get(customer.pk, frozenset())
        customer._cma_flags = cached  # type: ignore[attr-defined]
    return cached


def forget(customer: Customer) -> None:
    """Call after a write that changes a customer's flags or grants."""
    for attr in ("_cma_flags", "_cma_decisions"):
        if hasattr(customer, attr):
            delattr(customer, attr)


def live_emergency_access(
    actor: User, customer: Customer, now: datetime | None = None
) -> EmergencyAccess | None:
    return (
        EmergencyAccess.objects.filter(
            officer=actor, customer=customer, expires_at__gt=now or timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def _decide(actor: User, customer: Customer, known: frozenset[str] | None) -> Decision:
    found = flags(customer) if known is None else known
    if not found:
        return Decision(True, "open", found)
    if actor.role in ALWAYS_NEED_TO_KNOW:
        return Decision(True, "role", found)
    for provider in GRANT_PROVIDERS:
        grant = provider(actor, customer)
        if grant:
            return Decision(True, grant, found)
    if live_emergency_access(actor, customer) is not None:
        return Decision(True, "emergency-access", found)
    return Decision(False, "no-need", found)


def decide(actor: User, customer: Customer, *, known: frozenset[str] | None = None) -> Decision:
    """The access decision for a customer-facing actor (cached per customer instance)."""
    cache: dict[int, Decision] = customer.__dict__.setdefault("_cma_decisions", {})
    key = getattr(actor, "pk", None) or 0
    if key not in cache:
        cache[key] = _decide(actor, customer, known)
    return cache[key]


def can_see(actor: User, customer: Customer | None) -> bool:
    if customer is None or not sees_customers(actor):
        return False
    return decide(actor, customer).allowed


def hidden_from(
    actor: User, customers: Iterable[Customer], *, granted: Iterable[int] = ()
) -> set[int]:
    """Ids of the listed customers the actor may not see, for lists (AC-2): one
    query per flag provider; `granted` are ids the list itself proves the actor may
    see (work given to them), so only the rest of the protected few are decided."""
    listed = {c.pk: c for c in customers}
    protection = flags_for(listed)
    known = set(granted)
    if actor.role in ALWAYS_NEED_TO_KNOW:
        return set()
    return {
        pk
        for pk, found in protection.items()
        if found and pk not in known and not decide(actor, listed[pk], known=found).allowed
    }


def notice(actor: User, customer: Customer) -> Notice:
    found = Notice(customer_id=customer.pk, can_break_glass=sees_customers(actor))
    for provider in NOTICE_PROVIDERS:
        for line in provider(actor, customer):
            target = found.managed_by if line.kind == "managed-by" else found.transfer_to
            if line.text not in target:
                target.append(line.text)
    return found


def _require_role(actor: User, action: str, customer_id: int | None) -> None:
    if not sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error, customer_id=customer_id)
        raise error


def admit(actor: User, customer: Customer, *, action: str) -> Decision:
    """Let the actor through to an already loaded customer, or refuse (audited)."""
    _require_role(actor, action, customer.pk)
    decision = decide(actor, customer)
    if not decision.allowed:
        error = RestrictedRecord(notice(actor, customer))
        record_refusal(actor=actor, action=action, error=error, customer_id=customer.pk)
        raise error
    return decision


def enter(actor: User, customer_id: int, *, action: str) -> Customer:
    """The customer behind an id, if the actor may see it. Writes no row on success:
    the operation that called it writes its own one audit row (AUD-1)."""
    _require_role(actor, action, customer_id)
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("no such customer", field="customer_id")
    admit(actor, customer, action=action)
    return customer


def check_text(text: str, field_name: str) -> None:
    """Refuse free text the registered guards refuse (DOC-3)."""
    for check in TEXT_CHECKS:
        check(text, field_name)
