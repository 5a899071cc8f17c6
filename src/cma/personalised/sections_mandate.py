"""The call screen's PS mandate section (PS-12): first, and before the caller's
identity is confirmed, the officer is told who the customer's PS case manager is and
how to reach them. It says only what the restricted notice would (who manages the
customer), nothing of the customer's record."""

from typing import Any

from cma.contact.models import Interaction
from cma.contact.sections import CallSection, register_call_section
from cma.staff.models import User

from . import mandate


def build(actor: User, interaction: Interaction) -> dict[str, Any] | None:
    manager = mandate.who_manages(interaction.customer)
    if manager is None:
        return None
    return {"manager": manager, "yours": manager.is_case_manager(actor)}


SECTION = CallSection(
    name="ps-mandate",
    template="personalised/_mandate_call.html",
    build=build,
    confirmed_only=False,
    order=1,
)


def register() -> None:
    register_call_section(SECTION)
