"""Call-screen sections contributed by the apps above `contact` (decisions, collection,
Personalised Services). Each app registers its section in its AppConfig.ready(); the
call screen calls every registered builder explicitly (no signals) and includes the
section's template in its working area, inside `<div id="section-<name>">`: a form in
it targets `#section-<name>` with `hx-swap="innerHTML"`, and its view answers with the
template alone (`build_one`).

A builder takes the officer and the live interaction and returns the template's
context, or None when the section has nothing to show on this call. It must not write
or audit: the call screen has already read the call through the door. Unless the
section says otherwise it is shown only once the caller's identity is confirmed
(CON-9), so a builder of a `confirmed_only` section may name the customer's facts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cma.staff.models import User

from .models import Interaction

Builder = Callable[[User, Interaction], dict[str, Any] | None]


@dataclass(frozen=True)
class CallSection:
    name: str  # the htmx target is "#section-<name>"
    template: str  # included with `section` (this) and `data` (the builder's context)
    build: Builder
    confirmed_only: bool = True
    order: int = 50  # lower first; the built-in slots sit around them


@dataclass(frozen=True)
class BuiltSection:
    section: CallSection
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def template(self) -> str:
        return self.section.template


CALL_SECTIONS: list[CallSection] = []


def register_call_section(section: CallSection) -> CallSection:
    """Add (or replace, by name) a section of the call screen."""
    CALL_SECTIONS[:] = [s for s in CALL_SECTIONS if s.name != section.name]
    CALL_SECTIONS.append(section)
    CALL_SECTIONS.sort(key=lambda s: (s.order, s.name))
    return section


def section_named(name: str) -> CallSection:
    for section in CALL_SECTIONS:
        if section.name == name:
            return section
    raise KeyError(name)


def built_sections(actor: User, interaction: Interaction) -> list[BuiltSection]:
    """Every registered section this call shows now, in order."""
    built = []
    for section in CALL_SECTIONS:
        if section.confirmed_only and not interaction.confirmed:
            continue
        data = section.build(actor, interaction)
        if data is not None:
            built.append(BuiltSection(section, data))
    return built


def build_one(name: str, actor: User, interaction: Interaction) -> BuiltSection | None:
    """One section, for the htmx answer that swaps `#section-<name>` alone."""
    section = section_named(name)
    if section.confirmed_only and not interaction.confirmed:
        return None
    data = section.build(actor, interaction)
    return None if data is None else BuiltSection(section, data)
