"""The Personalised Services rules held as policy data (policy/data/personalised.yaml),
read typed. Nothing here repeats a value of the file."""

from dataclasses import dataclass, field
from typing import Any

from cma.policy.services import parameter

from .errors import UnknownPsCode


@dataclass(frozen=True)
class Option:
    code: str
    name: str
    extra: dict[str, Any] = field(default_factory=dict)


def _options(key: str, name_key: str = "name") -> dict[str, Option]:
    found = {}
    for item in parameter(key):
        rest = {k: v for k, v in item.items() if k not in ("code", name_key)}
        found[item["code"]] = Option(code=item["code"], name=item[name_key], extra=rest)
    return found


def _one(key: str, code: str, field_name: str, what: str) -> Option:
    found = _options(key).get(code)
    if found is None:
        raise UnknownPsCode(f"unknown {what} {code!r}", field=field_name)
    return found


# Referrals (PS-1, PS-2)


def referral_types() -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in parameter("ps-referral-types")}


def referral_sources() -> dict[str, Option]:
    return _options("ps-referral-sources")


def main_reasons() -> dict[str, Option]:
    return _options("ps-main-reasons")


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    when: str = ""


def actioning_steps() -> list[Step]:
    return [Step(s["code"], s["name"], s.get("when", "")) for s in parameter("ps-actioning-steps")]


def case_history_items() -> dict[str, Option]:
    return _options("ps-case-history-items")


def reallocation_reasons() -> dict[str, Option]:
    return _options("ps-reallocation-reasons")


def reallocation_intray() -> str:
    return str(parameter("ps-reallocation-intray"))


# The plan (PS-4, PS-5, PS-11)


def plan_due_days() -> int:
    return int(parameter("ps-plan-due-calendar-days"))


def classifications() -> dict[str, Option]:
    return _options("ps-issue-classifications")


@dataclass(frozen=True)
class MandatoryIssue:
    code: str
    title: str
    classification: str


def mandatory_issues() -> list[MandatoryIssue]:
    return [MandatoryIssue(**i) for i in parameter("ps-mandatory-issues")]


def issue_transitions() -> dict[str, list[str]]:
    return {k: list(v) for k, v in parameter("ps-issue-transitions").items()}


def option_kinds() -> dict[str, Option]:
    return _options("ps-option-kinds")


# Segments (PS-6)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    levels: tuple[tuple[int, int], ...]  # (at_least, segment), ascending
    window_days: int | None = None

    def segment_for(self, count: int) -> int | None:
        found = None
        for at_least, segment in self.levels:
            if count >= at_least:
                found = segment
        return found


def segment_indicators() -> list[Indicator]:
    return [
        Indicator(
            code=i["code"],
            name=i["name"],
            levels=tuple(sorted((int(lv["at_least"]), int(lv["segment"])) for lv in i["levels"])),
            window_days=i.get("window_days"),
        )
        for i in parameter("ps-segment-indicators")
    ]


def segment_3_indicator_count() -> int:
    return int(parameter("ps-segment-3-indicator-count"))


def segments_needing_approval() -> frozenset[int]:
    return frozenset(int(s) for s in parameter("ps-segment-approval"))


# Contact, face-to-face and letters (PS-7..PS-10; the second PS helper's part)


def first_contact_items() -> dict[str, Option]:
    return _options("ps-first-contact-items")


def face_to_face_locations() -> dict[str, Option]:
    return _options("ps-face-to-face-locations")


def letters() -> dict[str, Any]:
    return dict(parameter("ps-letters"))


def require_code(options: dict[str, Option], code: str, field_name: str, what: str) -> Option:
    found = options.get(code)
    if found is None:
        raise UnknownPsCode(f"unknown {what} {code!r}", field=field_name)
    return found


# Finalisation and exit (PS-13..PS-17)


@dataclass(frozen=True)
class FinalisationRules:
    """The PS-13 parameters, read in one query (the plan page shows readiness)."""

    ongoing_intrays: frozenset[str]
    exit_letter_days: int
    response_sources: frozenset[str]
    open_decision_states: tuple[str, ...]
    exit_letter: str


def finalisation_rules() -> FinalisationRules:
    from cma.policy.models import Parameter

    keys = (
        "ps-finalisation-ongoing-intrays",
        "ps-finalisation-exit-letter-days",
        "ps-finalisation-response-sources",
        "ps-finalisation-open-decision-states",
        "ps-letters",
    )
    found = dict(Parameter.objects.filter(key__in=keys).values_list("key", "value"))
    missing = [k for k in keys if k not in found]
    if missing:
        return FinalisationRules(
            finalisation_ongoing_intrays(),
            exit_letter_days(),
            response_sources(),
            tuple(open_decision_states()),
            str(letters()["exit"]),
        )
    return FinalisationRules(
        ongoing_intrays=frozenset(str(c) for c in found[keys[0]]),
        exit_letter_days=int(found[keys[1]]),
        response_sources=frozenset(str(c) for c in found[keys[2]]),
        open_decision_states=tuple(str(s) for s in found[keys[3]]),
        exit_letter=str(found[keys[4]]["exit"]),
    )


def finalisation_ongoing_intrays() -> frozenset[str]:
    return frozenset(str(c) for c in parameter("ps-finalisation-ongoing-intrays"))


def exit_letter_days() -> int:
    return int(parameter("ps-finalisation-exit-letter-days"))


def response_sources() -> frozenset[str]:
    return frozenset(str(c) for c in parameter("ps-finalisation-response-sources"))


def open_decision_states() -> list[str]:
    return [str(s) for s in parameter("ps-finalisation-open-decision-states")]


def finalisation_reasons() -> dict[str, Option]:
    return _options("ps-finalisation-reasons")


def finalisation_confirmations() -> dict[str, Option]:
    return _options("ps-finalisation-confirmations")


def exit_issue_kind() -> str:
    return str(parameter("ps-finalisation-exit-issue-kind"))


def specialist_transfer_areas() -> dict[str, str]:
    """Business area code -> the referral issue kind of its process (PS-16)."""
    return {str(a["area"]): str(a["issue_kind"]) for a in parameter("ps-specialist-transfer-areas")}


def escalating_decision_kinds() -> list[str]:
    return [str(k) for k in parameter("ps-escalating-decision-kinds")]
