"""Reading policy values; callers never hard-code a number that policy owns."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cma.errors import NotFound
from cma.inputs import is_plain_code

from .models import IntrayType, LetterTemplate, Parameter

# Within one request every parameter is read in one query, on first use (the policy
# table is small); outside a request each read is its own query, so a change made
# between requests (a policy load, a test) is always seen.
_request_values: ContextVar[dict[str, Any] | None] = ContextVar("policy_values", default=None)
_UNREAD: dict[str, Any] = {}


@contextmanager
def reads_once() -> Iterator[None]:
    token = _request_values.set(_UNREAD)
    try:
        yield
    finally:
        _request_values.reset(token)


def _value(key: str) -> Any:
    values = _request_values.get()
    if values is None:
        return Parameter.objects.get(key=key).value
    if values is _UNREAD:
        values = dict(Parameter.objects.values_list("key", "value"))
        _request_values.set(values)
    if key not in values:
        raise Parameter.DoesNotExist
    return values[key]


def parameter(key: str) -> Any:
    try:
        return _value(key)
    except Parameter.DoesNotExist:
        raise NotFound(
            f"policy parameter {key!r} is not loaded; run `cma policy load`", code="policy-missing"
        ) from None


def intray_type(code: str) -> IntrayType:
    try:
        if not is_plain_code(code):
            raise IntrayType.DoesNotExist
        return IntrayType.objects.select_related("routes_to_area").get(code=code, active=True)
    except IntrayType.DoesNotExist:
        raise NotFound(
            f"unknown intray type {code!r}", field="type", code="unknown-intray-type"
        ) from None


def letter_template(code: str) -> LetterTemplate:
    try:
        if not is_plain_code(code):
            raise LetterTemplate.DoesNotExist
        return LetterTemplate.objects.get(code=code, active=True)
    except LetterTemplate.DoesNotExist:
        raise NotFound(
            f"unknown letter template {code!r}", field="template", code="unknown-template"
        ) from None
