"""The customer page's PS mandate notice (PS-12): who manages this PS customer and how
to reach them, shown before anything else. The page already audited the read."""

from typing import Any

from . import mandate


def customer_context(request: Any, customer: Any) -> dict[str, Any]:
    manager = mandate.who_manages(customer)
    if manager is None:
        return {}
    return {
        "ps_mandate": manager,
        "ps_mandate_yours": manager.is_case_manager(request.user),
    }
