"""Shared pieces of the decision services: one transaction with one audited refusal,
the decision under its row lock, and the one door for every party it affects."""

from collections.abc import Callable
from typing import Any, TypeVar

from cma.audit.services import refusals_recorded
from cma.customers import access
from cma.customers.models import Customer
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
    """One transaction; a refusal recorded once, after the rollback (AUD-1)."""
    return refusals_recorded(action, _subject_of)


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
