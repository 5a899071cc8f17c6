"""Bulk imports from the finance system: every row validated first, all-or-nothing."""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from cma.audit.services import record
from cma.calendar.workdays import STATES

from .contact_rules import channel_label, describe, restricted_channels
from .import_cells import formula_problem
from .import_files import ImportRejected, check_header, decode
from .models import AccountSummary, Case, ContactDetail, Customer, PhoneType, agency_today
from .timezones import country_zones, time_zone_problem


def _iso_date(value: Any) -> Any:
    """Dates arrive as ISO text (YYYY-MM-DD); a number is never taken as a timestamp."""
    if isinstance(value, date) or value is None:
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


# NUL and other control characters: PostgreSQL refuses NUL in text outright, and none
# belongs in a name, code or address.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_formula(cls, value: Any, info: ValidationInfo) -> Any:
        problem = formula_problem(info.field_name, value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and _CONTROL.search(t) for t in texts):
            raise ValueError("contains a control character")
        # Again after parsing: a list column is split only now ("a;=b").
        problem = formula_problem(info.field_name, value)
        if problem:
            raise ValueError(problem)
        return value


class CustomerRow(_Row):
    crn: str = Field(pattern=r"^\d{9}[A-Z]$")
    given_names: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: IsoDate
    role: Literal["payer", "payee", "carer"]
    # country before state: the state check needs to know the country.
    country: str = Field(default="AU", pattern=r"^[A-Z]{2}$")
    state: str | None = Field(default=None, validate_default=True)
    # Only to choose among a multi-zone country's zones; otherwise derived (CON-13).
    time_zone: str = Field(default="", max_length=64)
    address_line: str = Field(default="", max_length=200)
    locality: str = Field(default="", max_length=100)
    postcode: str = Field(default="", max_length=10)
    mobile: str | None = None
    home: str | None = None
    work: str | None = None
    international: str | None = None
    email: str = Field(default="", max_length=254)
    preferred_contact_method: Literal["phone", "sms", "email", "post"] = "phone"
    interpreter_language: str = Field(default="", max_length=60)
    relay_need: Literal["", "nrs", "tty"] = ""
    is_remote: bool = False

    @field_validator("date_of_birth")
    @classmethod
    def _born_in_past(cls, value: date) -> date:
        if value > agency_today() or value.year < 1900:
            raise ValueError("date of birth must be a past date after 1900")
        return value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if not country_zones(value):
            raise ValueError(f"{value} is not an ISO 3166 country code")
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone_of_country(cls, value: str, info: ValidationInfo) -> str:
        country = info.data.get("country")
        problem = time_zone_problem(country=country, time_zone=value) if country else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and value.upper() not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        if not value and info.data.get("country") == "AU":
            raise ValueError("state is required for a customer living in Australia")
        return value.upper() if value else None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not value:
            return ""
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not an email address") from None
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"

    @field_validator("preferred_contact_method")
    @classmethod
    def _preferred_is_on_record(cls, value: str, info: ValidationInfo) -> str:
        if value == "email" and not info.data.get("email") and "email" in info.data:
            raise ValueError("email is preferred but no email address is given")
        return value

    @field_validator("mobile", "home", "work", "international")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            parsed = phonenumbers.parse(value, "AU")
        except phonenumbers.NumberParseException:
            raise ValueError("not a phone number") from None
        if not phonenumbers.is_valid_number(parsed):
            raise ValueError("not a valid phone number")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class AccountRow(_Row):
    case_number: str = Field(min_length=1, max_length=12)
    ongoing_liability: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    arrears: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    last_payment_date: IsoDate | None = None
    payment_arrangement: Literal["none", "active", "defaulted", "completed"] = "none"
    compliance_flags: list[str] = []
    dpo_recorded: bool = False
    step3_complaints: int = Field(default=0, ge=0, le=999)
    compensation_waiver_applications: int = Field(default=0, ge=0, le=999)
    privacy_breach_claims: int = Field(default=0, ge=0, le=999)

    @field_validator("compliance_flags", mode="before")
    @classmethod
    def _split_flags(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [f.strip() for f in value.split(";") if f.strip()]
        return value


KINDS: dict[str, type[_Row]] = {"customers": CustomerRow, "accounts": AccountRow}


def read_rows(
    data: bytes, fmt: str, model: type[BaseModel] | None = None
) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (line number, raw row) from CSV (with header) or JSON Lines."""
    if fmt not in ("csv", "jsonl"):
        raise ImportRejected("format must be csv or jsonl", field="format")
    text = decode(data)
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            if model is not None:
                check_header(reader.fieldnames, model)
            for row in reader:
                if None in row:
                    yield reader.line_num, {"__extra__": row[None]}
                    continue
                yield reader.line_num, {k: v for k, v in row.items() if v not in ("", None)}
        except csv.Error as exc:
            raise ImportRejected(
                f"line {reader.line_num + 1}: not readable as CSV ({exc})", field="file"
            ) from None
    else:
        # Only "\n" ends a line: str.splitlines() would also split inside a JSON string
        # holding U+2028 and the like, and misreport every later line number.
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, {"__json_error__": f"not valid JSON ({exc.msg})"}
                continue
            yield n, value if isinstance(value, dict) else {"__json_error__": "not an object"}


def validate(kind: str, data: bytes, fmt: str) -> list[tuple[int, _Row]]:
    """Parse every row; raise ImportRejected listing every bad row with its line."""
    model = KINDS.get(kind)
    if model is None:
        raise ImportRejected(f"unknown import kind {kind!r}", field="kind")
    good: list[tuple[int, _Row]] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    key = "crn" if kind == "customers" else "case_number"
    for count, (line, raw) in enumerate(read_rows(data, fmt, model), start=1):
        if count > settings.CMA_MAX_IMPORT_ROWS:
            raise ImportRejected(
                f"line {line}: more than {settings.CMA_MAX_IMPORT_ROWS} rows; split the file",
                field="file",
            )
        if "__json_error__" in raw:
            problems.append({"line": line, "field": None, "message": raw["__json_error__"]})
            continue
        if "__extra__" in raw:
            problems.append(
                {"line": line, "field": None, "message": "more values than header columns"}
            )
            continue
        try:
            row = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or None
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = "unknown field"
                problems.append({"line": line, "field": field, "message": message})
            continue
        ident = getattr(row, key)
        if ident in seen:
            problems.append(
                {"line": line, "field": key, "message": f"duplicate of line {seen[ident]}"}
            )
            continue
        seen[ident] = line
        good.append((line, row))
    if kind == "customers" and good:
        problems += _preferences_refused(good)
    if kind == "accounts" and good:
        known = set(
            Case.objects.filter(case_number__in=[r.case_number for _, r in good]).values_list(
                "case_number", flat=True
            )
        )
        for line, row in good:
            if row.case_number not in known:
                problems.append({"line": line, "field": "case_number", "message": "no such case"})
    if problems:
        problems.sort(key=lambda p: p["line"])
        raise ImportRejected(
            f"{len(problems)} problem(s) in {len({p['line'] for p in problems})} row(s); "
            "nothing was imported",
            details=problems,
        )
    if not good:
        raise ImportRejected("the file has no rows", field="file")
    return good


def _preferences_refused(rows: list[tuple[int, _Row]]) -> list[dict[str, Any]]:
    """DOC-7: the preferred contact of a customer under restricted service must be one
    of the channels the arrangement allows."""
    ids = dict(
        Customer.objects.filter(crn__in=[r.crn for _, r in rows]).values_list("crn", "pk")  # type: ignore[attr-defined]
    )
    allowed = restricted_channels(ids.values())
    problems = []
    for line, row in rows:
        channels = allowed.get(ids.get(row.crn))  # type: ignore[attr-defined]
        preferred = row.preferred_contact_method  # type: ignore[attr-defined]
        if channels is not None and preferred not in channels:
            problems.append(
                {
                    "line": line,
                    "field": "preferred_contact_method",
                    "message": f"{channel_label(preferred)} is not allowed under this customer's "
                    f"restricted service (only {describe(channels)})",
                }
            )
    return problems


def _save_customer(row: CustomerRow) -> None:
    fields = row.model_dump(exclude={"crn", "mobile", "home", "work", "international"})
    fields["state"] = fields["state"] or ""
    numbers = {kind: getattr(row, kind) for kind in PhoneType.values if getattr(row, kind)}
    # Norfolk Island (+672 3) customers always carry the remote indicator (CON-13).
    if row.country == "NF" or any(n.startswith("+6723") for n in numbers.values()):
        fields["is_remote"] = True
    customer, _ = Customer.objects.update_or_create(crn=row.crn, defaults=fields)
    if numbers:
        customer.phones.filter(kind__in=list(numbers)).delete()
        ContactDetail.objects.bulk_create(
            ContactDetail(customer=customer, kind=k, number=v) for k, v in numbers.items()
        )


def _save_account(row: AccountRow, cases: dict[str, Case]) -> None:
    values = row.model_dump(exclude={"case_number"})
    values["updated_at"] = timezone.now()
    AccountSummary.objects.update_or_create(case=cases[row.case_number], defaults=values)


@transaction.atomic
def import_rows(
    *,
    kind: str,
    data: bytes,
    fmt: str,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Validate everything, then write everything in one transaction. Returns rows written."""
    rows = validate(kind, data, fmt)
    cases = {}
    if kind == "accounts":
        cases = Case.objects.in_bulk([r.case_number for _, r in rows], field_name="case_number")
    for done, (_, row) in enumerate(rows, start=1):
        if kind == "customers":
            _save_customer(row)  # type: ignore[arg-type]
        else:
            _save_account(row, cases)  # type: ignore[arg-type]
        if progress:
            progress(done, len(rows))
    record(
        actor=actor,
        action=f"customers.{kind}.imported",
        changes={"rows": len(rows), "format": fmt},
    )
    return len(rows)
