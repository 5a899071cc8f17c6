"""Context for this app's panel on the customer page: the way to write a letter. The
letters themselves (with their downloads and reply dates) are on the page's timeline."""

from django.http import HttpRequest

from cma.customers.models import Customer


def customer_context(request: HttpRequest, customer: Customer) -> dict:
    """The customer page has already fetched `customer` through the audited door."""
    return {"letters_can_write": request.user.has_perm("letters.issue_letter")}
