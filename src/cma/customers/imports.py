"""Bulk imports from the finance system: every row validated first, all-or-nothing."""

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cma.audit.services import record
from cma.calendar.workdays import STATES
from cma.errors import ValidationFailed

from .models import AccountSummary, Case, ContactDetail, Customer, PhoneType


class ImportRejected(ValidationFailed):
    code = "import-rejected"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CustomerRow(_Row):
    crn: str = Field(pattern=r"^\d{9}[A-Z]$")
    given_names: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    role: Literal["payer", "payee", "carer"]
    state: str | None = None
    country: str = Field(default="AU", pattern=r"^[A-Z]{2}$")
    address_line: str = Field(default="", max_length=200)
    locality: str = Field(default="", max_length=100)
    postcode: str = Field(default="", max_length=10)
    mobile: str | None = None
    home: str | None = None
    work: str | None = None
    international: str | None = None
    preferred_contact_method: Literal["phone", "sms", "email", "post"] = "phone"
    interpreter_language: str = Field(default="", max_length=60)
    relay_need: Literal["", "nrs", "tty"] = ""
    is_remote: bool = False

    @field_validator("date_of_birth")
    @classmethod
    def _born_in_past(cls, value: date) -> date:
        if value > timezone.now().date() or value.year < 1900:
            raise ValueError("date of birth must be a past date after 1900")
        return value

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str | None) -> str | None:
        if value and value.upper() not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        return value.upper() if value else None

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

    @model_validator(mode="after")
    def _state_for_australians(self) -> "CustomerRow":
        if self.country == "AU" and not self.state:
            raise ValueError("state is required for a customer living in Australia")
        return self


class AccountRow(_Row):
    case_number: str = Field(min_length=1, max_length=12)
    ongoing_liability: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    arrears: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    last_payment_date: date | None = None
    payment_arrangement: Literal["none", "active", "defaulted", "completed"] = "none"
    compliance_flags: list[str] = []
    dpo_recorded: bool = False

    @field_validator("compliance_flags", mode="before")
    @classmethod
    def _split_flags(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [f.strip() for f in value.split(";") if f.strip()]
        return value


KINDS: dict[str, type[_Row]] = {"customers": CustomerRow, "accounts": AccountRow}


def read_rows(data: bytes, fmt: str) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (line number, raw row) from CSV (with header) or JSON Lines."""
    if len(data) > settings.CMA_MAX_IMPORT_BYTES:
        raise ImportRejected(f"file is larger than {settings.CMA_MAX_IMPORT_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"file is not UTF-8 (byte {exc.start})", field="file") from None
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            if None in row:
                yield reader.line_num, {"__extra__": row[None]}
                continue
            yield reader.line_num, {k: v for k, v in row.items() if v not in ("", None)}
    elif fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, {"__json_error__": exc.msg}
                continue
            yield n, value if isinstance(value, dict) else {"__json_error__": "not an object"}
    else:
        raise ImportRejected("format must be csv or jsonl", field="format")


def validate(kind: str, data: bytes, fmt: str) -> list[tuple[int, _Row]]:
    """Parse every row; raise ImportRejected listing every bad row with its line."""
    model = KINDS.get(kind)
    if model is None:
        raise ImportRejected(f"unknown import kind {kind!r}", field="kind")
    good: list[tuple[int, _Row]] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    key = "crn" if kind == "customers" else "case_number"
    for line, raw in read_rows(data, fmt):
        if "__json_error__" in raw:
            problems.append({"line": line, "field": None, "message": raw["__json_error__"]})
            continue
        if "__extra__" in raw:
            problems.append({"line": line, "field": None, "message": "more values than columns"})
            continue
        try:
            row = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or None
                message = err["msg"].removeprefix("Value error, ")
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


def _save_customer(row: CustomerRow) -> None:
    fields = row.model_dump(exclude={"crn", "mobile", "home", "work", "international"})
    fields["state"] = fields["state"] or ""
    customer, _ = Customer.objects.update_or_create(crn=row.crn, defaults=fields)
    numbers = {kind: getattr(row, kind) for kind in PhoneType.values if getattr(row, kind)}
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
