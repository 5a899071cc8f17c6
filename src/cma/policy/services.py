"""Reading policy values; callers never hard-code a number that policy owns."""

from typing import Any

from cma.errors import NotFound
from cma.inputs import is_plain_code

from .models import IntrayType, LetterTemplate, Parameter


def parameter(key: str) -> Any:
    try:
        return Parameter.objects.get(key=key).value
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
