"""Context for this app's panel on the customer page: what to know before any contact
(CON-13, CON-14), starting a call or recording a contact, and recent contacts with
their receipt numbers (CON-16). The page has already fetched the customer through
the audited door, so nothing here writes an audit row. Recent contacts are on the
page's timeline ("Interactions")."""

from typing import Any

from django.http import HttpRequest

from cma.customers.models import Customer

from . import selectors, selectors_pages
from .call_slots import dial_plan_context
from .display import needs_rows
from .forms import StartCallForm, default_channel
from .needs import contact_needs


def start_form(customer: Customer, data: Any = None, needs: dict[str, Any] | None = None):
    needs = needs if needs is not None else contact_needs(customer)
    return StartCallForm(
        data,
        representatives=selectors_pages.current_representatives(customer),
        alternative_contacts=selectors_pages.current_alternative_contacts(customer),
        initial={"who": "customer", "channel": default_channel(needs)},
    )


def needs_rows_of(customer: Customer) -> list[dict[str, Any]]:
    return needs_rows(contact_needs(customer))


def customer_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    actor = request.user
    needs = contact_needs(customer)
    context: dict[str, Any] = {"contact_needs": needs_rows(needs)}
    if not actor.has_perm("contact.open_interaction"):
        return context
    live = selectors.open_interaction_of(actor)
    context.update(
        {
            "contact_visible": True,
            "contact_live": live,
            # One open interaction per officer's line: a live call is ended first.
            "contact_form": None if live else start_form(customer, needs=needs),
            # The numbers as dialled from Australia (CON-13): dial_plan, dial_rows, ...
            **dial_plan_context(customer),
        }
    )
    return context
