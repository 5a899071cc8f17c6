# mypy: disable-error-code="valid-type"
"""API shapes for what happens on a call: notes, messages, SMS, transfers, warnings,
hold, ending and Team Leader notifications. Inputs forbid unknown fields.

Like `schemas.py` (see pyproject), the shared input types are functions returning
`Annotated[...]`, which pydantic reads and mypy cannot: hence the comment above."""

from datetime import datetime
from typing import Literal

from ninja import Schema

from cma.schemas import Code, Id, In, Line, Text

from .models import Recipient, TransferTarget
from .schemas import InteractionOut
from .services.ending import MAX_BEHAVIOUR, OFFICER_REASONS
from .services.sms import MAX_TEXT

RecipientCode = Literal[tuple(Recipient.values)]
# The survey is reached by ending the call (CON-12), never by a transfer request.
TransferTargetCode = Literal[tuple(t for t in TransferTarget.values if t != "survey")]
EndReasonCode = Literal[tuple(str(r) for r in OFFICER_REASONS)]
NumberKind = Literal["mobile", "home", "work", "international"]


class CallNoteIn(In):
    subject: Line(120, min_length=1)
    body: Text(9000, min_length=1)


class CallNoteOut(Schema):
    id: int
    subject: str
    body: str
    author: str
    created_at: datetime


class MessageIn(In):
    recipient: RecipientCode
    template: Code()
    # Anything said beyond the template: no consequence statement on voicemail or with
    # a third party (CON-8), no personal information (DOC-3).
    extra_text: Text(500) = ""


class MessageOut(Schema):
    id: int
    interaction_id: int | None
    recipient: str
    template: str
    text: str
    at: datetime


class SmsIn(In):
    # "pre-call" or a message template for the customer; or `text` instead.
    template_code: Code() | None = None
    text: Text(MAX_TEXT) | None = None
    to_kind: NumberKind = "mobile"
    plan_id: Id | None = None


class SmsOut(Schema):
    id: int
    customer_id: int
    template: str
    text: str
    status: str
    to: str  # the number's type, never the number
    queued_at: datetime


class CallTransferIn(In):
    target: TransferTargetCode
    area_code: Code() | None = None
    team_id: Id | None = None
    # The presenting issue the referral guidelines route (default general-enquiry).
    issue: Code() | None = None
    organisation: Code() | None = None
    # A number the caller asked to be put through to: only an organisation's public one.
    number: Line(30, min_length=1) | None = None
    warm: bool = False


class TransferOut(Schema):
    id: int
    target: str
    rule: str
    area: str | None
    team: str | None
    to_officer: str | None
    organisation: str | None
    organisation_phone: str | None
    warm: bool
    at: datetime
    interaction: InteractionOut


class WarningIn(In):
    # A code of the fixed list (shouting, abusive-language, threats,
    # discriminatory-remarks, harassment, repeated-interruptions) or one short line.
    behaviour: Line(MAX_BEHAVIOUR, min_length=1)


class EndIn(In):
    reason: EndReasonCode
    outcome: Line(200) = ""
    # Why the call was ended against the customer's wishes (sent to the Team Leader).
    wishes_reason: Line(300) = ""
    # Why a step an end check asks for (e.g. Minimum Collection Activity, CMA-1) was
    # not done; kept by the app whose check asked for it.
    override_reason: Line(300) = ""


class TemplateOut(Schema):
    code: str
    recipient: str
    text: str
    preview: str


class OrganisationOut(Schema):
    code: str
    name: str
    phone: str
    helps_with: str
    eligibility: str


class NotificationOut(Schema):
    id: int
    kind: str
    reason: str
    interaction_id: int
    receipt: str
    officer: str
    created_at: datetime
    acknowledged_at: datetime | None
