"""Contact endpoints: opening an interaction, the identity gate and receipts.
Everything done in an interaction's context passes `selectors.interaction_for` (only
the officer on an open call; out of scope is 404, audited) and, before identity is
confirmed, shows nothing of the case (CON-9)."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Status

from cma.customers import access
from cma.notes.selectors import require_internal
from cma.schemas import ERRORS, PathId

from . import policy, selectors, services
from .models import Interaction
from .schemas import (
    DisputeIn,
    IdentityCheckOut,
    IdentityIn,
    InteractionIn,
    InteractionOut,
    QuestionOut,
    ReceiptOut,
)

router = Router(tags=["contact"])


def interaction_out(view: selectors.CallView) -> dict[str, Any]:
    it = view.interaction
    customer = it.customer
    return {
        "id": it.pk,
        "receipt": it.receipt,
        "customer_id": it.customer_id,
        "officer": it.officer.display_name,
        "direction": it.direction,
        "channel": it.channel,
        "party": it.party,
        "number_type": it.number_type,
        "identity": it.identity,
        "attested": it.attested,
        "survey_opt_in": it.survey_opt_in,
        "started_at": it.started_at,
        "ended_at": it.ended_at,
        "end_reason": it.end_reason,
        "outcome": it.outcome,
        "questions": [{"code": q.code, "label": q.label} for q in view.questions],
        "needs": view.needs or None,
        "purpose": (view.purpose_name or None) if view.confirmed else None,
        "customer": {
            "id": customer.pk,
            "crn": customer.crn,
            "name": customer.full_name,
            "role": customer.role,
        }
        if view.confirmed
        else None,
    }


def call_answer(request: HttpRequest, interaction: Interaction) -> dict[str, Any]:
    """The answer of a write: the call as the officer may now see it (no extra row)."""
    from .needs import contact_needs

    view = selectors.CallView(
        interaction=interaction,
        questions=policy.identity_rule().questions,
        needs=contact_needs(interaction.customer),
    )
    if interaction.confirmed and interaction.purpose:
        found = policy.purposes().get(interaction.purpose)
        view.purpose_name = found.name if found else interaction.purpose
    return interaction_out(view)


@router.get("/contact/identity-questions", response={200: list[QuestionOut], **ERRORS})
def identity_questions(request: HttpRequest):
    """The identity confirmation questions (policy data, CON-9)."""
    return [{"code": q.code, "label": q.label} for q in policy.identity_rule().questions]


@router.post("/customers/{customer_id}/interactions", response={201: InteractionOut, **ERRORS})
def open_interaction(request: HttpRequest, customer_id: PathId, payload: InteractionIn):
    """Open a call, SMS or meeting with the customer; it starts unconfirmed (CON-9)
    and gets its receipt number (CON-16). One open interaction per officer's line."""
    require_internal(request)
    customer = access.enter(request.user, customer_id, action="contact.interaction.opened")
    interaction = services.open_interaction(customer=customer, actor=request.user, **payload.dict())
    return Status(201, call_answer(request, interaction))


@router.get("/interactions/{interaction_id}", response={200: InteractionOut, **ERRORS})
def read_interaction(request: HttpRequest, interaction_id: PathId):
    """The call as its officer may see it: before identity is confirmed, the call's
    own facts, the questions and the contact needs only."""
    require_internal(request)
    return interaction_out(selectors.call_view(request.user, interaction_id))


@router.post("/interactions/{interaction_id}/identity", response={200: IdentityCheckOut, **ERRORS})
def check_identity(request: HttpRequest, interaction_id: PathId, payload: IdentityIn):
    """Record the caller's answers; the system compares them with the record and keeps
    only which questions matched."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.identity.checked"
    )
    check = services.confirm_identity(
        interaction=interaction, actor=request.user, answers=payload.answers
    )
    interaction.refresh_from_db()
    return {
        "result": check.result,
        "asked": check.asked,
        "matched": check.matched,
        "interaction": call_answer(request, interaction),
    }


@router.post(
    "/interactions/{interaction_id}/identity-dispute", response={200: InteractionOut, **ERRORS}
)
def dispute_identity(request: HttpRequest, interaction_id: PathId, payload: DisputeIn):
    """The person disputes being party to the case: SGT macro note and referral (CON-10)."""
    require_internal(request)
    interaction = selectors.interaction_for(
        request.user, interaction_id, action="contact.identity.disputed"
    )
    interaction = services.dispute_identity(
        interaction=interaction, actor=request.user, **payload.dict()
    )
    return call_answer(request, interaction)


@router.get("/receipts/{receipt}", response={200: ReceiptOut, **ERRORS})
def look_up_receipt(
    request: HttpRequest,
    receipt: Annotated[str, Path(min_length=8, max_length=12, pattern=r"^[0-9A-Za-z -]+$")],
):
    """The call a customer's receipt number names (CON-16), however it is typed."""
    require_internal(request)
    it = selectors.by_receipt(request.user, receipt)
    return {
        "receipt": it.receipt,
        "interaction_id": it.pk,
        "customer_id": it.customer_id,
        "officer": it.officer.display_name,
        "channel": it.channel,
        "direction": it.direction,
        "started_at": it.started_at,
        "ended_at": it.ended_at,
        "outcome": it.outcome,
    }
