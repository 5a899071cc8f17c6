"""API shapes of the notes app: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, TypeAdapter, WithJsonSchema
from pydantic_core import PydanticCustomError

from cma.schemas import Code, Day, Fields, Id, In, Line, Text

from .models import Channel, IndicatorKind, NoteFunction

_ANSWER_TEXT = TypeAdapter(Text(10_000))


def _answer(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _ANSWER_TEXT.validate_python(value)
    raise PydanticCustomError("macro_answer", "give text, true or false")


# A macro's answers: text, or yes/no as a boolean (DOC-2); the macro checks each one.
# One validator rather than a union, so that an error names the field and nothing else.
MacroAnswer = Annotated[
    Any,
    BeforeValidator(_answer),
    WithJsonSchema({"anyOf": [_ANSWER_TEXT.json_schema(), {"type": "boolean"}, {"type": "null"}]}),
]
MacroFields = Fields(MacroAnswer, max_items=30)
NoteFunctionCode = Literal[tuple(NoteFunction.values)]
IndicatorKindCode = Literal[tuple(IndicatorKind.values)]
ChannelCode = Literal[tuple(Channel.values)]


class NoteIn(In):
    subject: Line(120) = ""
    body: Text(10_000) = ""
    case_id: Id | None = None
    corrects_id: Id | None = None
    macro_code: Code() | None = None
    macro_fields: MacroFields | None = None
    function: NoteFunctionCode | None = None


class NoteOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    subject: str
    body: str
    function: str
    author: str
    created_at: datetime
    corrects_id: int | None
    corrected_by: list[int]
    macro_code: str


class MacroFieldOut(Schema):
    name: str
    label: str
    kind: str
    required: bool = False
    choices: dict[str, str] = {}
    help: str = ""
    max_length: int | None = None


class MacroOut(Schema):
    code: str
    name: str
    subject: str
    description: str
    function: str
    roles: list[str]
    fields: list[MacroFieldOut]
    allowed_personal_information: list[str]


class StackingDocumentIn(In):
    purpose: Literal["general", "ps"] = "general"
    heading: Line(120) = ""
    case_id: Id | None = None
    referral_reason: Text(4000) = ""
    first_subject: Line(120) = ""
    first_body: Text(10_000) = ""


class NotepadIn(In):
    subject: Line(120) = ""
    body: Text(10_000) = ""
    macro_code: Code() | None = None
    macro_fields: MacroFields | None = None


class PointerIn(In):
    note_id: Id
    label: Line(120) = ""


class StackingEntryOut(Schema):
    position: int
    kind: str
    label: str
    note: NoteOut


class StackingDocumentOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    purpose: str
    heading: str
    created_by: str
    created_at: datetime
    entries: list[StackingEntryOut]


class IndicatorIn(In):
    kind: IndicatorKindCode
    reason: Text(2000, min_length=1)
    conditions: Text(2000) = ""
    review_on: Day


class IndicatorReviewIn(In):
    outcome: Literal["extended", "removed"]
    comment: Text(2000, min_length=1)
    next_review_on: Day | None = None
    conditions: Text(2000) | None = None


class IndicatorReviewOut(Schema):
    id: int
    outcome: str
    comment: str
    next_review_on: date | None
    reviewed_by: str
    reviewed_at: datetime


class IndicatorOut(Schema):
    id: int
    customer_id: int
    kind: str
    reason: str
    conditions: str
    review_on: date
    active: bool
    created_by: str
    created_at: datetime
    review_intray_id: int | None
    reviews: list[IndicatorReviewOut]


class SafetyMarkIn(In):
    reason: Text(2000, min_length=1)


class SafetyOut(Schema):
    customer_id: int
    at_risk: bool
    banner: str
    marked_at: datetime | None
    restricted_service: bool
    allowed_channels: list[str]
    preferred_contact: str = Field(
        description="The preferred channel to use: the recorded one, or under restricted "
        "service the first allowed one when the recorded one is not allowed (DOC-7)"
    )
    contact_officer: str | None
    active_indicators: int


class RestrictionIn(In):
    allowed_channels: list[ChannelCode] = Field(min_length=1, max_length=6)
    conditions: Text(2000, min_length=1)
    review_due_on: Day
    contact_officer_id: Id | None = None
    starts_on: Day | None = None


class RestrictionReviewIn(In):
    outcome: Literal["continue", "vary", "end"]
    recommendation: Text(4000, min_length=1)
    next_review_due_on: Day | None = None
    allowed_channels: list[ChannelCode] | None = Field(default=None, max_length=6)
    conditions: Text(2000) = ""


class DecisionIn(In):
    approve: bool
    comment: Text(2000) = ""


class RestrictionReviewOut(Schema):
    id: int
    arrangement_id: int
    customer_id: int
    outcome: str
    recommendation: str
    next_review_due_on: date | None
    allowed_channels: list[str] | None
    conditions: str
    proposed_by: str
    proposed_at: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str


class RestrictionOut(Schema):
    id: int
    customer_id: int
    active: bool
    allowed_channels: list[str]
    contact_officer: str | None
    contact_officer_id: int | None
    conditions: str
    starts_on: date
    review_due_on: date
    review_intray_id: int | None
    reviews: list[RestrictionReviewOut]


class ContactCheckIn(In):
    channel: ChannelCode


class ContactCheckOut(Schema):
    allowed: bool
    warnings: list[str]
