"""API shapes for customers and cases: inputs forbid unknown fields; outputs are separate."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class CustomerSearchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=100)
    limit: int = Field(default=50, ge=1, le=200)


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


class ImportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(pattern="^(customers|accounts)$")
    format: str = Field(pattern="^(csv|jsonl)$")
    content: str = Field(min_length=1, description="The file's text (UTF-8)")


class ImportOut(Schema):
    imported: int
