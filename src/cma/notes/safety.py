"""Separating Safely (DOC-6) as recorded by this app: the `SafetyMarker`.

Finding, refusing and masking an at-risk customer's protected details is generic and
lives below every app that stores text (`cma.privacy.separating`); it learns who is at
risk from the source registered here (`NotesConfig.ready`).
"""

from cma.customers.models import Customer
from cma.privacy.separating import register_at_risk_source

from .models import SafetyMarker


def active_markers():
    return SafetyMarker.objects.filter(ended_at=None)


def register() -> None:
    register_at_risk_source(active_markers)


def active_marker(customer: Customer) -> SafetyMarker | None:
    return active_markers().filter(customer_id=customer.pk).first()
