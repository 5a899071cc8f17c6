# mypy: disable-error-code="valid-type"
"""API shapes of the PS mandate (PS-12); inputs forbid unknown fields."""

from datetime import date, datetime

from ninja import Schema

from cma.schemas import Code, Id, In, Moment, Text


class PsConsultationRequestIn(In):
    # Anything the case manager should know before the consultation; checked text.
    note: Text(2000) = ""


class PsConsultationIn(In):
    # Who was consulted: the case manager (the default) or their team leader.
    consulted_id: Id | None = None
    consulted_at: Moment
    outstanding_issues: Text(2000, min_length=1)
    special_contact_conditions: Text(2000, min_length=1)
    communication_approach: Text(2000, min_length=1)
    # A code of policy ps-mandate-who-tells.
    who_tells: Code()


class PsMandateAvailabilityOut(Schema):
    active: bool
    due_today: int
    waiting_consultations: int
    text: str
    note: str


class PsMandateManagerOut(Schema):
    source: str
    user_id: int | None
    name: str
    label: str
    team: str | None
    email: str
    team_leader_id: int | None
    team_leader: str
    plan_id: int | None
    availability: PsMandateAvailabilityOut | None


class PsMandateOut(Schema):
    customer_id: int
    ps_customer: bool
    manager: PsMandateManagerOut | None


class PsConsultationOut(Schema):
    id: int
    decision_id: int
    customer_id: int
    state: str
    case_manager_id: int | None
    requested_by_id: int | None
    requested_at: datetime | None
    intray_id: int | None
    intray_due_on: date | None
    consulted_id: int | None
    consulted_at: datetime | None
    outstanding_issues: str
    special_contact_conditions: str
    communication_approach: str
    who_tells: str
    recorded_by_id: int | None
    recorded_at: datetime | None


class PsMandatePartyOut(Schema):
    customer_id: int
    role: str
    ps_customer: bool
    consultation_required: bool
    manager: PsMandateManagerOut | None
    consultation: PsConsultationOut | None


class PsMandateDecisionOut(Schema):
    decision_id: int
    state: str
    parties: list[PsMandatePartyOut]
