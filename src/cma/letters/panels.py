"""Context for this app's panel on the customer page."""

from django.http import HttpRequest

from cma.customers.models import Customer
from cma.errors import DomainError

from .selectors import letters_for_customer


def customer_context(request: HttpRequest, customer: Customer) -> dict:
    """The customer page has already fetched `customer` through the audited door."""
    try:
        letters = letters_for_customer(request.user, customer)
    except DomainError:
        letters = []
    return {
        "letters": letters,
        "letters_can_write": request.user.has_perm("letters.issue_letter"),
    }
