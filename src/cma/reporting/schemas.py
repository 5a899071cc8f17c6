from datetime import datetime

from ninja import Schema

from cma.schemas import Day, Id, Line


class TrailQuery(Schema):
    # Query strings are text: not strict like the JSON bodies.
    customer: Line(20) = ""
    actor: Line(150) = ""
    action: Line(100) = ""
    start: Day | None = None
    end: Day | None = None
    before: Id | None = None


class TrailRecordOut(Schema):
    id: int
    seq: int | None
    created_at: datetime
    actor_label: str
    action: str
    outcome: str
    object_type: str
    object_id: str
    customer_id: int | None
    reason: str
    changed: list[str]
    chain: str


class TrailPageOut(Schema):
    records: list[TrailRecordOut]
    next_before: int | None
    customer_id: int | None
