"""API shapes of the contact app: inputs forbid unknown fields; outputs are separate."""

from datetime import datetime
from typing import Literal

from ninja import Schema

from cma.customers.models import PhoneType
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


# --- Telephony and dialling (CON-13, CON-14) ---------------------------------------

TelephonyKind = Literal["offered", "answered", "transferred", "ended"]
PhoneKind = Literal[tuple(PhoneType.values)]


class TelephonyEventIn(In):
    """One event of the telephony platform, signed (see the TelephonySignature scheme)."""

    event_id: Line(80, min_length=1)
    kind: TelephonyKind
    call_id: Line(80, min_length=1)
    # Read to find the customer, never stored.
    caller_number: Line(30) | None = None
    # The customer reference number typed in the IVR, if any.
    ivr_reference: Line(40) = ""
    survey_opt_in: bool = False
    # The officer's username: who answered (answered) or now has the call (transferred).
    officer: Line(150) | None = None


class TelephonyEventOut(Schema):
    event_id: str
    kind: str
    call_id: str
    identified: bool
    interaction_id: int | None
    receipt: str | None


class LiveInteractionOut(Schema):
    id: int
    receipt: str
    started_at: datetime
    attested: bool
    identity: str


class LiveCallOut(Schema):
    """The screen pop: the officer's own call; never the customer before CON-9."""

    interaction: LiveInteractionOut | None
    call_id: str | None
    since: datetime | None
    message: str


class PhoneNumberIn(In):
    kind: PhoneKind
    # As dialled in Australia, or with its country code (+44 …).
    number: Line(30, min_length=1)
    preferred: bool = False


class DialOut(Schema):
    contact_detail_id: int
    kind: str
    preferred: bool
    line_type: str
    dial: str
    dial_digits: str
    display: str
    region: str
    international: bool
    norfolk_island: bool


class DialPlanOut(Schema):
    dials: list[DialOut]
    needs: NeedsOut
    remote: bool
    norfolk_island: bool
    special_contact: bool
    special_contact_reasons: list[str]
    special_contact_considerations: str
    callable_from: datetime | None


class PhoneRemovedOut(Schema):
    contact_detail_id: int
    removed: bool
