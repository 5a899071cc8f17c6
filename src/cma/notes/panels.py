"""Context for this app's panel on the customer page."""


def customer_context(request, customer) -> dict:
    return {}
