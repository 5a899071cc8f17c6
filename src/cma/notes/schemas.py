"""API shapes of the notes app: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class NoteIn(In):
    subject: str = Field(default="", max_length=120)
    body: str = Field(default="", max_length=10_000)
    case_id: int | None = None
    corrects_id: int | None = None
    macro_code: str | None = Field(default=None, max_length=60)
    macro_fields: dict[str, Any] | None = None
    function: str | None = Field(default=None, max_length=30)


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
    purpose: str = Field(default="general", pattern="^(general|ps)$")
    heading: str = Field(default="", max_length=120)
    case_id: int | None = None
    referral_reason: str = Field(default="", max_length=4000)
    first_subject: str = Field(default="", max_length=120)
    first_body: str = Field(default="", max_length=10_000)


class NotepadIn(In):
    subject: str = Field(default="", max_length=120)
    body: str = Field(default="", max_length=10_000)
    macro_code: str | None = Field(default=None, max_length=60)
    macro_fields: dict[str, Any] | None = None


class PointerIn(In):
    note_id: int
    label: str = Field(default="", max_length=120)


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
    kind: str = Field(max_length=30)
    reason: str = Field(min_length=1, max_length=2000)
    conditions: str = Field(default="", max_length=2000)
    review_on: date


class IndicatorReviewIn(In):
    outcome: str = Field(pattern="^(extended|removed)$")
    comment: str = Field(min_length=1, max_length=2000)
    next_review_on: date | None = None
    conditions: str | None = Field(default=None, max_length=2000)


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
    reason: str = Field(min_length=1, max_length=2000)


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
    allowed_channels: list[str] = Field(min_length=1, max_length=6)
    conditions: str = Field(min_length=1, max_length=2000)
    review_due_on: date
    contact_officer_id: int | None = None
    starts_on: date | None = None


class RestrictionReviewIn(In):
    outcome: str = Field(pattern="^(continue|vary|end)$")
    recommendation: str = Field(min_length=1, max_length=4000)
    next_review_due_on: date | None = None
    allowed_channels: list[str] | None = Field(default=None, max_length=6)
    conditions: str = Field(default="", max_length=2000)


class DecisionIn(In):
    approve: bool
    comment: str = Field(default="", max_length=2000)


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
    channel: str = Field(max_length=20)


class ContactCheckOut(Schema):
    allowed: bool
    warnings: list[str]
