"""The decisions app's refusals."""

from cma.errors import Conflict, NotFound, PermissionDenied, Unmet, ValidationFailed


class NoSuchDecision(NotFound):
    code = "no-such-decision"


class NotYourDecision(PermissionDenied):
    code = "not-your-decision"


class DecisionRefused(Unmet):
    """A transition whose preconditions are not all met; `details` lists every one."""

    code = "decision-conditions-unmet"


class DecisionClosed(Conflict):
    code = "decision-closed"


class UnknownCode(ValidationFailed):
    code = "unknown-code"
