"""Shared pieces of the collection services: one transaction with one audited refusal,
the live call of the officer working it (its identity confirmed: everything here names
the case, CON-9), and the customer's cases."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Q

from cma.audit.services import refusals_recorded
from cma.contact.models import Interaction
from cma.contact.services._common import working
from cma.customers.models import Case, Customer
from cma.staff.models import User

from ..errors import NotPartyToCase

F = TypeVar("F", bound=Callable[..., Any])


def _interaction_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    interaction = kwargs.get("interaction")
    return {
        "customer_id": getattr(interaction, "customer_id", None),
        "object_type": "contact.interaction" if interaction is not None else "",
        "object_id": str(getattr(interaction, "pk", "") or ""),
    }


def audited(action: str) -> Callable[[F], F]:
    """One transaction; a refusal recorded once, after the rollback (AUD-1)."""
    return refusals_recorded(action, _interaction_of)


def on_call(interaction: Interaction, actor: User, *, action: str) -> Interaction:
    """The interaction, locked, if `actor` is its officer, it is open and the caller's
    identity is confirmed for it; the customer passes the one door."""
    return working(interaction, actor, action=action, confirmed=True)


def cases_of(customer: Customer) -> list[Case]:
    """Every case the customer pays or receives on, with its account summary."""
    return list(
        Case.objects.filter(Q(payer=customer) | Q(payee=customer))
        .select_related("account")
        .order_by("case_number", "pk")
    )


def case_of(customer: Customer, case_id: Any, *, field: str = "case_id") -> Case:
    """One of the customer's cases; any other case (or none) is refused by name."""
    if not isinstance(case_id, int) or isinstance(case_id, bool):
        raise NotPartyToCase("choose one of the customer's cases", field=field)
    case = (
        Case.objects.select_related("account", "payer", "payee")
        .filter(Q(payer=customer) | Q(payee=customer), pk=case_id)
        .first()
    )
    if case is None:
        raise NotPartyToCase(
            f"the customer is not party to case {case_id}: choose one of their cases",
            field=field,
        )
    return case
