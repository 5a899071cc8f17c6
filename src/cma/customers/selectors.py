"""Reads of customers and cases through the one door (`cma.customers.access`),
scoped to the acting user and audited once per operation (AUD-1, SEC-1)."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from cma import formats
from cma.audit.services import record, record_refusal
from cma.errors import NotFound, PermissionDenied
from cma.staff.models import User

from . import access
from .models import (
    AlternativeContact,
    Case,
    Customer,
    CustomerRole,
    RepresentativeAuthority,
)
from .timezones import local_time


def _require_customer_access(actor: User, action: str, customer_id: int | None = None) -> None:
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error, customer_id=customer_id)
        raise error


@dataclass(frozen=True)
class SearchHit:
    """One search result. A protected customer the actor has no need to know about
    shows as a restricted record: no name, reference, role or location (SEC-1)."""

    id: int
    crn: str
    given_names: str
    family_name: str
    role: str
    state: str
    country: str
    restricted: bool = False

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_overseas(self) -> bool:
        return bool(self.country) and self.country != "AU"

    def get_role_display(self) -> str:
        return CustomerRole(self.role).label if self.role else ""


def _hit(actor: User, customer: Customer, known: frozenset[str]) -> SearchHit:
    if known and not access.decide(actor, customer, known=known).allowed:
        return SearchHit(customer.pk, "", "", "Restricted record", "", "", "", restricted=True)
    return SearchHit(
        customer.pk,
        customer.crn,
        customer.given_names,
        customer.family_name,
        customer.role,
        customer.state,
        customer.country,
    )


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")
_PHONE = re.compile(r"^\+?[\d\s()\-]{8,20}$")


def _day(word: str) -> date | None:
    """A date of birth typed as 2024-03-01 or 1/3/2024 (day first, as in Australia)."""
    m = _DAY.match(word)
    if not m:
        return None
    y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _phone(query: str) -> str | None:
    """The E.164 form of a phone number typed any usual way; None if it is not one."""
    if not _PHONE.match(query):
        return None
    try:
        number = phonenumbers.parse(query, "AU")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def search_customers(actor: User, query: str, limit: int = 50) -> list[SearchHit]:
    """Search by exact reference number, case number, phone number (search only: a
    number is never shown), or name words (all must match), optionally with a date of
    birth among them ("Smith 3/4/1985")."""
    _require_customer_access(actor, "customers.customer.searched")
    query = query.strip()
    qs: QuerySet[Customer] = Customer.objects.all()
    if not query:
        return []
    compact = query.replace(" ", "").upper()
    phone = _phone(query)
    if phone is not None:
        qs = qs.filter(phones__number=phone)
    elif compact.isalnum() and any(c.isdigit() for c in compact):
        qs = qs.filter(
            Q(crn=compact)
            | Q(cases_as_payer__case_number=compact)
            | Q(cases_as_payee__case_number=compact)
        )
    else:
        for word in query.split():
            born = _day(word)
            if born is not None:
                qs = qs.filter(date_of_birth=born)
            else:
                qs = qs.filter(Q(given_names__icontains=word) | Q(family_name__icontains=word))
    found = list(qs.distinct().order_by("family_name", "given_names", "id")[:limit])
    protection = access.flags_for(c.pk for c in found)
    results = [_hit(actor, c, protection.get(c.pk, frozenset())) for c in found]
    record(
        actor=actor,
        action="customers.customer.searched",
        changes={
            "results": [h.id for h in results if not h.restricted],
            "restricted": [h.id for h in results if h.restricted],
        },
    )
    return results


def get_customer_for(
    actor: User, customer_id: int, *, purpose: str = "viewed", audit: bool = True
) -> Customer:
    """The customer record through the one door; the read is audited once here
    (`audit=False` when a write follows that writes the operation's one row).
    Without need-to-know: RestrictedRecord (404 with the restricted notice), audited
    by the door."""
    action = f"customers.customer.{purpose}"
    customer = access.enter(actor, customer_id, action=action)
    if audit:
        record(actor=actor, action=action, obj=customer, customer_id=customer.pk)
    return customer


def restricted_notice(actor: User, customer_id: int) -> access.Notice:
    """The restricted notice of a customer (who manages them, where to transfer);
    viewing it is audited (one row). NotFound for an unknown id."""
    action = "customers.customer.restricted_notice_viewed"
    _require_customer_access(actor, action, customer_id)
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("no such customer", field="customer_id")
    notice = access.notice(actor, customer)
    notice.restricted = not access.can_see(actor, customer)
    record(actor=actor, action=action, obj=customer, customer_id=customer.pk)
    return notice


def customer_overview(customer: Customer) -> dict[str, Any]:
    """Everything the first customer page shows, in a fixed handful of queries."""
    cases = list(
        Case.objects.filter(Q(payer=customer) | Q(payee=customer))
        .select_related("payer", "payee", "account")
        .prefetch_related("children")
        .order_by("case_number")
    )
    # Read once here and reused by every panel (`customer.phones.all()`, ...).
    prefetch_related_objects(
        [customer],
        "phones",
        Prefetch(
            "representativeauthority_set",
            RepresentativeAuthority.objects.select_related("representative"),
        ),
        Prefetch("alternative_contacts", AlternativeContact.objects.order_by("-ends_on")),
    )
    now_there = local_time(customer.zone)
    # Wall-clock time where they live: the formats would turn an aware time into ours.
    wall = now_there.replace(tzinfo=None)
    return {
        "customer": customer,
        # The time where they live, beside their zone (CON-13).
        "customer_local_time": now_there,
        "customer_local_text": f"{formats.time_of_day(wall)}, {formats.day(wall)}",
        "cases": cases,
        "phones": list(customer.phones.all()),
        "representatives": list(customer.representativeauthority_set.all()),
        "alternative_contacts": list(customer.alternative_contacts.all()),
    }


def get_case_for(actor: User, case_id: int) -> Case:
    """A case, if the actor may see at least one of its parties through the door.
    One audit row, naming the party through whom it was read."""
    action = "customers.case.viewed"
    _require_customer_access(actor, action)
    case = (
        Case.objects.select_related("payer", "payee", "account")
        .prefetch_related("children")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("no such case", field="case_id")
    through = next((p for p in (case.payer, case.payee) if access.can_see(actor, p)), None)
    if through is None:
        access.admit(actor, case.payer, action=action)  # refuses, audited
        raise NotFound("no such case", field="case_id")
    record(
        actor=actor,
        action=action,
        obj=case,
        customer_id=through.pk,
        changes={"parties": [case.payer_id, case.payee_id]},
    )
    return case
