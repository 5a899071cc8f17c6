"""Reads of the contact app; each takes the acting user and passes the one door."""

from dataclasses import dataclass, field
from typing import Any

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.errors import PermissionDenied
from cma.staff.models import User

from . import policy
from .errors import IdentityNotConfirmed, NoSuchInteraction
from .models import Interaction
from .receipts import normalise

_RELATED = ("customer", "officer__team", "representative", "alternative_contact", "plan")


@dataclass
class CallView:
    """What the call screen and `GET /interactions/{id}` may show. Until identity is
    confirmed: the call's own facts, the identity questions and the contact needs;
    no customer details and no purpose (CON-9)."""

    interaction: Interaction
    questions: list[policy.Question]
    needs: dict[str, Any] = field(default_factory=dict)
    purpose_name: str = ""

    @property
    def confirmed(self) -> bool:
        return self.interaction.confirmed


def _load(pk: int) -> Interaction | None:
    return Interaction.objects.select_related(*_RELATED).filter(pk=pk).first()


def _refuse(actor: User, action: str, pk: int, customer_id: int | None = None) -> None:
    error = NoSuchInteraction("no such interaction", field="interaction_id")
    record_refusal(
        actor=actor,
        action=action,
        error=error,
        customer_id=customer_id,
        object_type="contact.interaction",
        object_id=str(pk),
    )
    raise error


def interaction_for(
    actor: User, pk: int, *, action: str = "contact.interaction.viewed"
) -> Interaction:
    """An open interaction is its officer's alone; an ended one is history anyone who
    may see the customer may read. Others get 404, audited; a read that succeeds is
    audited by the caller."""
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    interaction = _load(pk)
    if interaction is None:
        _refuse(actor, action, pk)
    assert interaction is not None
    mine = interaction.officer_id == actor.pk
    if mine and interaction.attested and not interaction.confirmed:
        return interaction  # the identity check of an attested call discloses nothing
    access.admit(actor, interaction.customer, action=action)
    if not mine and interaction.is_open:
        _refuse(actor, action, pk, interaction.customer_id)
    return interaction


def call_view(actor: User, pk: int) -> CallView:
    """The call screen's content, audited as one read."""
    from .needs import contact_needs

    interaction = interaction_for(actor, pk)
    view = CallView(
        interaction=interaction,
        questions=policy.identity_rule().questions,
        needs=contact_needs(interaction.customer),
    )
    if interaction.confirmed and interaction.purpose:
        found = policy.purposes().get(interaction.purpose)
        view.purpose_name = found.name if found else interaction.purpose
    record(
        actor=actor,
        action="contact.interaction.viewed",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"confirmed": interaction.confirmed},
    )
    return view


def require_confirmed(interaction: Interaction) -> None:
    if not interaction.confirmed:
        raise IdentityNotConfirmed(
            "CON-9: confirm the caller's identity for this interaction before anything "
            "about the case is shown",
            field="identity",
        )


def by_receipt(actor: User, receipt: str) -> Interaction:
    """Look a call up by the receipt number the customer quotes (CON-16)."""
    code = normalise(receipt)
    interaction = (
        Interaction.objects.select_related(*_RELATED).filter(receipt=code).first() if code else None
    )
    if interaction is None:
        error = NoSuchInteraction("no call has that receipt number", field="receipt")
        record_refusal(actor=actor, action="contact.receipt.looked_up", error=error)
        raise error
    access.admit(actor, interaction.customer, action="contact.receipt.looked_up")
    record(
        actor=actor,
        action="contact.receipt.looked_up",
        obj=interaction,
        customer_id=interaction.customer_id,
    )
    return interaction


def open_interaction_of(actor: User) -> Interaction | None:
    """The officer's live interaction, for the screen pop (no audit: the officer's own)."""
    return (
        Interaction.objects.select_related("customer")
        .filter(officer=actor, ended_at=None)
        .order_by("-started_at")
        .first()
    )
