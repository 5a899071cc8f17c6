"""Context for this app's panels on the customer page."""

from . import selectors


def customer_context(request, customer) -> dict:
    """Recent notes, stacking documents and the sensitive-customer summary. The page
    has already fetched the customer through `get_customer_for` (and audited it)."""
    if not request.user.has_perm("notes.view_notes", customer):
        return {}
    return {
        "notes_panel": {
            "recent": selectors.search_notes(customer, limit=5),
            "documents": selectors.stacking_documents(customer),
            "safety": selectors.safety_of(customer),
        }
    }
