"""Context for this app's panels on the customer page."""

from . import selectors
from .contact import contact_details
from .restricted import active_restriction


def customer_context(request, customer) -> dict:
    """How to contact the customer (for everyone who may see them), then stacking
    documents and the sensitive-customer summary (the notes are on the page's
    timeline). The page has already fetched the customer through `get_customer_for`
    (and audited it)."""
    # Allowed channels first, the others marked "not to be used" (DOC-7).
    context: dict[str, object] = {
        "contact_details": contact_details(customer, active_restriction(customer))
    }
    if not request.user.has_perm("notes.view_notes", customer):
        return context
    context["notes_panel"] = {
        "documents": selectors.stacking_documents(customer),
        "safety": selectors.safety_of(customer),
    }
    return context
