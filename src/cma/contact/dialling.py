"""Dialling customers from Australia (CON-13, CON-14): for each number on record the
string to dial from Australia ("0011 44 …" for the United Kingdom, seed 001 Table 11),
its type, and whether it is international or on Norfolk Island (+672 3, Table 10);
with them what the officer must know before calling — the customer's local time,
whether now is within reasonable local hours, interpreter and NRS/TTY needs.

Numbers are read with `phonenumbers` (Google's libphonenumber metadata), never by
hand-written patterns: the dial string and the number's type come from its tables."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.utils import timezone
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import ContactDetail, Customer
from cma.formats import phone as display_phone
from cma.staff.models import User

from . import needs, policy
from .errors import InvalidPhoneNumber

DIALLING_FROM = "AU"
AUSTRALIA_CODE = 61

LINE_TYPES = {
    PhoneNumberType.FIXED_LINE: "fixed-line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed-line-or-mobile",
    PhoneNumberType.TOLL_FREE: "toll-free",
    PhoneNumberType.PREMIUM_RATE: "premium-rate",
    PhoneNumberType.SHARED_COST: "shared-cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}


def parse_number(
    text: str, *, region: str = DIALLING_FROM, field_name: str = "number"
) -> PhoneNumber:
    """The number `text` names, read as dialled in `region` unless it starts with +.
    Malformed, impossible or unallocated numbers are refused naming the field."""
    try:
        number = phonenumbers.parse(str(text), region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(
            "not a phone number: write it as dialled in Australia, or from abroad with "
            "its country code (+44 …)",
            field=field_name,
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(
            "not a valid phone number for its country: check the digits and the country code",
            field=field_name,
        )
    return number


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_norfolk_island(e164_text: str, prefix: str | None = None) -> bool:
    """`prefix`: the policy's, when the caller has read it once for many numbers."""
    return e164_text.startswith(prefix if prefix is not None else policy.norfolk_island_prefix())


@dataclass(frozen=True)
class Dial:
    """One number as the officer dials it. `kind` is the record's (mobile, home, work,
    international); `line_type` is what the numbering plan says it is."""

    detail_id: int
    kind: str
    preferred: bool
    line_type: str
    dial: str  # as dialled from Australia: "0011 44 76 5412 3123", "0491 570 156"
    dial_digits: str  # what the dialler sends: "0011447654123123"
    display: str
    region: str  # ISO 3166 code of the number's country: "GB", "NF", "AU"
    international: bool
    norfolk_island: bool


def dial_for(detail: ContactDetail, norfolk_prefix: str | None = None) -> Dial:
    try:
        number = phonenumbers.parse(detail.number, DIALLING_FROM)
    except phonenumbers.NumberParseException:
        number = None
    if number is None:
        # A number loaded before validation: shown as stored, never guessed at.
        return Dial(
            detail_id=detail.pk,
            kind=detail.kind,
            preferred=detail.is_preferred,
            line_type="unknown",
            dial=detail.number,
            dial_digits="".join(c for c in detail.number if c.isdigit()),
            display=detail.number,
            region="",
            international=False,
            norfolk_island=False,
        )
    dial = phonenumbers.format_out_of_country_calling_number(number, DIALLING_FROM)
    return Dial(
        detail_id=detail.pk,
        kind=detail.kind,
        preferred=detail.is_preferred,
        line_type=LINE_TYPES.get(phonenumbers.number_type(number), "unknown"),
        dial=dial,
        dial_digits="".join(c for c in dial if c.isdigit()),
        display=display_phone(detail.number),
        region=phonenumbers.region_code_for_number(number) or "",
        international=number.country_code != AUSTRALIA_CODE,
        norfolk_island=is_norfolk_island(e164(number), norfolk_prefix),
    )


@dataclass
class DialPlan:
    """What the officer needs before dialling: the numbers, the customer's contact
    needs (local time, callable hours, interpreter, NRS/TTY) and the indicators."""

    dials: list[Dial]
    needs: dict[str, Any]
    remote: bool
    norfolk_island: bool
    special_contact: bool
    special_contact_reasons: list[str] = field(default_factory=list)
    special_contact_considerations: str = ""
    # When calling is next within reasonable local hours; None while it is now.
    callable_from: datetime | None = None


def next_callable(customer: Customer, at: datetime | None = None) -> datetime | None:
    """The next moment within the customer's reasonable local hours (CON-13)."""
    at = at or timezone.now()
    if needs.callable_now(customer, at):
        return None
    start, _end = policy.call_hours()
    hours, minutes = (int(part) for part in start.split(":"))
    local = at.astimezone(ZoneInfo(customer.zone))
    opening = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if opening <= local:
        # Past today's hours: tomorrow's opening, on the local calendar (DST-safe).
        opening = (opening.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=local.tzinfo)
    return opening.astimezone(ZoneInfo("UTC"))


def norfolk_island_customer(customer: Customer, dials: list[Dial] | None = None) -> bool:
    dials = dials if dials is not None else [dial_for(d) for d in customer.phones.all()]
    return customer.country == "NF" or any(d.norfolk_island for d in dials)


def dial_plan(customer: Customer, at: datetime | None = None) -> DialPlan:
    details = sorted(customer.phones.all(), key=lambda d: (not d.is_preferred, d.kind, d.pk))
    prefix = policy.norfolk_island_prefix()  # once, not once a number
    dials = [dial_for(d, prefix) for d in details]
    norfolk = norfolk_island_customer(customer, dials)
    reasons = []
    if norfolk:
        reasons.append(
            "Norfolk Island customer: special contact and remote indicators; call "
            "internationally through the workspace so the call is recorded (CON-13)"
        )
    if customer.special_contact_considerations.strip():
        reasons.append("The customer has nominated special contact considerations")
    return DialPlan(
        dials=dials,
        needs=needs.contact_needs(customer, at),
        remote=customer.is_remote or norfolk,
        norfolk_island=norfolk,
        special_contact=bool(reasons),
        special_contact_reasons=reasons,
        special_contact_considerations=customer.special_contact_considerations,
        callable_from=next_callable(customer, at),
    )


def dial_plan_for(actor: User, customer_id: int, at: datetime | None = None) -> DialPlan:
    """The dial plan through the one door, audited as one read (it shows numbers)."""
    action = "contact.dial_plan.viewed"
    customer = access.enter(actor, customer_id, action=action)
    plan = dial_plan(customer, at)
    record(
        actor=actor,
        action=action,
        obj=customer,
        customer_id=customer.pk,
        changes={
            "numbers": len(plan.dials),
            "international": sum(1 for d in plan.dials if d.international),
            "callable_now": plan.needs["callable_now"],
        },
    )
    return plan
