"""What work management tells the one door (cma.customers.access): the holder of a
customer's active lock or of a live intray on them, and that holder's Team Leader,
have need-to-know — when someone else (or the system) gave them that work. The
restricted notice says who holds the customer and where to transfer the caller."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from cma.customers import access
from cma.customers.models import Customer

from .models import LIVE_STATUSES, CustomerLock, Intray
from .ownership import holder_of
from .permissions import holds, leads_holder

_RELATED = ("owner_user__team", "owner_team__business_area", "owner_area")


def _work_on(customer: Customer) -> list[Any]:
    now = timezone.now()
    lock = (
        CustomerLock.objects.select_related(*_RELATED)
        .filter(customer=customer, released_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .first()
    )
    intrays = Intray.objects.select_related(*_RELATED).filter(
        customer=customer, status__in=LIVE_STATUSES
    )
    return ([lock] if lock else []) + list(intrays[:50])


def holds_given_work(actor: Any, customer: Customer) -> str | None:
    for work in _work_on(customer):
        if work.granted_by_id is not None and work.granted_by_id == actor.pk:
            continue  # work the actor gave themselves grants nothing
        if holds(actor, work):
            return "holds-work"
        if leads_holder(actor, work):
            return "leads-holder"
    return None


def holder_and_transfer(actor: Any, customer: Customer) -> list[access.NoticeLine]:
    from .routing import recommend

    lines = []
    lock = next((w for w in _work_on(customer) if isinstance(w, CustomerLock)), None)
    if lock is not None:
        lines.append(access.NoticeLine("managed-by", f"locked to {holder_of(lock).label}"))
    advice = recommend(customer=customer, issues=["general-enquiry"], actor=actor, audit=False)
    for item in advice:
        if item.owner_label:
            lines.append(access.NoticeLine("transfer-to", f"{item.owner_label}: {item.reason}"))
    return lines


def register() -> None:
    access.GRANT_PROVIDERS.append(holds_given_work)
    access.NOTICE_PROVIDERS.append(holder_and_transfer)
