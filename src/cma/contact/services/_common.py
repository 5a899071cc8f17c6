"""Shared pieces of the contact services: one transaction, audited refusals, and
loading an interaction for the officer working it."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

from cma.audit.services import refusals_recorded
from cma.customers import access
from cma.staff.models import User

from ..errors import IdentityNotConfirmed, InteractionEnded, NotYourInteraction
from ..models import Interaction

F = TypeVar("F", bound=Callable[..., Any])


def _customer_id_of(kwargs: dict[str, Any]) -> int | None:
    for key in ("customer", "interaction", "plan"):
        obj = kwargs.get(key)
        if obj is not None:
            return getattr(obj, "customer_id", None) or getattr(obj, "pk", None)
    return None


def audited(action: str) -> Callable[[F], F]:
    """One transaction; a refusal recorded once, after the rollback (AUD-1)."""
    return refusals_recorded(action, lambda kw: {"customer_id": _customer_id_of(kw)})


def locked(interaction: Interaction) -> Interaction:
    """Re-read the interaction under its row lock; every change starts here."""
    return (
        Interaction.objects.select_for_update(of=("self",))
        .select_related("customer", "officer__team", "representative", "alternative_contact")
        .get(pk=interaction.pk)
    )


def working(
    interaction: Interaction, actor: User, *, action: str, confirmed: bool = False
) -> Interaction:
    """The interaction, locked, if `actor` is the officer on it and it is open.

    `confirmed`: the step discloses case or customer information, so it needs the
    caller's identity confirmed for this interaction first (CON-9). Steps that
    disclose nothing (the identity check itself, ending, a transfer) leave it False;
    an attested call may then be worked before the one door lets the officer in,
    because the confirmation is what grants need-to-know for the call."""
    current = locked(interaction)
    if not actor.has_perm("contact.act_on_interaction", current):
        raise NotYourInteraction("only the officer on this call may act on it")
    if not current.is_open:
        raise InteractionEnded(f"interaction {current.receipt} has ended")
    if confirmed and not current.confirmed:
        raise IdentityNotConfirmed(
            "CON-9: confirm the caller's identity for this interaction before disclosing "
            "anything about the case or stating the purpose of the call",
            field="identity",
        )
    if confirmed or not current.attested:
        access.admit(actor, current.customer, action=action)
    return current


def now() -> Any:
    return timezone.now()
