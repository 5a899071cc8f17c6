"""Context for this app's parts of the customer page. The page has already fetched the
customer through the audited door, so nothing here writes an audit row.

- The PS mandate notice (PS-12): who manages this PS customer and how to reach them,
  shown before anything else.
- The PS panel: the customer's latest referral to Personalised Services and their open
  plan, with links, and the way to refer them (two queries)."""

from typing import Any

from django.http import HttpRequest

from cma.customers.models import Customer

from . import mandate
from .selectors_core_pages import customer_ps


def mandate_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    manager = mandate.who_manages(customer)
    if manager is None:
        return {}
    return {
        "ps_mandate": manager,
        "ps_mandate_yours": manager.is_case_manager(request.user),
    }


def customer_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    actor = request.user
    state = customer_ps(customer)
    live = state.referral is not None and state.referral.state in ("received", "actioning")
    return {
        **mandate_context(request, customer),
        "ps_visible": True,
        "ps_referral": state.referral,
        "ps_referral_on_time": state.on_time,
        "ps_plan": state.plan,
        "ps_plan_overdue": state.overdue,
        "ps_may_refer": actor.has_perm("personalised.refer") and not live,
        "ps_staff": actor.has_perm("personalised.view"),
    }
