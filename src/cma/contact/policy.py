"""The contact rules held as policy data (policy/data/contact.yaml), read typed."""

import re
from dataclasses import dataclass
from typing import Any

from cma.errors import ValidationFailed
from cma.policy.services import parameter


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    field: str


@dataclass(frozen=True)
class IdentityRule:
    questions: list[Question]
    required: list[str]
    min_matches: int


@dataclass(frozen=True)
class Purpose:
    code: str
    name: str
    additional_attempts: bool
    mx1_request_type: str
    mx1_reason: str


@dataclass(frozen=True)
class Template:
    code: str
    recipient: str
    text: str


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    phone: str
    helps_with: str
    eligibility: str


def identity_rule() -> IdentityRule:
    value = parameter("identity-questions")
    return IdentityRule(
        questions=[Question(**q) for q in value["questions"]],
        required=list(value.get("required", [])),
        min_matches=int(value["min_matches"]),
    )


def purposes() -> dict[str, Purpose]:
    return {p["code"]: Purpose(**p) for p in parameter("contact-purposes")}


def purpose(code: str) -> Purpose:
    found = purposes().get(code)
    if found is None:
        raise ValidationFailed(f"unknown contact purpose {code!r}", field="purpose")
    return found


def templates() -> dict[str, Template]:
    return {t["code"]: Template(**t) for t in parameter("message-templates")}


def organisations() -> dict[str, Organisation]:
    return {o["code"]: Organisation(**o) for o in parameter("external-organisations")}


def agency_phone() -> str:
    return str(parameter("agency-phone"))


def _squash(text: str) -> str:
    """Lower case, letters and digits only: "Legal  Action!" -> "legalaction"."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def consequence_phrases_in(text: str) -> list[str]:
    """The consequence statements (CON-8) in `text`, ignoring case and spacing."""
    squashed = _squash(text)
    return [p for p in parameter("consequence-phrases") if _squash(p) and _squash(p) in squashed]


def call_hours() -> tuple[str, str]:
    value: dict[str, Any] = parameter("customer-local-call-hours")
    return str(value["start"]), str(value["end"])


def norfolk_island_prefix() -> str:
    """The E.164 prefix of Norfolk Island numbers (CON-13), e.g. "+6723"."""
    return str(parameter("norfolk-island-prefix"))


def telephony_clock_skew_seconds() -> int:
    """How far from now a signed telephony event's timestamp may be."""
    return int(parameter("telephony-clock-skew-seconds"))


def under_18_messages_area() -> str:
    """The business area whose officers may leave a message for a customer under 18."""
    return str(parameter("under-18-messages-area"))


def pre_call_sms() -> str:
    return str(parameter("pre-call-sms-template"))


@dataclass(frozen=True)
class Survey:
    code: str
    name: str


def survey() -> Survey:
    value: dict[str, Any] = parameter("survey-transfer")
    return Survey(code=str(value["code"]), name=str(value["name"]))


def call_hold_seconds() -> int:
    return int(parameter("call-hold-seconds"))


def fill(text: str, *, officer_first_name: str) -> str:
    """A template filled with the only two things a message may carry (CON-8): the
    officer's first name and the agency's public number."""
    return text.replace("{officer_first_name}", officer_first_name).replace(
        "{agency_phone}", agency_phone()
    )


def fill_many(texts: list[str], *, officer_first_name: str) -> list[str]:
    """`fill` for several templates with one read of the agency's number (a page that
    offers every template at once)."""
    phone = agency_phone()
    return [
        text.replace("{officer_first_name}", officer_first_name).replace("{agency_phone}", phone)
        for text in texts
    ]


@dataclass(frozen=True)
class AttemptRules:
    """How many attempts a contact plan owes (CON-3) and when a call is reasonable
    (CON-13): read once per request, so deriving many plans costs no more queries."""

    additional_count: int
    window_hours: int
    call_start: str
    call_end: str


def attempt_rules() -> AttemptRules:
    start, end = call_hours()
    return AttemptRules(
        additional_count=int(parameter("additional-attempts-count")),
        window_hours=int(parameter("additional-attempts-window-hours")),
        call_start=start,
        call_end=end,
    )
