"""How the agency writes dates, times, money and phone numbers, everywhere: pages (through
the `cma_format` template filters), letters and anything else people read.

    day(date or datetime)   "1 Dec 2026"
    time_of_day(datetime)   "6:36 pm"
    money(amount)           "$16,519.00"
    phone("+61491570156")   "0491 570 156"     (Australian numbers: national format)
    phone("+447700900123")  "+44 7700 900123"  (everyone else: international format)

Aware datetimes are shown in the agency's time zone (settings.TIME_ZONE). Empty values
give "" so templates can add `|default:"…"`."""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django.utils import timezone

# Fixed English abbreviations: the month must not depend on the server's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CENT = Decimal("0.01")


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def day(value: date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def time_of_day(value: datetime | time | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def money(value: Decimal | int | float | str | None) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def phone(value: str | None) -> str:
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), "AU")
    except phonenumbers.NumberParseException:
        return str(value)
    if phonenumbers.region_code_for_number(number) == "AU":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
