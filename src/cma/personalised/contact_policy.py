"""The contact, letters and face-to-face rules of Personalised Services held as policy
data (policy/data/personalised.yaml), read typed (PS-7..PS-11). Nothing here repeats a
value of the file."""

from dataclasses import dataclass
from typing import Any

from cma.policy.services import parameter

from .errors import UnknownPsCode


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    mandatory: bool = False


def _items(key: str) -> list[Item]:
    return [
        Item(code=str(i["code"]), name=str(i["name"]), mandatory=bool(i.get("mandatory", False)))
        for i in parameter(key)
    ]


def first_contact_items() -> list[Item]:
    """The discussion points of the first contact, in order (PS-7)."""
    return _items("ps-first-contact-items")


def contact_channels() -> list[str]:
    return [str(c) for c in parameter("ps-first-contact-channels")]


def products_services() -> list[Item]:
    return _items("ps-products-services")


def follow_up_intray_types() -> list[str]:
    return [str(c) for c in parameter("ps-follow-up-intray-types")]


def referral_intray_reason() -> str:
    return str(parameter("ps-after-contact-referral-intray-reason"))


def after_contact_indicator_kinds() -> list[str]:
    return [str(c) for c in parameter("ps-after-contact-indicator-kinds")]


def option_kinds() -> list[Item]:
    return _items("ps-option-kinds")


@dataclass(frozen=True)
class Location:
    code: str
    name: str
    default: bool
    needs_approval: bool
    via_customer_review: bool


def face_to_face_locations() -> list[Location]:
    return [
        Location(
            code=str(i["code"]),
            name=str(i["name"]),
            default=bool(i.get("default", False)),
            needs_approval=bool(i.get("needs_approval", False)),
            via_customer_review=bool(i.get("via_customer_review", False)),
        )
        for i in parameter("ps-face-to-face-locations")
    ]


def location(code: str) -> Location:
    for found in face_to_face_locations():
        if found.code == code:
            return found
    raise UnknownPsCode(f"unknown meeting location kind {code!r}", field="location_kind")


def default_location() -> str:
    for found in face_to_face_locations():
        if found.default:
            return found.code
    return face_to_face_locations()[0].code


def letters() -> dict[str, Any]:
    """{"introduction": "UQ140.00", "first-call": ..., "exit": ..., "skippable": ...,
    "skippable_segments": [1, 2]} (PS-9)."""
    return dict(parameter("ps-letters"))


PS_LETTER_PURPOSES = ("introduction", "first-call", "exit")


def letter_code(purpose: str) -> str:
    if purpose not in PS_LETTER_PURPOSES:
        raise UnknownPsCode(
            f"unknown PS letter {purpose!r}; choose from {', '.join(PS_LETTER_PURPOSES)}",
            field="letter",
        )
    return str(letters()[purpose])


def skippable_segments() -> frozenset[int]:
    return frozenset(int(s) for s in letters().get("skippable_segments", []))


def names(items: list[Item]) -> dict[str, str]:
    return {i.code: i.name for i in items}
