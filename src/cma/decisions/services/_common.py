"""Shared pieces of the decision services: one transaction with one audited refusal,
the decision under its row lock, and the one door for every party it affects."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from cma.audit.services import record_refusal
from cma.customers import access
from cma.customers.models import Customer
from cma.errors import DomainError
from cma.staff.models import User

from ..errors import NotYourDecision
from ..models import Decision

F = TypeVar("F", bound=Callable[..., Any])


def _subject_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    decision = kwargs.get("decision")
    customer = kwargs.get("customer")
    case = kwargs.get("case") or getattr(decision, "case", None)
    customer_id = getattr(customer, "pk", None) or getattr(case, "payer_id", None)
    found: dict[str, Any] = {"customer_id": customer_id}
    if decision is not None:
        found.update(object_type="decisions.decision", object_id=str(decision.pk))
    return found


def audited(action: str) -> Callable[[F], F]:
    """Run the service in one transaction; a refusal (DomainError) is recorded in its
    own transaction after the rollback, then re-raised (one row either way)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    return fn(**kwargs)
            except DomainError as exc:
                record_refusal(
                    actor=kwargs.get("actor"), action=action, error=exc, **_subject_of(kwargs)
                )
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def admit_parties(actor: User, decision: Decision, *, action: str, only: int | None = None) -> None:
    """A decision tells about every party of its case, so each passes the one door.
    `only`: a step about one party (its explanation, CON-17) discloses nothing of the
    other, so that party alone passes; anyone else is checked against both."""
    parties: tuple[Customer, ...] = (decision.case.payer, decision.case.payee)
    if only in (decision.case.payer_id, decision.case.payee_id):
        parties = tuple(c for c in parties if c.pk == only)
    for customer in parties:
        access.admit(actor, customer, action=action)


def locked(
    decision: Decision, actor: User, *, action: str, maker: bool = True, only: int | None = None
) -> Decision:
    """Re-read the decision under its row lock (so two finalisations queue, and the
    second sees the first's result); `maker`: only its decision maker may move it."""
    current = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("case__payer", "case__payee", "decision_maker")
        .get(pk=decision.pk)
    )
    admit_parties(actor, current, action=action, only=only)
    if maker and current.decision_maker_id != actor.pk:
        raise NotYourDecision("only the decision maker may change or move this decision")
    return current
