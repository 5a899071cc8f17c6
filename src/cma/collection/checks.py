"""CMA-1 at the end of a call: ending an interaction without Minimum Collection Activity
for each case the customer pays or receives on needs a recorded reason. Registered with
contact's end checks (`cma.contact.end_checks`), which `end_interaction` calls.

The check applies when MCA could and should have been done: the officer's business area
is not an enabling area, the caller's identity was confirmed for this interaction (CON-9:
nothing about a case is discussed before) and the customer has cases. A call ended for
any reason but "completed" (disconnected, hold timeout, aggressive behaviour, against the
customer's wishes) has its way of ending recorded as the reason."""

from typing import Any

from cma.contact.end_checks import EndCheck, register_end_check
from cma.contact.models import EndReason, Interaction
from cma.staff.models import User

from .models import McaNotDone, McaRecord
from .services._common import cases_of
from .services.mca import mca_applies


def missing_cases(interaction: Interaction) -> list[Any]:
    """The customer's cases with no MCA record on this interaction (none when MCA does
    not apply to it)."""
    if not (interaction.confirmed and mca_applies(interaction)):
        return []
    done = set(McaRecord.objects.filter(interaction=interaction).values_list("case_id", flat=True))
    return [case for case in cases_of(interaction.customer) if case.pk not in done]


def mca_check(interaction: Interaction, end_reason: str, override_reason: str) -> list:
    if end_reason != EndReason.COMPLETED or override_reason:
        return []
    missing = missing_cases(interaction)
    if not missing:
        return []
    numbers = ", ".join(case.case_number for case in missing)
    return [
        (
            "override_reason",
            "CMA-1: record Minimum Collection Activity (payment, care and income) for "
            f"case {numbers}, or say why it was not done",
        )
    ]


def mca_on_end(
    interaction: Interaction, actor: User, end_reason: str, override_reason: str
) -> dict[str, Any]:
    missing = missing_cases(interaction)
    if not missing:
        return {}
    McaNotDone.objects.create(
        interaction=interaction,
        officer=actor,
        end_reason=end_reason,
        reason=override_reason,
        missing_cases=[case.pk for case in missing],
    )
    return {"mca_not_done": [case.pk for case in missing]}


def register() -> None:
    register_end_check(EndCheck("collection", check=mca_check, on_end=mca_on_end))
