"""Everything that must hold before a letter is previewed or issued, collected as
a list of problems so the officer sees every reason at once.

None of these messages quotes a customer's personal value: they end up in API
answers, CLI summaries and (as codes) in the audit trail.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from cma.customers.models import Customer
from cma.policy.models import LetterTemplate
from cma.privacy.separating import withheld_for
from cma.staff.models import Role

from .catalogue import MAX_FIELD_LENGTH, FieldSpec, field_specs

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None
    # Where in the field a Separating Safely finding is (the page marks it).
    start: int | None = None
    end: int | None = None
    kind: str | None = None

    def as_detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"field": self.field, "message": self.message, "code": self.code}
        if self.start is not None:
            detail |= {"start": self.start, "end": self.end, "kind": self.kind}
        return detail


def clean_fields(
    template: LetterTemplate, raw: dict[str, Any]
) -> tuple[dict[str, str], list[Problem]]:
    """Positive validation of the officer's inputs against the template's fields."""
    specs = {s.name: s for s in field_specs(template)}
    problems: list[Problem] = []
    cleaned: dict[str, str] = {}
    for name in sorted(set(raw) - set(specs)):
        problems.append(
            Problem("unknown-field", f"{template.code} has no field called {name!r}", name)
        )
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem("missing-field", f"{spec.label} is required", name))
            continue
        if not isinstance(value, str):
            problems.append(Problem("invalid-field", f"{spec.label} must be text", name))
            continue
        value = value.replace("\r\n", "\n").strip()
        problem = _check_value(spec, value)
        if problem:
            problems.append(problem)
        else:
            cleaned[name] = value
    return cleaned, problems


def _check_value(spec: FieldSpec, value: str) -> Problem | None:
    if len(value) > MAX_FIELD_LENGTH:
        return Problem(
            "field-too-long",
            f"{spec.label} must be at most {MAX_FIELD_LENGTH} characters",
            spec.name,
        )
    if _CONTROL.search(value):
        return Problem(
            "invalid-field", f"{spec.label} contains characters a letter cannot print", spec.name
        )
    if spec.kind == "choice" and value not in spec.choices:
        allowed = ", ".join(sorted(spec.choices))
        return Problem("invalid-choice", f"{spec.label} must be one of: {allowed}", spec.name)
    if spec.kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return Problem(
                "invalid-date", f"{spec.label} must be a date written as YYYY-MM-DD", spec.name
            )
    return None


def has_postal_address(customer: Customer) -> bool:
    if not (customer.address_line.strip() and customer.locality.strip()):
        return False
    return customer.is_overseas or bool(customer.postcode.strip() and customer.state)


def preconditions(
    template: LetterTemplate,
    *,
    customer: Customer,
    actor: Any,
    employer_notice_outstanding: bool | None,
) -> list[Problem]:
    problems = []
    if not has_postal_address(customer):
        problems.append(
            Problem(
                "no-postal-address",
                "the customer has no complete postal address to send a letter to",
                "customer",
            )
        )
    if "overseas-customer" in template.preconditions and not customer.is_overseas:
        problems.append(
            Problem(
                "not-overseas",
                f"{template.code} is only for customers who live overseas (CON-2); "
                "call this customer instead",
                "customer",
            )
        )
    if "employer-notices-complied" in template.preconditions:
        if employer_notice_outstanding is None:
            problems.append(
                Problem(
                    "employer-notice-unanswered",
                    "say whether an employer has not complied with a notice for this customer",
                    "employer_notice_outstanding",
                )
            )
        elif employer_notice_outstanding:
            problems.append(
                Problem(
                    "employer-notice-outstanding",
                    f"{template.code} must not be issued while an employer has not complied "
                    "with a notice (CON-4); follow up the employer instead",
                    "employer_notice_outstanding",
                )
            )
    if template.signatory == "ps_case_manager" and getattr(actor, "role", None) != (
        Role.PS_CASE_MANAGER
    ):
        problems.append(
            Problem(
                "ps-case-manager-only",
                f"{template.code} is a Personalised Services letter: only a PS case manager "
                "can issue and sign it (PS-9)",
                "template",
            )
        )
    return problems


def separating_safely(customer: Customer, body_text: str, fields: dict[str, str]) -> list[Problem]:
    """DOC-6: refuse a letter whose text would disclose an at-risk other party's
    location or contact details (street with or without the house number, locality,
    postcode, phone number; any case, spacing or Unicode form). One problem per
    finding in the officer's fields, with its span; never the value."""
    protected = withheld_for(customer)
    if not protected or not protected.find(body_text):
        return []
    problems = []
    for name, value in fields.items():
        for f in protected.find(value):
            problems.append(
                Problem(
                    "protected-details",
                    f"the letter would disclose {f.label} in {name} at characters "
                    f"{f.start + 1}-{f.end} (Separating Safely); remove it before issuing",
                    name,
                    start=f.start,
                    end=f.end,
                    kind=f.kind,
                )
            )
    return problems or [
        Problem(
            "protected-details",
            "the letter would disclose another party's protected address or phone number "
            "(Separating Safely); remove it before issuing",
        )
    ]
