"""API shapes for work management: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from cma.schemas import MAX_ID, Code, Day, Id, In, Int, Moment, Text

from .queue import SORTS

SORT_VALUES = tuple(k for key in SORTS for k in (key, f"-{key}"))
OWNER_PATTERN = r"^((user|team):[0-9]{1,11}|area:[a-z0-9-]{1,40})$"


class _OwnerIn(In):
    """Exactly one of an officer, a team or a business area (by code)."""

    owner_user_id: Id | None = None
    owner_team_id: Id | None = None
    owner_area: Code() | None = None


class LockIn(_OwnerIn):
    """With no owner the customer is locked to the caller."""

    reason: Text(300, min_length=1)


class UnlockIn(In):
    reason: Text(300, min_length=1)


class TransferIn(_OwnerIn):
    reason: Text(300, min_length=1)


class DecisionAdviceIn(In):
    issued_at: Moment = Field(description="When written advice was issued (with time zone)")


class IntrayIn(_OwnerIn):
    """With no owner the intray goes to its type's business area, else to the caller."""

    customer_id: Id
    type_code: Code()
    case_id: Id | None = None
    due_on: Day | None = None
    note: Text(2000) = ""


class FollowUpIn(_OwnerIn):
    type_code: Code()
    due_on: Day | None = None
    note: Text(2000) = ""


class CompleteIn(In):
    outcome: Text(2000, min_length=1)


class DeleteIn(In):
    reason: Text(2000, min_length=1)


class AssignIn(_OwnerIn):
    due_on: Day | None = None
    reason: Text(300) = ""


class RoutingIn(In):
    issues: list[Code()] = Field(min_length=1, max_length=20)


class LockOut(Schema):
    id: int
    customer_id: int
    owner_key: str
    owner_kind: str
    owner_label: str = Field(description="The holder's name: officer, team or business area")
    owner_team_name: str | None = Field(description="The holding officer's team, or the team")
    holder: str = Field(
        description='Who holds it, as shown: "Olivia Smith (Mainstream Parramatta)"'
    )
    held_by_caller: bool = Field(
        description="The caller, their team or their business area holds the lock; when false, "
        "coordinate with the holder before acting (CMA-5)"
    )
    business_area: str | None
    reason: str
    locked_at: datetime
    locked_by_id: int | None
    decision_advice_issued_at: datetime | None
    expires_at: datetime | None
    released_at: datetime | None
    release_kind: str


class IntrayOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    type_code: str
    type_name: str
    priority: int
    status: str
    owner_key: str
    owner_kind: str
    owner_label: str
    due_on: date
    overdue: bool
    note: str
    outcome: str
    deleted_reason: str
    separating_safely: bool = Field(
        description="The customer is at risk (DOC-6): show the Separating Safely warning"
    )
    restricted: bool = Field(
        default=False, description="The customer is hidden from the caller (SEC-1)"
    )
    parent_id: int | None
    created_at: datetime
    started_at: datetime | None
    closed_at: datetime | None


class HistoryOut(Schema):
    at: datetime
    kind: str
    label: str
    actor: str
    from_owner: str
    to_owner: str
    text: str


class _CustomerNamed(Schema):
    customer_name: str = Field(
        description='The customer\'s name, or "Restricted record" when the one door does not '
        "let the caller see them (SEC-1)"
    )
    customer_crn: str = Field(description="Their reference number; empty when restricted")


class IntrayDetailOut(IntrayOut, _CustomerNamed):
    history: list[HistoryOut]


class NextWorkOut(IntrayOut, _CustomerNamed):
    already_yours: bool = Field(
        description="It was assigned to the caller already (open, not started); it is now "
        "in progress (WRK-4)"
    )


class CustomerWorkOut(Schema):
    customer_id: int
    lock: LockOut | None
    area_after_expiry: str | None = Field(
        description="Business area owning the customer after an auto-unlock (CMA-7)"
    )
    intrays: list[IntrayOut]


class MyWorkOut(Schema):
    items: list[IntrayOut]
    team_open: int
    area_open: int


class EscalationOut(Schema):
    id: int
    intray_id: int
    customer_id: int
    type_name: str
    separating_safely: bool
    due_on: date
    team_id: int | None
    area: str | None
    leader_id: int | None
    created_at: datetime


class TeamQueueQuery(Schema):
    """Sort (a leading - for descending) and filters of the team queue."""

    sort: Literal[SORT_VALUES] = "due"  # type: ignore[valid-type]
    type: Code(40) | None = None
    owner: Annotated[str, Field(max_length=52, pattern=OWNER_PATTERN)] | None = Field(
        default=None, description='"user:12", "team:3" or "area:mainstream"'
    )
    status: Literal["open", "in_progress"] | None = None
    overdue: bool = False


class TeamQueueItemOut(IntrayOut):
    version: int = Field(description="The row's version as loaded: send it back to re-assign")


class OfficerCountOut(Schema):
    officer_id: int
    name: str
    open: int = Field(description="Live work (open or in progress) the officer holds")
    overdue: int


class TeamQueueOut(Schema):
    team_id: int
    sort: str
    items: list[TeamQueueItemOut]
    escalations: list[EscalationOut]
    officers: list[OfficerCountOut]


class ReassignItemIn(In):
    intray_id: Id
    # Like every whole number in a body: an int or an integral float (Id's rule).
    version: Int(ge=0, le=MAX_ID, description="The intray's version as loaded")


class ReassignIn(_OwnerIn):
    """Re-assign every listed intray to one owner, or none of them when any was changed
    since it was loaded (each such intray is named in the refusal's details)."""

    items: list[ReassignItemIn] = Field(min_length=1, max_length=200)
    reason: Text(300) = ""


class ReassignOut(Schema):
    reassigned: list[IntrayOut]


class AdviceOut(Schema):
    issue: str
    issue_name: str
    resolve_at_point_of_entry: bool
    area: str | None
    area_name: str | None
    owner_key: str
    owner_label: str
    rule: str
    reason: str
    follow_up_area: str | None


class IntrayTypeOut(Schema):
    code: str
    name: str
    service_level_working_days: int
    priority: int
    required_fields: list[str] = Field(description="What the creator must give: note, case")
    routes_to_area: str | None = Field(description="Business area it goes to by default")


class IssueKindOut(Schema):
    code: str
    name: str
    activity: str
    area: str


class SweepOut(Schema):
    auto_unlocked: int
    escalated: int
