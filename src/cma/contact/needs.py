"""What an officer must know before any contact starts (CON-13, CON-14): interpreter
language, NRS/TTY, remote and Norfolk Island indicators, the customer's local time and
whether now is within callable hours. Shown before identity is confirmed: it tells
the officer how to talk, not anything about the case."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from cma.customers.models import Customer

from . import policy


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def local_time(customer: Customer, at: datetime | None = None) -> datetime:
    return (at or timezone.now()).astimezone(ZoneInfo(customer.zone))


def callable_now(customer: Customer, at: datetime | None = None) -> bool:
    start, end = policy.call_hours()
    now = local_time(customer, at).time()
    return _clock(start) <= now < _clock(end)


def contact_needs(customer: Customer, at: datetime | None = None) -> dict[str, Any]:
    start, end = policy.call_hours()
    return {
        "interpreter_language": customer.interpreter_language,
        "relay_need": customer.relay_need,
        "remote": customer.is_remote,
        "overseas": customer.is_overseas,
        "local_time": local_time(customer, at),
        "zone": customer.zone,
        "callable_now": callable_now(customer, at),
        "call_hours": f"{start} to {end}",
    }
