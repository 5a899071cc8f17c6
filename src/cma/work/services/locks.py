"""Customer locks (CMA-5) and auto-unlock after decision advice (CMA-7).

Model: at most one *unreleased* lock per customer (partial unique constraint); the
lock is *active* while unreleased and `expires_at` is empty or in the future. Expiry
therefore takes effect at the instant it passes, with or without a sweep. Every
service here takes the customer's row lock first (then the lock row), one order for
all writers, so concurrent lockers serialise and the loser gets a clean 409 (CONC-2).
"""

from datetime import datetime, timedelta
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from cma import formats
from cma.audit.services import record
from cma.customers import access
from cma.customers.models import Customer
from cma.errors import PermissionDenied, ValidationFailed
from cma.policy.services import parameter
from cma.staff.models import User

from ..errors import CustomerAlreadyLocked, CustomerNotLocked, NotLockHolder
from ..models import CustomerLock, LockEvent, LockEventKind
from ..ownership import holder_of
from ._common import (
    Owner,
    audited_refusals,
    clean_text,
    granted_by,
    require,
    resolve_owner,
)


def _lock_customer_row(customer: Customer) -> Customer:
    return Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)


def _unreleased(customer: Customer) -> CustomerLock | None:
    return (
        CustomerLock.objects.select_for_update(no_key=True, of=("self",))
        .select_related("owner_user__team", "owner_team", "owner_area")
        .filter(customer=customer, released_at=None)
        .first()
    )


def release_expired(lock: CustomerLock) -> None:
    """Mark an expired lock released (at its expiry instant) and record the auto-unlock.
    Call holding the customer's row lock. The sweep does the same in sets."""
    lock.released_at = lock.expires_at
    lock.release_kind = "expired"
    lock.release_reason = "auto-unlock after decision advice"
    lock.save(update_fields=["released_at", "release_kind", "release_reason"])
    LockEvent.objects.create(
        lock=lock,
        customer_id=lock.customer_id,
        kind=LockEventKind.AUTO_UNLOCKED,
        at=cast(datetime, lock.expires_at),  # an expired lock has an expiry
        owner=lock.owner_key,
    )
    record(
        actor=None,
        action="work.customer.auto_unlocked",
        obj=lock,
        customer_id=lock.customer_id,
        reason="expired",
    )


def _active_for_update(customer: Customer) -> CustomerLock | None:
    """The active lock under row locks, releasing an expired one on the way."""
    lock = _unreleased(customer)
    if lock is not None and not lock.is_active():
        release_expired(lock)
        return None
    return lock


def _create_lock(
    *, customer: Customer, owner: Owner, reason: str, actor: User, carry: CustomerLock | None = None
) -> CustomerLock:
    lock = CustomerLock(
        customer=customer,
        reason=reason,
        business_area=owner.business_area,
        locked_by=actor,
        granted_by=granted_by(actor, owner, carry),
        **owner.fields(),
    )
    if carry is not None:
        # Written advice already issued keeps its 14-day clock across a transfer.
        lock.decision_advice_issued_at = carry.decision_advice_issued_at
        lock.expires_at = carry.expires_at
    try:
        with transaction.atomic():
            lock.save()
    except IntegrityError:
        # The partial unique constraint is the last word if anything slipped past.
        raise CustomerAlreadyLocked("this customer is already locked") from None
    return lock


def _log_lock_change(
    lock: CustomerLock,
    *,
    kind: str,
    actor: User,
    action: str,
    text: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """The lock's history event and its audit row, written together."""
    LockEvent.objects.create(
        lock=lock,
        customer_id=lock.customer_id,
        kind=kind,
        actor=actor,
        owner=lock.owner_key,
        text=text,
    )
    record(
        actor=actor,
        action=action,
        obj=lock,
        customer_id=lock.customer_id,
        reason=reason,
        changes=changes if changes is not None else {"owner": lock.owner_key},
    )


@audited_refusals("work.customer.locked")
def lock_customer(
    *,
    customer: Customer,
    actor: User,
    reason: str,
    owner_user: Any = None,
    owner_team: Any = None,
    owner_area: Any = None,
) -> CustomerLock:
    """Lock the customer to an officer, a team or a business area (default: the actor)."""
    require(actor, "work.lock_customer", None, "your role cannot lock customers")
    access.admit(actor, customer, action="work.customer.locked")
    reason = clean_text(reason, "reason", required=True, max_length=300)
    owner = resolve_owner(owner_user, owner_team, owner_area) or resolve_owner(actor)
    assert owner is not None
    _lock_customer_row(customer)
    current = _active_for_update(customer)
    if current is not None:
        holder = holder_of(current)
        raise CustomerAlreadyLocked(
            f"this customer is already locked to {holder.label}; unlock or transfer the "
            "existing lock first",
            details=[{"field": None, "message": f"held by {holder.label}"}],
        )
    lock = _create_lock(customer=customer, owner=owner, reason=reason, actor=actor)
    _log_lock_change(
        lock,
        kind=LockEventKind.LOCKED,
        actor=actor,
        action="work.customer.locked",
        text=reason,
        reason=reason,
    )
    return lock


def _require_changer(actor: User, lock: CustomerLock | None, verb: str) -> CustomerLock:
    if lock is None:
        raise CustomerNotLocked("this customer has no active lock")
    require(
        actor,
        "work.change_lock",
        lock,
        f"only the lock holder ({holder_of(lock).label}), their Team Leader or a national "
        f"manager may {verb} this lock",
        error=NotLockHolder,
    )
    return lock


@audited_refusals("work.customer.unlocked")
def unlock_customer(*, customer: Customer, actor: User, reason: str) -> CustomerLock:
    access.admit(actor, customer, action="work.customer.unlocked")
    reason = clean_text(reason, "reason", required=True, max_length=300)
    _lock_customer_row(customer)
    lock = _require_changer(actor, _active_for_update(customer), "remove")
    lock.released_at = timezone.now()
    lock.released_by = actor
    lock.release_kind = "unlocked"
    lock.release_reason = reason
    lock.save(update_fields=["released_at", "released_by", "release_kind", "release_reason"])
    _log_lock_change(
        lock,
        kind=LockEventKind.UNLOCKED,
        actor=actor,
        action="work.customer.unlocked",
        text=reason,
        reason=reason,
    )
    return lock


@audited_refusals("work.customer.lock_transferred")
def transfer_lock(
    *,
    customer: Customer,
    actor: User,
    reason: str,
    owner_user: Any = None,
    owner_team: Any = None,
    owner_area: Any = None,
) -> CustomerLock:
    """Move the active lock to a new holder: the old lock is released as transferred
    and a new one created, so the history shows both holders."""
    access.admit(actor, customer, action="work.customer.lock_transferred")
    reason = clean_text(reason, "reason", required=True, max_length=300)
    owner = resolve_owner(owner_user, owner_team, owner_area)
    if owner is None:
        raise ValidationFailed("choose who the lock goes to", field="owner")
    _lock_customer_row(customer)
    old = _require_changer(actor, _active_for_update(customer), "transfer")
    if old.owner_key == owner.key:
        raise ValidationFailed("the customer is already locked to that owner", field="owner")
    old.released_at = timezone.now()
    old.released_by = actor
    old.release_kind = "transferred"
    old.release_reason = reason
    old.save(update_fields=["released_at", "released_by", "release_kind", "release_reason"])
    lock = _create_lock(customer=customer, owner=owner, reason=reason, actor=actor, carry=old)
    _log_lock_change(
        lock,
        kind=LockEventKind.TRANSFERRED,
        actor=actor,
        action="work.customer.lock_transferred",
        text=reason,
        reason=reason,
        changes={"from": old.owner_key, "to": lock.owner_key, "previous_lock": old.pk},
    )
    return lock


@audited_refusals("work.customer.decision_advice_issued")
def record_decision_advice_issued(
    *, customer: Customer, issued_at: datetime, actor: User
) -> CustomerLock | None:
    """CMA-7: written advice of a decision was issued, so the active lock expires
    `auto-unlock-days` (policy, 14) calendar days later. Returns the lock, or None if
    the customer is not locked. Called by the letters app when it issues advice."""
    access.admit(actor, customer, action="work.customer.decision_advice_issued")
    if timezone.is_naive(issued_at):
        raise ValidationFailed("issued_at must carry a time zone", field="issued_at")
    if not actor.has_perm("work.view_work"):
        raise PermissionDenied("your role does not work with customers")
    _lock_customer_row(customer)
    lock = _active_for_update(customer)
    if lock is None:
        record(
            actor=actor,
            action="work.customer.decision_advice_issued",
            obj=customer,
            customer_id=customer.pk,
            changes={"locked": False},
        )
        return None
    days = int(parameter("auto-unlock-days"))
    lock.decision_advice_issued_at = issued_at
    lock.expires_at = issued_at + timedelta(days=days)
    lock.save(update_fields=["decision_advice_issued_at", "expires_at"])
    _log_lock_change(
        lock,
        kind=LockEventKind.EXPIRY_SET,
        actor=actor,
        action="work.customer.decision_advice_issued",
        text=f"expires {formats.day(lock.expires_at)}, {formats.time_of_day(lock.expires_at)}",
        changes={"expires_at": lock.expires_at.isoformat(), "days": days},
    )
    return lock
