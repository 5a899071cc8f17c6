"""API shapes of the contact app: inputs forbid unknown fields; outputs are separate."""

from datetime import datetime
from typing import Literal

from ninja import Schema

from cma.schemas import Code, Fields, Id, In, Line, Text

from .models import Channel, Direction, NumberType, Party

ChannelCode = Literal[tuple(Channel.values)]
DirectionCode = Literal[tuple(Direction.values)]
PartyCode = Literal[tuple(Party.values)]
NumberTypeCode = Literal[tuple(NumberType.values)]


class InteractionIn(In):
    direction: DirectionCode
    channel: ChannelCode
    party: PartyCode = "customer"
    number_type: NumberTypeCode = ""
    purpose: Code() = ""
    representative_id: Id | None = None
    alternative_contact_id: Id | None = None
    plan_id: Id | None = None


class IdentityIn(In):
    # question code -> what the caller said
    answers: Fields(Line(200), max_items=10)


class DisputeIn(In):
    disputed: Code()
    details: Text(2000, min_length=1)
    name_given: Line(150) = ""


class QuestionOut(Schema):
    code: str
    label: str


class NeedsOut(Schema):
    interpreter_language: str
    relay_need: str
    remote: bool
    overseas: bool
    local_time: datetime
    zone: str
    callable_now: bool
    call_hours: str


class CustomerOnCallOut(Schema):
    """Shown only once identity is confirmed (CON-9)."""

    id: int
    crn: str
    name: str
    role: str


class InteractionOut(Schema):
    id: int
    receipt: str
    customer_id: int
    officer: str
    direction: str
    channel: str
    party: str
    number_type: str
    identity: str
    attested: bool
    survey_opt_in: bool
    started_at: datetime
    ended_at: datetime | None
    end_reason: str
    outcome: str
    questions: list[QuestionOut]
    needs: NeedsOut | None
    # null until identity is confirmed for this interaction (CON-9)
    purpose: str | None
    customer: CustomerOnCallOut | None


class IdentityCheckOut(Schema):
    result: str
    asked: list[str]
    matched: list[str]
    interaction: InteractionOut


class ReceiptOut(Schema):
    receipt: str
    interaction_id: int
    customer_id: int
    officer: str
    channel: str
    direction: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str
