"""Refusals of the notes app. Messages and details never carry personal information:
a privacy refusal names each offending span by position and kind, not by its text."""

from cma.errors import Conflict, PermissionDenied, ValidationFailed

# The guard's refusals (DOC-3, DOC-6) live in cma.privacy; named here too because
# every notes write can raise them.
from cma.privacy.errors import PersonalInformationFound, ProtectedDetailsFound  # noqa: F401


class MacroInvalid(ValidationFailed):
    code = "macro-invalid"


class MacroNotAllowed(PermissionDenied):
    code = "macro-not-allowed"


class CorrectionInvalid(ValidationFailed):
    code = "correction-invalid"


class StackingInvalid(ValidationFailed):
    code = "stacking-invalid"


class StackingExists(Conflict):
    code = "stacking-document-exists"


class ReviewDateInvalid(ValidationFailed):
    code = "review-date-invalid"


class IndicatorNotActive(Conflict):
    code = "indicator-not-active"


class AlreadyAtRisk(Conflict):
    code = "already-at-risk"


class NotAtRisk(Conflict):
    code = "not-at-risk"


class RestrictionExists(Conflict):
    code = "restriction-exists"


class RestrictionNotActive(Conflict):
    code = "restriction-not-active"


class ReviewPending(Conflict):
    code = "restriction-review-pending"


class ReviewAlreadyDecided(Conflict):
    code = "restriction-review-decided"


class WrongApprover(PermissionDenied):
    code = "wrong-approver"


class ContactRefused(Conflict):
    """DOC-7: the restricted service arrangement does not allow this channel."""

    code = "contact-restricted"


class InternalOnly(PermissionDenied):
    """DOC-5: customer-facing integrations never see internal customer-management data."""

    code = "internal-only"
