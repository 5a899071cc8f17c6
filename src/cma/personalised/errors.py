"""The personalised app's refusals."""

from cma.errors import Conflict, NotFound, PermissionDenied, Unmet, ValidationFailed


class NoSuchPsRecord(NotFound):
    code = "ps-not-found"


class PsPermissionDenied(PermissionDenied):
    code = "ps-not-allowed"


class PsRefused(Unmet):
    """A step whose preconditions are not all met; `details` lists every one."""

    code = "ps-conditions-unmet"


class PsConflict(Conflict):
    code = "ps-conflict"


class PsInvalid(ValidationFailed):
    code = "ps-invalid"


class UnknownPsCode(ValidationFailed):
    code = "ps-unknown-code"


class PsActivityForbidden(PermissionDenied):
    code = "ps-activity-forbidden"
