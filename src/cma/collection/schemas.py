"""API shapes of collection: inputs forbid unknown fields; outputs name staff, cases and
codes, never a lead's identifier in full (masked, like a number on record)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema

from cma.schemas import Code, Day, Id, In, Line, Text

from .models import McaOutcome, PayeeUpdateOutcome

McaOutcomeCode = Literal[tuple(McaOutcome.values)]  # type: ignore[valid-type]
PayeeUpdateCode = Literal[tuple(PayeeUpdateOutcome.values)]  # type: ignore[valid-type]


class CollectionMcaIn(In):
    case_id: Id
    payment_ongoing: McaOutcomeCode
    payment_arrears: McaOutcomeCode
    care: McaOutcomeCode
    income: McaOutcomeCode


class CollectionIssueIn(In):
    # A code of the referral guidelines' issue kinds (GET /referral-guidelines/issue-kinds).
    kind: Code()
    case_id: Id | None = None
    note: Text(300) = ""


class CollectionReferralIn(In):
    # A code of the external organisations (GET /contact/external-organisations).
    organisation: Code()
    consent: bool
    note: Text(300) = ""


class CollectionLeadIn(In):
    case_id: Id
    # A code of policy payee-lead-kinds: employer, bank-account, asset, overseas-address, other.
    kind: Code()
    name: Line(120, min_length=1)
    identifier: Line(40) = ""
    country: Line(2) = ""
    note: Text(300) = ""


class CollectionPayeeUpdateIn(In):
    case_id: Id
    outcome: PayeeUpdateCode


class CollectionFiguresQuery(Schema):
    # Query strings are text: not strict like the JSON bodies.
    start: Day
    end: Day


class CollectionAccountOut(Schema):
    ongoing_liability: str
    arrears: str
    last_payment_date: date | None
    payment_arrangement: str
    dpo_recorded: bool
    compliance_flags: list[str]


class CollectionMcaOut(Schema):
    id: int
    interaction_id: int
    case_id: int
    payment_ongoing: str
    payment_arrears: str
    care: str
    income: str
    follow_up_intray_id: int | None
    recorded_at: datetime
    updated_at: datetime


class CollectionCaseOut(Schema):
    case_id: int
    case_number: str
    role: str
    account: CollectionAccountOut | None
    mca: CollectionMcaOut | None


class CollectionIssueOut(Schema):
    id: int
    interaction_id: int
    receipt: str
    case_id: int | None
    kind: str
    kind_name: str
    activity: str
    status: str
    rule: str
    reason: str
    owner_key: str
    owner_label: str
    intray_id: int | None
    intray_status: str | None
    organisation: str
    consent: bool
    note: str
    raised_at: datetime


class CollectionLeadOut(Schema):
    id: int
    interaction_id: int
    case_id: int
    kind: str
    name: str
    identifier_masked: str
    country: str
    note: str
    area: str
    intray_id: int
    intray_status: str
    recorded_at: datetime


class CollectionPayeeUpdateOut(Schema):
    id: int
    interaction_id: int
    case_id: int
    outcome: str
    at: datetime


class CollectionCallOut(Schema):
    interaction_id: int
    mca_applies: bool
    mca_complete: bool
    missing_case_ids: list[int]
    cases: list[CollectionCaseOut]
    issues: list[CollectionIssueOut]
    leads: list[CollectionLeadOut]
    payee_updates: list[CollectionPayeeUpdateOut]


class CollectionMcaRowOut(Schema):
    key: str
    label: str
    interactions: int
    complete: int
    with_reason: int
    incomplete: int
    rate: float


class CollectionLeadKindOut(Schema):
    kind: str
    total: int
    statuses: dict[str, int]


class CollectionFiguresOut(Schema):
    start: date
    end: date
    scope: str
    mca_by_officer: list[CollectionMcaRowOut]
    mca_by_team: list[CollectionMcaRowOut]
    mca_by_area: list[CollectionMcaRowOut]
    issues: dict[str, int]
    first_contact_rate: float
    leads: list[CollectionLeadKindOut]
    payee_updates: dict[str, int]
