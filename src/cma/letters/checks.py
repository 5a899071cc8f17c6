"""Everything that must hold before a letter is previewed or issued, collected as
a list of problems so the officer sees every reason at once.

None of these messages quotes a customer's personal value: they end up in API
answers, CLI summaries and (as codes) in the audit trail.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from cma.customers.models import Case, Customer
from cma.policy.models import LetterTemplate
from cma.staff.models import Role

from .catalogue import MAX_FIELD_LENGTH, FieldSpec, field_specs

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
_SEP = r"[\s().\-]*"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None


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


def other_parties(customer: Customer) -> list[Customer]:
    cases = Case.objects.filter(Q(payer=customer) | Q(payee=customer)).select_related(
        "payer", "payee"
    )
    seen: dict[int, Customer] = {}
    for case in cases:
        other = case.other_party(customer)
        seen.setdefault(other.pk, other)
    return list(seen.values())


def _pattern(value: str) -> re.Pattern[str] | None:
    value = " ".join(value.split())
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if _PHONE_CHARS.match(value) and len(digits) >= 6:
        variants = {digits}
        if digits.startswith("61"):
            variants.add("0" + digits[2:])
        elif digits.startswith("0"):
            variants.add("61" + digits[1:])
        alternatives = "|".join(_SEP.join(v) for v in sorted(variants))
        return re.compile(rf"(?<!\d)(?:{alternatives})(?!\d)")
    if value.isdigit():
        # A postcode, but not the same digits inside an amount or a longer number.
        return re.compile(rf"(?<![\d$.,]){value}(?!\d|[.,]\d)")
    words = r"\s+".join(re.escape(w) for w in value.split(" "))
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def disclosed_protected_values(text: str, values: list[str]) -> bool:
    for value in values:
        pattern = _pattern(value)
        if pattern and pattern.search(text):
            return True
    return False


def separating_safely(customer: Customer, body_text: str, fields: dict[str, str]) -> list[Problem]:
    """DOC-6: refuse a letter whose text would disclose an at-risk other party's
    location or contact details. Names the field, never the value."""
    from cma.notes.safety import protected_values

    values: list[str] = []
    for other in other_parties(customer):
        values.extend(protected_values(other))
    if not values or not disclosed_protected_values(body_text, values):
        return []
    culprits = [n for n, v in fields.items() if disclosed_protected_values(v, values)]
    where = f" in {', '.join(culprits)}" if culprits else ""
    return [
        Problem(
            "protected-details",
            "the letter would disclose another party's protected address or phone number"
            f"{where} (Separating Safely); remove it before issuing",
            culprits[0] if len(culprits) == 1 else None,
        )
    ]
