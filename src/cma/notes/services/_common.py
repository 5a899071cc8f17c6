"""Shared pieces of the notes services: refusal auditing, permission checks, text."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from cma.audit.services import refusals_recorded
from cma.errors import PermissionDenied, ValidationFailed
from cma.staff.models import User

F = TypeVar("F", bound=Callable[..., Any])
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _customer_id_of(kwargs: dict[str, Any]) -> int | None:
    for key in ("customer", "document", "indicator", "arrangement", "review", "corrects"):
        obj = kwargs.get(key)
        if obj is None:
            continue
        found: int | None
        if key == "customer":
            found = obj.pk
        elif key == "review":
            found = obj.arrangement.customer_id
        else:
            found = obj.customer_id
        return found
    return None


def audited(action: str) -> Callable[[F], F]:
    """One transaction; a refusal recorded once, after the rollback (AUD-1). Nothing of
    the refused input is recorded beyond the error's code."""
    return refusals_recorded(
        action, lambda kw: {"customer_id": _customer_id_of(kw)}, skip_if_recorded=True
    )


def require(actor: User, perm: str, obj: Any, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def clean_text(value: Any, field: str, *, required: bool, max_length: int) -> str:
    """Trimmed text without control characters (NUL breaks PostgreSQL); refuses empty
    required text and text over `max_length`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field.replace('_', ' ')} must be text", field=field)
    text = value.strip()
    label = field.replace("_", " ")
    if required and not text:
        raise ValidationFailed(f"a {label} is required", field=field)
    if len(text) > max_length:
        raise ValidationFailed(f"{label} is longer than {max_length} characters", field=field)
    if _CONTROL.search(text):
        raise ValidationFailed(f"{label} contains control characters", field=field)
    return text


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
