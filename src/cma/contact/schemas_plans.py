"""API shapes of contact-attempt plans (CON-1..CON-6): inputs forbid unknown fields;
outputs are separate and carry number *types* only, never numbers (CON-5)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema

from cma.schemas import Code, Id, In, Line

from .models import AttemptOutcome
from .schemas import ChannelCode, NumberTypeCode, PartyCode

# Letters are issued through the plan's letter step, not recorded as attempts.
OutcomeCode = Literal[tuple(v for v in AttemptOutcome.values if v != "letter-issued")]
PlanLetterCode = Literal["MX0-1", "MX1-1"]


class PurposeOut(Schema):
    code: str
    name: str
    additional_attempts: bool
    mx1_request_type: str
    mx1_reason: str


class PlanIn(In):
    purpose: Code()
    case_id: Id | None = None
    # What the plan is for elsewhere, e.g. "decision:12".
    subject: Line(60) = ""
    employer_non_compliant: bool = False


class AttemptIn(In):
    channel: ChannelCode
    number_type: NumberTypeCode = ""
    outcome: OutcomeCode
    party: PartyCode = "customer"
    interaction_id: Id | None = None
    # CON-6: the acknowledgement and reason for a non-preferred or restricted contact.
    non_preferred_reason: Line(300) = ""


class PlanLetterIn(In):
    template: PlanLetterCode


class CancelPlanIn(In):
    reason: Line(300, min_length=1)


class StepOut(Schema):
    kind: str
    text: str
    due_at: datetime | None
    channels: list[str]
    number_types: list[str]
    label: str
    then: str


class RoundOut(Schema):
    label: str
    due_at: datetime
    pre_call_sms: bool
    sms_at: datetime | None
    tried: list[str]
    left: list[str]
    done_at: datetime | None


class AttemptOut(Schema):
    id: int
    at: datetime
    officer: str
    party: str
    channel: str
    number_type: str
    outcome: str
    non_preferred: bool
    non_preferred_reason: str
    interaction_id: int | None
    # The round the attempt counts for, or "" with `note` saying why it does not.
    counted_for: str
    note: str


class PlanOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    purpose: str
    purpose_name: str
    subject: str
    owner: str
    state: str
    additional_attempts: bool
    employer_non_compliant: bool
    created_at: datetime
    closed_at: datetime | None
    next_due_at: datetime | None
    letter_id: int | None
    letter_template: str
    response_due_on: date | None
    step_intray_id: int | None
    next_step: StepOut
    required_attempts_done: bool
    completed_unsuccessful: bool
    unmet: list[StepOut]
    rounds: list[RoundOut]
    attempts: list[AttemptOut]
