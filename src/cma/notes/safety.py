"""Separating Safely (DOC-6), read side: who is at risk, what must be withheld from
everything concerning the other party, and masking of text shown to them.

Other apps (letters, decisions) call `is_at_risk` and `protected_values` before they
produce anything for the other party of an at-risk customer.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from cma.customers.models import Case, Customer

from .models import SafetyMarker

WITHHELD = "[withheld]"
BANNER = (
    "Separating Safely: this customer's safety is at risk. Never disclose their "
    "location or contact details, and never pass anything they say to the other party."
)


def is_at_risk(customer: Customer) -> bool:
    cached = getattr(customer, "_cma_at_risk", None)
    if cached is None:
        cached = SafetyMarker.objects.filter(customer_id=customer.pk, ended_at=None).exists()
        customer._cma_at_risk = cached
    return cached


def active_marker(customer: Customer) -> SafetyMarker | None:
    return SafetyMarker.objects.filter(customer_id=customer.pk, ended_at=None).first()


def _national(number: str) -> str | None:
    digits = re.sub(r"\D", "", number)
    if number.startswith("+61") and len(digits) == 11:
        return "0" + digits[2:]
    return None


def protected_values(customer: Customer) -> list[str]:
    """The at-risk customer's address line, locality, postcode and phone numbers (the
    stored E.164 form and the Australian national form), plus their alternative
    contacts' numbers; [] when the customer is not at risk."""
    if not is_at_risk(customer):
        return []
    values = [customer.address_line, customer.locality, customer.postcode]
    numbers = [p.number for p in customer.phones.all()]
    numbers += [c.phone for c in customer.alternative_contacts.all() if c.phone]
    for number in numbers:
        values += [number, _national(number) or ""]
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join((value or "").split())
        if value:
            seen.setdefault(value, None)
    return list(seen)


def other_parties(customer: Customer) -> list[Customer]:
    """Everyone on the other side of one of the customer's cases."""
    cases = Case.objects.filter(Q(payer=customer) | Q(payee=customer)).select_related(
        "payer", "payee"
    )
    found: dict[int, Customer] = {}
    for case in cases:
        other = case.other_party(customer)
        found.setdefault(other.pk, other)
    return list(found.values())


def withheld_values_for(customer: Customer) -> list[str]:
    """Values that must not appear in anything shown or sent about `customer`: the
    protected details of every at-risk other party."""
    at_risk_ids = set(
        SafetyMarker.objects.filter(
            ended_at=None, customer__in=[p.pk for p in other_parties(customer)]
        ).values_list("customer_id", flat=True)
    )
    values: list[str] = []
    for other in Customer.objects.filter(pk__in=at_risk_ids).prefetch_related(
        "phones", "alternative_contacts"
    ):
        other._cma_at_risk = True
        values.extend(protected_values(other))
    return values


def _value_pattern(value: str) -> re.Pattern | None:
    digits = re.sub(r"\D", "", value)
    if re.fullmatch(r"\+?[\d\s().-]+", value) and len(digits) >= 6:
        sep = r"[\s().-]*"
        return re.compile(rf"(?<!\d)\+?{sep.join(digits)}(?!\d)")
    if value.isdigit():
        # A bare postcode: not when it is part of an amount or a longer number.
        return re.compile(rf"(?<![\d$.,]){value}(?![\d]|[.,]\d)")
    words = r"\s+".join(re.escape(w) for w in value.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def redact(text: str, values: list[str]) -> str:
    """Replace every protected value in `text` with "[withheld]", longest first."""
    for value in sorted(values, key=len, reverse=True):
        pattern = _value_pattern(value)
        if pattern is not None:
            text = pattern.sub(WITHHELD, text)
    return text


@dataclass(frozen=True)
class OtherParty:
    """What a page about one customer may show about the other party of a case."""

    case_id: int
    customer_id: int
    name: str
    crn: str
    role: str
    location: str
    withheld: bool


def other_party_summaries(customer: Customer, cases: list[Case]) -> dict[int, OtherParty]:
    """Per case: the other party's name and, unless they are at risk, where they live.
    An at-risk party's location is withheld (DOC-6)."""
    others = {c.pk: c.other_party(customer) for c in cases}
    at_risk = set(
        SafetyMarker.objects.filter(
            ended_at=None, customer__in=[o.pk for o in others.values()]
        ).values_list("customer_id", flat=True)
    )
    result = {}
    for case_id, other in others.items():
        withheld = other.pk in at_risk
        if withheld:
            location = ""
        elif other.is_overseas:
            location = f"{other.country} (overseas)"
        else:
            location = other.state
        role = (
            "Payer" if other.pk == next(c for c in cases if c.pk == case_id).payer_id else "Payee"
        )
        result[case_id] = OtherParty(
            case_id, other.pk, other.full_name, other.crn, role, location, withheld
        )
    return result
