"""Broken rules of work management, each with a stable code."""

from cma.errors import Conflict, NotFound, PermissionDenied, Unmet, ValidationFailed


class CustomerAlreadyLocked(Conflict):
    code = "customer-already-locked"


class CustomerNotLocked(Conflict):
    code = "customer-not-locked"


class NotLockHolder(PermissionDenied):
    code = "not-lock-holder"


class IntrayTypeRestricted(PermissionDenied):
    code = "intray-type-restricted"


class NotIntrayOwner(PermissionDenied):
    code = "not-intray-owner"


class IntrayRefused(Unmet):
    """An intray's conditions are not met; `details` lists every one (field, message)."""

    code = "intray-conditions-unmet"


class IntrayNotLive(Conflict):
    code = "intray-not-live"


class InvalidOwner(ValidationFailed):
    code = "invalid-owner"


class InactiveOfficer(ValidationFailed):
    code = "inactive-officer"


class ReasonRequired(ValidationFailed):
    code = "reason-required"


class IntrayNotFound(NotFound):
    code = "intray-not-found"


class UnknownIssueKind(ValidationFailed):
    code = "unknown-issue-kind"
