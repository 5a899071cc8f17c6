"""API shapes of decisions: inputs forbid unknown fields; the explanation shape holds
one customer and the decision only (CON-17)."""

from datetime import date, datetime

from ninja import Schema

from cma.schemas import Code, Day, Id, In, Line, Text


class NewDecisionIn(In):
    case_id: Id
    kind: Code()
    reasons: Text(4000, min_length=1)
    effective_on: Day


class DecisionUpdateIn(In):
    kind: Code() | None = None
    reasons: Text(4000, min_length=1) | None = None
    effective_on: Day | None = None


class ExplanationIn(In):
    interaction_id: Id
    customer_id: Id
    disagreed: bool = False
    # A code of policy review-options, or "" when the customer agrees.
    review_option: Line(60) = ""
    answer: Text(2000) = ""


class OptionOut(Schema):
    code: str
    name: str


class PartyOut(Schema):
    customer_id: int
    role: str
    explained: bool
    explained_at: datetime | None
    receipt: str | None
    completed_plan: bool
    ready: bool
    disagreed: bool
    review_option: str
    advice_letter_id: int | None


class DecisionOut(Schema):
    id: int
    kind: str
    kind_name: str
    case_id: int
    decision_maker: str
    reasons: str
    effective_on: date
    state: str
    created_at: datetime
    ready_at: datetime | None
    finalised_at: datetime | None
    notified_at: datetime | None
    plan_subject: str
    parties: list[PartyOut]


class AwaitingOut(Schema):
    id: int
    kind: str
    kind_name: str
    state: str
    effective_on: date
    waiting: int


class ExplainedCustomerOut(Schema):
    id: int
    crn: str
    name: str
    role: str


class ExplainedDecisionOut(Schema):
    id: int
    kind: str
    kind_name: str
    effective_on: date
    reasons: str
    state: str


class ExplanationOut(Schema):
    decision: ExplainedDecisionOut
    customer: ExplainedCustomerOut
    explained_at: datetime | None
    receipt: str | None
    disagreed: bool
    review_option: str
    answer: str
    review_options: list[OptionOut]
