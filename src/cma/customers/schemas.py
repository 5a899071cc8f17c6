"""API shapes for customers and cases: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from cma.schemas import In, Int, Line, Text

MAX_IMPORT_CHARS = 50 * 1024 * 1024


class CustomerSearchIn(In):
    query: Line(100, min_length=1)
    limit: Int(ge=1, le=200) = 50


class CustomerBriefOut(Schema):
    id: int
    crn: str
    given_names: str
    family_name: str
    role: str
    state: str
    country: str


class CustomerHitOut(CustomerBriefOut):
    """A search result; a restricted record (SEC-1) carries only its id."""

    restricted: bool


class PhoneOut(Schema):
    kind: str
    number: str
    is_preferred: bool


class AlternativeContactOut(Schema):
    id: int
    name: str
    role: str
    ends_on: date
    is_current: bool


class RepresentativeOut(Schema):
    id: int
    name: str
    organisation: str
    starts_on: date
    ends_on: date | None


class CustomerOut(CustomerBriefOut):
    date_of_birth: date
    is_under_18: bool
    is_overseas: bool
    time_zone: str = Field(description="Where they live: their state's or country's zone (CON-13)")
    local_time: datetime = Field(description="The time now where they live, with its offset")
    address_line: str
    locality: str
    postcode: str
    email: str
    preferred_contact_method: str = Field(
        description="As recorded; under restricted service always an allowed channel (DOC-7)"
    )
    special_contact_considerations: str
    interpreter_language: str
    relay_need: str
    is_remote: bool
    phones: list[PhoneOut]
    alternative_contacts: list[AlternativeContactOut]
    representatives: list[RepresentativeOut]
    case_ids: list[int]


class ChildOut(Schema):
    given_names: str
    family_name: str
    date_of_birth: date


class AccountOut(Schema):
    ongoing_liability: Decimal
    arrears: Decimal
    last_payment_date: date | None
    payment_arrangement: str
    compliance_flags: list[str]
    dpo_recorded: bool


class CaseOut(Schema):
    id: int
    case_number: str
    payer_id: int
    payee_id: int
    started_on: date
    children: list[ChildOut]
    account: AccountOut | None


class ImportIn(In):
    kind: Literal["customers", "accounts"]
    format: Literal["csv", "jsonl"]
    # The request body limit (413) caps it first; `cma import` takes larger feeds.
    content: Text(MAX_IMPORT_CHARS, min_length=1, description="The file's text (UTF-8)")


class ImportOut(Schema):
    imported: int
