"""Restricted service (DOC-7): the contact check other apps call before contacting a
customer, and the arrangement services (defined in services/restricted.py)."""

from .services.restricted import (
    active_restriction,
    check_contact_allowed,
    create_restricted_service,
    decide_restriction_review,
    propose_restriction_review,
)

__all__ = [
    "active_restriction",
    "check_contact_allowed",
    "create_restricted_service",
    "decide_restriction_review",
    "propose_restriction_review",
]
