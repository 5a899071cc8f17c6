"""Conditions of ending a call contributed by the apps above `contact`, called
explicitly by `services.end_interaction` (no signals), e.g. collection's "Minimum
Collection Activity recorded for each case, or a recorded reason why not" (CMA-1).

An end check has two parts:
- `check(interaction, end_reason, override_reason) -> list[(field, message)]`: every
  problem it finds, or an empty list; it must not write, and its messages must not name
  personal information (they are shown to the officer and audited as codes only);
- `on_end(interaction, actor, end_reason, override_reason) -> dict`: called once every
  check has passed, inside the ending's transaction, so what it writes commits or rolls
  back with the end itself; what it returns is added to the end's audit row under the
  check's name (ids and codes only).

`override_reason` is the officer's recorded reason for ending without a step a check
asks for; contact carries it (checked for personal information with the outcome) and
stores nothing of it itself: the check that asked for it keeps it.

Register in your AppConfig.ready():

    from cma.contact.end_checks import EndCheck, register_end_check
    register_end_check(EndCheck("collection", check=mca_check, on_end=mca_on_end))
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cma.staff.models import User

from .models import Interaction

Problem = tuple[str | None, str]
Check = Callable[[Interaction, str, str], list[Problem]]
OnEnd = Callable[[Interaction, User, str, str], dict[str, Any]]


@dataclass(frozen=True)
class EndCheck:
    name: str
    check: Check
    on_end: OnEnd | None = None


END_CHECKS: list[EndCheck] = []


def register_end_check(end_check: EndCheck) -> EndCheck:
    """Add (or replace, by name) a condition of ending a call."""
    END_CHECKS[:] = [c for c in END_CHECKS if c.name != end_check.name]
    END_CHECKS.append(end_check)
    return end_check


def unregister(name: str) -> None:
    """For tests that register a check of their own."""
    END_CHECKS[:] = [c for c in END_CHECKS if c.name != name]


def problems(interaction: Interaction, end_reason: str, override_reason: str) -> list[Problem]:
    found: list[Problem] = []
    for end_check in END_CHECKS:
        found += end_check.check(interaction, end_reason, override_reason)
    return found


def run_on_end(
    interaction: Interaction, actor: User, end_reason: str, override_reason: str
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for end_check in END_CHECKS:
        if end_check.on_end is not None:
            result = end_check.on_end(interaction, actor, end_reason, override_reason)
            if result:
                changes[end_check.name] = result
    return changes
