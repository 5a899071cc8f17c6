# mypy: disable-error-code="valid-type"
"""API shapes of finalisation and exit (PS-13..PS-17); inputs forbid unknown fields."""

from datetime import date, datetime

from ninja import Field, Schema

from cma.schemas import Code, In, Text


class PsProblemOut(Schema):
    field: str | None
    message: str


class PsFinalisationOut(Schema):
    id: int
    plan_id: int
    customer_id: int
    state: str
    basis: str
    exit_advice: str
    exit_letter_id: int | None
    responses_understood: bool
    case_manager_id: int
    team_leader_id: int
    requested_by_id: int
    requested_at: datetime
    document_note_id: int | None
    decided_by_id: int | None
    decided_at: datetime | None
    reason: str
    confirmations: list[str]
    comment: str
    transfer_area: str | None
    routed_area: str | None
    routed_rule: str


class PsReadinessOut(Schema):
    plan_id: int
    plan_state: str
    ready: bool
    problems: list[PsProblemOut]
    to_confirm: list[str]
    exit_letter_id: int | None
    exit_letter_ready_on: date | None
    open_request: PsFinalisationOut | None


class PsFinalisationIn(In):
    # A code of policy ps-finalisation-reasons: the basis put to the PS Team Leader.
    basis: Code()
    # How the five mandatory issues were addressed; checked text.
    mandatory_issues: Text(4000, min_length=1)
    # by-phone, or exit-letter (UQ140.02 issued at least 10 days before).
    exit_advice: Code(20)
    # The feedback given (PS-13); checked text.
    feedback: Text(2000)
    # Ministerial or Ombudsman responses received and understood by the customer.
    responses_understood: bool = False


class PsFinalisationDecisionIn(In):
    approve: bool
    # A code of policy ps-finalisation-reasons (required to approve).
    reason: Code() | None = None
    # Codes of policy ps-finalisation-confirmations.
    confirmations: list[Code()] = Field(default_factory=list, max_length=10)
    # The reasons for a rejection (required to reject); checked text.
    comment: Text(2000) = ""
    # PS-16: a specialist business area code to transfer the customer to.
    transfer_area: Code() | None = None
