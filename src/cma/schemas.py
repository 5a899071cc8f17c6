"""API shapes shared by every router: the error shape, the statuses every operation
declares, and the input types that keep bad input out (VAL-1).

Every input string, number, date and time goes through one of these types, so that a
request the database or the calendar could not take is refused with 422 naming the
field before any code runs, and the OpenAPI schema says exactly what is accepted."""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from cma.inputs import LINE_BAD, LINE_PATTERN, MAX_DAY, MAX_ID, MIN_DAY, TEXT_BAD, TEXT_PATTERN


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    details: list[dict[str, Any]] = []


ERRORS = {
    400: ErrorOut,  # the body is not JSON
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,  # the body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE
    415: ErrorOut,  # a body that is not application/json
    422: ErrorOut,
}
"""Every status an operation can answer besides its successes, all in the error shape.
There is no rate limiting in the API, so no 429."""


class In(Schema):
    """Base of every input schema: unknown fields are refused."""

    # Strict: JSON types as declared (no "1" for 1, no 1 for true), so that the schema
    # the clients read is exactly the rule the server applies.
    model_config = ConfigDict(extra="forbid", strict=True)


def _integral(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; strict pydantic would not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def Int(*, ge: int, le: int, **field: Any) -> Any:
    """A whole number within bounds: an int or an integral float, never "3" or true."""
    return Annotated[int, Field(ge=ge, le=le, **field), BeforeValidator(_integral)]


Id = Int(ge=1, le=MAX_ID)
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A path parameter naming a row (`customer_id: PathId`)."""


def _refuse(bad: re.Pattern, what: str):
    def check(value: str) -> str:
        if bad.search(value):
            raise PydanticCustomError("control_characters", f"must not contain {what}")
        return value

    return AfterValidator(check)


_no_line_controls = _refuse(LINE_BAD, "control characters or line breaks")
_no_text_controls = _refuse(TEXT_BAD, "control characters other than tab and line breaks")


def Line(max_length: int, *, min_length: int = 0, **field: Any) -> Any:
    """One line of text (a subject, a query, a reason code): no control characters."""
    if min_length:
        field["min_length"] = min_length
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": LINE_PATTERN}, **field),
        _no_line_controls,
    ]


def Text(max_length: int, *, min_length: int = 0, **field: Any) -> Any:
    """Free text that may span lines: tab, CR and LF only."""
    if min_length:
        field["min_length"] = min_length
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": TEXT_PATTERN}, **field),
        _no_text_controls,
    ]


def _keys_in_line(value: dict) -> dict:
    for key in value:
        if LINE_BAD.search(key):
            raise PydanticCustomError(
                "control_characters", "names must not contain control characters"
            )
    return value


def Fields(value_type: Any, *, max_items: int, key_length: int = 60) -> Any:
    """A JSON object of named inputs (a letter's or a macro's fields). The schema is
    written out because pydantic would put a key pattern in `patternProperties`, which
    does not forbid other keys."""
    schema = {
        "type": "object",
        "maxProperties": max_items,
        "propertyNames": {"type": "string", "maxLength": key_length, "pattern": LINE_PATTERN},
        "additionalProperties": TypeAdapter(value_type).json_schema(),
    }
    return Annotated[
        dict[Annotated[str, Field(max_length=key_length)], value_type],
        Field(max_length=max_items),
        AfterValidator(_keys_in_line),
        WithJsonSchema(schema),
    ]


CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def Code(max_length: int = 60) -> Any:
    """A policy or choice code (`general-follow-up`, `post`)."""
    return Annotated[str, Field(min_length=1, max_length=max_length, pattern=CODE_PATTERN)]


# Days and moments within `cma.inputs` bounds. Only ISO 8601 text is taken (pydantic
# would also read numbers as Unix times), so the pattern in the schema is the rule.
_YMD = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
DAY_PATTERN = rf"^(19|20)[0-9]{{2}}-{_YMD}$"
MOMENT_PATTERN = (
    rf"^(19[7-9][0-9]|20[0-9]{{2}})-{_YMD}"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)


def _iso_text(pattern: str, error: str, message: str):
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not compiled.match(value):
            raise PydanticCustomError(error, message)
        return value

    return BeforeValidator(check)


Day = Annotated[
    date,
    Strict(False),
    Field(ge=MIN_DAY, le=MAX_DAY, json_schema_extra={"pattern": DAY_PATTERN}),
    _iso_text(DAY_PATTERN, "day_format", "give a date as YYYY-MM-DD between 1900 and 2099"),
]

Moment = Annotated[
    AwareDatetime,
    Strict(False),
    Field(
        description="ISO 8601 with a time zone offset (Z or ±hh:mm up to ±14:00), 1970-2099",
        json_schema_extra={"pattern": MOMENT_PATTERN},
    ),
    _iso_text(
        MOMENT_PATTERN,
        "moment_format",
        "give a date and time with its offset, e.g. 2026-11-02T09:00:00+11:00, 1970-2099",
    ),
]
