"""The decision rules held as policy data (policy/data/decisions.yaml), read typed."""

from dataclasses import dataclass

from cma.policy.services import parameter

from .errors import UnknownCode


@dataclass(frozen=True)
class Option:
    code: str
    name: str


def kinds() -> dict[str, Option]:
    return {k["code"]: Option(**k) for k in parameter("decision-kinds")}


def kind(code: str) -> Option:
    found = kinds().get(code)
    if found is None:
        raise UnknownCode(f"unknown decision kind {code!r}", field="kind")
    return found


def review_options() -> dict[str, Option]:
    return {o["code"]: Option(**o) for o in parameter("review-options")}


def advice_letter() -> str:
    return str(parameter("decision-advice-letter"))


def contact_purpose() -> str:
    return str(parameter("decision-contact-purpose"))


def contact_letter() -> str:
    return str(parameter("decision-contact-letter"))
