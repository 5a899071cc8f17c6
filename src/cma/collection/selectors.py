"""Reads of the collection app. The call screen's sections and the customer page's panel
read through `call_collection` / `customer_issues` without an audit row of their own
(their page read the call or the customer through the door, one row); the API's reads
pass the door and audit the read (AUD-1). Each read is a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from cma.audit.services import record, record_refusal
from cma.contact import selectors as contact_selectors
from cma.contact.models import Interaction
from cma.customers import access
from cma.customers.models import Case, Customer
from cma.errors import DomainError
from cma.staff.models import User

from .models import McaRecord, PayeeLead, PayeeUpdate, PresentingIssue
from .services._common import cases_of
from .services.mca import mca_applies

ISSUES_SHOWN = 50


@dataclass
class CaseMca:
    case: Case
    role: str  # "payer" or "payee": the customer's part in this case
    record: McaRecord | None

    @property
    def account(self) -> Any:
        return getattr(self.case, "account", None)


@dataclass
class CallCollection:
    interaction: Interaction
    applies: bool
    cases: list[CaseMca]
    issues: list[PresentingIssue]
    leads: list[PayeeLead]
    updates: dict[int, PayeeUpdate] = field(default_factory=dict)

    @property
    def missing(self) -> list[CaseMca]:
        return [c for c in self.cases if c.record is None]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def payee_cases(self) -> list[CaseMca]:
        return [c for c in self.cases if c.role == "payee"]


def call_collection(interaction: Interaction) -> CallCollection:
    """MCA per case, the call's issues, payee leads and updates. The caller has read the
    interaction through the door, its identity confirmed. Read once per interaction
    object: the call screen's two sections share it."""
    cached = getattr(interaction, "_collection", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = _read(interaction)
    interaction._collection = found  # type: ignore[attr-defined]
    return found


def _read(interaction: Interaction) -> CallCollection:
    customer = interaction.customer
    records = {
        r.case_id: r
        for r in McaRecord.objects.filter(interaction=interaction).select_related(
            "follow_up_intray"
        )
    }
    cases = [
        CaseMca(c, "payer" if c.payer_id == customer.pk else "payee", records.get(c.pk))
        for c in cases_of(customer)
    ]
    issues = list(
        PresentingIssue.objects.filter(interaction=interaction)
        .select_related("intray")
        .order_by("raised_at", "pk")
    )
    payee = any(c.role == "payee" for c in cases)
    leads = (
        list(
            PayeeLead.objects.filter(interaction=interaction).select_related(
                "area", "intray", "case"
            )
        )
        if payee
        else []
    )
    updates = (
        {u.case_id: u for u in PayeeUpdate.objects.filter(interaction=interaction)} if payee else {}
    )
    return CallCollection(
        interaction=interaction,
        applies=mca_applies(interaction),
        cases=cases,
        issues=issues,
        leads=leads,
        updates=updates,
    )


def collection_of_call(actor: User, interaction_id: int) -> CallCollection:
    """`GET /interactions/{id}/collection`: the door, then one audited read. A live call
    answers only once the caller's identity is confirmed (CON-9, the refusal audited);
    an ended call is history, which anyone with need-to-know may read."""
    action = "collection.call.viewed"
    interaction = contact_selectors.interaction_for(actor, interaction_id, action=action)
    if interaction.is_open:
        try:
            contact_selectors.require_confirmed(interaction)
        except DomainError as exc:
            record_refusal(
                actor=actor,
                action=action,
                error=exc,
                customer_id=interaction.customer_id,
                object_type="contact.interaction",
                object_id=str(interaction.pk),
            )
            raise
    found = call_collection(interaction)
    record(
        actor=actor,
        action=action,
        obj=interaction,
        customer_id=interaction.customer_id,
        changes={"cases": len(found.cases), "issues": len(found.issues)},
    )
    return found


def issues_of(customer: Customer, limit: int = ISSUES_SHOWN) -> list[PresentingIssue]:
    """The customer's issues from every interaction, newest first, with where each went
    and its intray's status (CMA-4: all visible together). One query."""
    return list(
        PresentingIssue.objects.filter(customer=customer)
        .select_related("intray", "interaction")
        .order_by("-raised_at", "-pk")[:limit]
    )


def customer_issues(actor: User, customer_id: int) -> list[PresentingIssue]:
    """`GET /customers/{id}/issues`: through the one door, audited as one read."""
    action = "collection.issues.viewed"
    customer = access.enter(actor, customer_id, action=action)
    found = issues_of(customer)
    record(actor=actor, action=action, obj=customer, customer_id=customer.pk)
    return found
