"""API shapes of PS contact, letters, face-to-face and options (PS-7..PS-11): inputs
forbid unknown fields; every name starts with `Ps`."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from cma.schemas import Code, Day, Fields, Id, In, Line, Moment, Text


class PsFirstContactIn(In):
    channel: Code() = "phone"
    interaction_id: Id | None = None


class PsDiscussionIn(In):
    items_done: list[Code()] = Field(default_factory=list, max_length=40)
    summary: Text(4000) | None = None
    summary_acknowledged: bool | None = None
    next_contact_at: Moment | None = None


class PsChecklistItemOut(Schema):
    code: str
    name: str
    mandatory: bool
    done: bool


class PsFirstContactOut(Schema):
    id: int
    plan_id: int
    customer_id: int
    interaction_id: int | None
    restricted_check_done: bool
    items: list[PsChecklistItemOut]
    summary: str
    summary_acknowledged: bool
    next_contact_at: datetime | None
    completed_at: datetime | None
    warnings: list[str]


class PsAfterContactIn(In):
    products_services: list[Code()] = Field(default_factory=list, max_length=20)
    follow_up_type: Code()
    follow_up_note: Text(4000, min_length=1)
    follow_up_due_on: Day | None = None
    customer_view: Text(4000) | None = None
    agreed_actions: Text(4000) | None = None
    agreed_contact_times: Text(4000) | None = None
    approve_plan: bool = True
    sensitive_kind: Line(60) = ""
    sensitive_reason: Text(2000) = ""
    sensitive_conditions: Text(2000) = ""
    sensitive_review_on: Day | None = None
    security_incident: bool = False
    special_contact_details: Text(4000) = ""


class PsAfterContactOut(Schema):
    id: int
    plan_id: int
    plan_state: str
    products_services: list[str]
    sensitive_indicator_id: int | None
    follow_up_intray_id: int | None
    referral_intray_deleted: bool
    special_contact_details_updated: bool


class PsFollowUpContactIn(In):
    subject: Line(120, min_length=1)
    body: Text(4000, min_length=1)
    channel: Code() = "phone"
    next_contact_at: Moment | None = None


class PsFollowUpContactOut(Schema):
    plan_id: int
    note_id: int


class PsLetterIn(In):
    letter: Literal["introduction", "first-call", "exit"]
    fields: Fields(Text(2000), max_items=20) = Field(default_factory=dict)


class PsLetterOut(Schema):
    letter_id: int
    template_code: str
    reference: str
    signed_by: str


class PsLetterSkipIn(In):
    reason: Text(2000, min_length=1)


class PsDecisionIn(In):
    approve: bool
    comment: Text(2000) = ""


class PsLetterSkipOut(Schema):
    id: int
    plan_id: int
    letter_code: str
    segment: int | None
    approval: str
    agreed_at: datetime | None
    comment: str


class PsFaceToFaceIn(In):
    reason: Text(2000, min_length=1)
    location_kind: Line(30) = ""
    location: Line(200) = ""
    via_customer_review: bool = False
    attendee_ids: list[Id] = Field(default_factory=list, max_length=10)
    second_person_present: bool = False
    security_risks: bool = False
    security_risk_notes: Text(2000) = ""


class PsBookIn(In):
    meeting_at: Moment


class PsFaceToFaceOut(Schema):
    id: int
    plan_id: int
    state: str
    location_kind: str
    location: str
    via_customer_review: bool
    attendee_ids: list[int]
    second_person_present: bool
    security_risks: bool
    scm_notified: bool
    approved_at: datetime | None
    location_approved_at: datetime | None
    meeting_at: datetime | None


class PsOptionIn(In):
    kind: Code()
    description: Text(2000, min_length=1)
    issue_id: Id | None = None


class PsOptionStatusIn(In):
    status: Literal["offered", "taken-up", "declined"]


class PsOptionOut(Schema):
    id: int
    plan_id: int
    issue_id: int | None
    kind: str
    description: str
    status: str


class PsCaseloadRowOut(Schema):
    plan_id: int
    customer_id: int
    customer_name: str
    crn: str
    plan_state: str
    segment: int | None
    due_on: date
    overdue: bool
    next_contact_at: datetime | None


class PsApprovalRowOut(Schema):
    kind: str
    id: int
    plan_id: int | None
    customer_id: int
    customer_name: str
    requested_by: str
    requested_at: datetime
    detail: str
