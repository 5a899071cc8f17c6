"""Context for this app's panel on the customer page: every issue the customer raised in
their interactions, with its status and where it went (CMA-4: all visible together).
The page fetched the customer through the audited door, so nothing here audits; one
query, however many issues (the newest `ISSUES_SHOWN`)."""

from typing import Any

from django.http import HttpRequest

from cma.customers.models import Customer

from .selectors import ISSUES_SHOWN, issues_of


def customer_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    return {"collection_issues": issues_of(customer), "collection_issues_limit": ISSUES_SHOWN}
