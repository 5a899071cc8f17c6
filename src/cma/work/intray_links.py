"""Links an intray's page offers to the work the intray stands for, contributed by the
app that owns that work (the PS referral's actioning checklist, ...) and called by the
page explicitly: work knows nothing of those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Intray


@dataclass(frozen=True)
class IntrayLink:
    label: str
    url: str


Finder = Callable[[Intray], IntrayLink | None]
_FINDERS: list[Finder] = []


def register_intray_link(finder: Finder) -> None:
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def links_for(intray: Intray) -> list[IntrayLink]:
    return [link for finder in _FINDERS if (link := finder(intray)) is not None]
