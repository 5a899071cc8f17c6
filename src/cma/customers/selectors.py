"""Reads of customers and cases, scoped to the acting user and audited (AUD-1, SEC-1)."""

from django.db.models import Q, QuerySet

from cma.audit.services import record, record_refusal
from cma.errors import NotFound, PermissionDenied

from .models import Case, Customer


def _require_customer_access(actor, action: str, customer_id: int | None = None) -> None:
    if not actor.has_perm("customers.view_customer"):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error, customer_id=customer_id)
        raise error


def search_customers(actor, query: str, limit: int = 50) -> list[Customer]:
    """Search by exact reference number, case number, or name words (all must match)."""
    _require_customer_access(actor, "customers.customer.searched")
    query = query.strip()
    qs: QuerySet[Customer] = Customer.objects.all()
    if not query:
        return []
    compact = query.replace(" ", "").upper()
    if compact.isalnum() and any(c.isdigit() for c in compact):
        qs = qs.filter(
            Q(crn=compact)
            | Q(cases_as_payer__case_number=compact)
            | Q(cases_as_payee__case_number=compact)
        )
    else:
        for word in query.split():
            qs = qs.filter(Q(given_names__icontains=word) | Q(family_name__icontains=word))
    results = list(qs.distinct().order_by("family_name", "given_names", "id")[:limit])
    record(
        actor=actor,
        action="customers.customer.searched",
        changes={"results": [c.pk for c in results]},
    )
    return results


class RestrictedRecord(PermissionDenied):
    """Audit code of SEC-1 refusals; the caller only ever sees "not found"."""

    code = "restricted-record"


def get_customer_for(actor, customer_id: int, *, purpose: str = "viewed") -> Customer:
    """The customer record, if the actor may see it; every read is audited.

    SEC-1: a sensitive or restricted customer is open only to those who need it (the
    object rule `customers.view_customer_record`, registered by cma.notes, which owns
    sensitivity). Anyone else gets "not found", so existence does not leak, and the
    refusal is audited."""
    action = f"customers.customer.{purpose}"
    _require_customer_access(actor, action, customer_id)
    try:
        customer = Customer.objects.get(pk=customer_id)
    except Customer.DoesNotExist:
        raise NotFound("no such customer", field="customer_id") from None
    if not actor.has_perm("customers.view_customer_record", customer):
        record_refusal(
            actor=actor,
            action=action,
            error=RestrictedRecord("no need to know"),
            customer_id=customer.pk,
        )
        error = NotFound("no such customer", field="customer_id")
        error.audited = True  # type: ignore[attr-defined]
        raise error
    record(actor=actor, action=action, obj=customer, customer_id=customer.pk)
    return customer


def customer_overview(customer: Customer) -> dict:
    """Everything the first customer page shows, in a fixed handful of queries."""
    cases = list(
        Case.objects.filter(Q(payer=customer) | Q(payee=customer))
        .select_related("payer", "payee", "account")
        .prefetch_related("children")
        .order_by("case_number")
    )
    return {
        "customer": customer,
        "cases": cases,
        "phones": list(customer.phones.all()),
        "representatives": list(
            customer.representativeauthority_set.select_related("representative")
        ),
        "alternative_contacts": list(customer.alternative_contacts.order_by("-ends_on")),
    }


def get_case_for(actor, case_id: int) -> Case:
    _require_customer_access(actor, "customers.case.viewed")
    try:
        case = (
            Case.objects.select_related("payer", "payee", "account")
            .prefetch_related("children")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise NotFound("no such case", field="case_id") from None
    for party in (case.payer_id, case.payee_id):
        record(actor=actor, action="customers.case.viewed", obj=case, customer_id=party)
    return case
