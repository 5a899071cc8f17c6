"""API shapes for letters: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from cma.schemas import Fields, Id, In, Line, Text

from .catalogue import MAX_FIELD_LENGTH


class LetterIn(In):
    """A letter to preview or issue. `fields` are the template's inputs (see
    GET /letters/templates); MX1-1 also needs `employer_notice_outstanding`."""

    customer_id: Id
    template: Line(20, min_length=1)
    fields: Fields(Text(MAX_FIELD_LENGTH), max_items=20) = Field(default_factory=dict)
    employer_notice_outstanding: bool | None = Field(
        default=None,
        description="Has an employer not complied with a notice for this customer? (CON-4)",
    )
    request_key: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{16,64}$",
        max_length=64,
        description="Optional idempotency key: issuing twice with it returns the first letter.",
    )


class TemplateFieldOut(Schema):
    name: str
    label: str
    kind: str
    max_length: int = MAX_FIELD_LENGTH
    choices: dict[str, str]


class LetterTemplateOut(Schema):
    code: str
    title: str
    audience: str
    signatory: str
    requests_response: bool
    is_decision_advice: bool
    preconditions: list[str]
    fields: list[TemplateFieldOut]


class LetterPreviewOut(Schema):
    template: str
    title: str
    address_lines: list[str]
    letter_date: date
    body_text: str
    reply_by: date | None
    response_due_on: date | None
    signature: list[str]


class LetterOut(Schema):
    id: int
    reference: str
    customer_id: int
    template: str
    title: str
    letter_date: date
    issued_at: datetime
    issued_by: str
    signatory: str
    page_count: int
    sha256: str
    reply_by: date | None
    response_due_on: date | None
    response_intray_id: int | None
    download_url: str
