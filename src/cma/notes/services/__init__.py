"""Every write of the notes app. Import from here: `from cma.notes.services import ...`."""

from .notes import add_note
from .restricted import (
    check_contact_allowed,
    create_restricted_service,
    decide_restriction_review,
    propose_restriction_review,
)
from .sensitive import (
    add_sensitive_indicator,
    end_at_risk,
    mark_at_risk,
    review_sensitive_indicator,
)
from .stacking import add_notepad, add_pointer, create_stacking_document

__all__ = [
    "add_note",
    "add_notepad",
    "add_pointer",
    "add_sensitive_indicator",
    "check_contact_allowed",
    "create_restricted_service",
    "create_stacking_document",
    "decide_restriction_review",
    "end_at_risk",
    "mark_at_risk",
    "propose_restriction_review",
    "review_sensitive_indicator",
]
