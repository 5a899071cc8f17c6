# mypy: disallow-untyped-defs, disallow-incomplete-defs, disallow-untyped-calls
# mypy: warn-return-any, disallow-any-generics, check-untyped-defs
"""Reads for the PS mandate (PS-12), each through the one door with its audit row."""

from dataclasses import dataclass

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Customer
from cma.decisions.models import Decision
from cma.decisions.selectors import decision_for
from cma.staff.models import User

from . import mandate
from .errors import NoSuchPsRecord
from .models import PsConsultation


def customer_mandate(actor: User, customer_id: int) -> tuple[Customer, mandate.Manager | None]:
    """Who manages the customer under the PS mandate, and how to reach them."""
    action = "personalised.mandate.viewed"
    customer = access.enter(actor, customer_id, action=action)
    manager = mandate.who_manages(customer)
    record(
        actor=actor,
        action=action,
        obj=customer,
        customer_id=customer.pk,
        changes={"ps_customer": manager is not None},
    )
    return customer, manager


@dataclass
class PartyMandate:
    customer: Customer
    role: str  # payer | payee
    manager: mandate.Manager | None
    required: bool  # a consultation must be recorded before finalising or notifying
    consultation: PsConsultation | None


def parties(decision: Decision) -> list[PartyMandate]:
    """Per affected customer: are they a PS customer, who manages them, is a
    consultation needed, and the consultation if there is one. A fixed number of
    queries per party (a decision has two)."""
    needed = {c.pk for c, _ in mandate.consultations_needed(decision)}
    found = {
        c.customer_id: c
        for c in PsConsultation.objects.filter(decision=decision).select_related(
            "consulted", "recorded_by", "requested_by", "intray"
        )
    }
    out = []
    for customer in (decision.case.payer, decision.case.payee):
        out.append(
            PartyMandate(
                customer=customer,
                role="payer" if customer.pk == decision.case.payer_id else "payee",
                manager=mandate.who_manages(customer),
                required=customer.pk in needed,
                consultation=found.get(customer.pk),
            )
        )
    return out


def decision_mandate(actor: User, decision_id: int) -> tuple[Decision, list[PartyMandate]]:
    action = "personalised.mandate.decision-viewed"
    decision = decision_for(actor, decision_id, action=action)
    found = parties(decision)
    record(
        actor=actor,
        action=action,
        obj=decision,
        customer_id=decision.case.payer_id,
        changes={"required": [p.customer.pk for p in found if p.required]},
    )
    return decision, found


def consultation_target(
    actor: User, decision_id: int, customer_id: int, *, action: str
) -> tuple[Decision, Customer]:
    """The decision and the one party a consultation is about. The consultation
    concerns that customer only, so only that customer passes the door (as an
    explanation does, CON-17). 404 audited for anyone else or a non-party."""
    decision = decision_for(actor, decision_id, action=action, only=customer_id)
    case = decision.case
    if customer_id not in (case.payer_id, case.payee_id):
        missing = NoSuchPsRecord(
            "this customer is not affected by the decision", field="customer_id"
        )
        record_refusal(
            actor=actor,
            action=action,
            error=missing,
            object_type="decisions.decision",
            object_id=str(decision.pk),
        )
        raise missing
    customer = case.payer if customer_id == case.payer_id else case.payee
    return decision, customer
