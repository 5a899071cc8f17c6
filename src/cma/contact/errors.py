"""The contact app's broken rules, each with a stable code."""

from cma.errors import Conflict, NotFound, PermissionDenied, Unmet, ValidationFailed


class IdentityNotConfirmed(Conflict):
    """CON-9: nothing about the case before the caller's identity is confirmed."""

    code = "identity-not-confirmed"


class InteractionRefused(Unmet):
    code = "interaction-refused"


class InteractionEnded(Conflict):
    code = "interaction-ended"


class LineBusy(Conflict):
    code = "line-busy"


class NotYourInteraction(PermissionDenied):
    code = "not-your-interaction"


class NoSuchInteraction(NotFound):
    code = "no-such-interaction"


class InvalidPhoneNumber(ValidationFailed):
    code = "invalid-phone-number"


class MessageRefused(Unmet):
    code = "message-refused"


class TransferRefused(Unmet):
    code = "transfer-refused"


class EndRefused(Unmet):
    code = "end-refused"


class PlanRefused(Unmet):
    code = "plan-refused"


class TelephonyRejected(PermissionDenied):
    """A platform event that is unsigned, badly signed or stale: not authenticated."""

    code = "telephony-rejected"
    http_status = 401


class TelephonyReplayed(TelephonyRejected):
    """A signed event whose id was already accepted: refused, nothing written."""

    http_status = 403


class SmsRefused(Unmet):
    code = "sms-refused"


class OnHoldAlready(Conflict):
    code = "on-hold-already"


class NoSuchNotification(NotFound):
    code = "no-such-notification"


class NotificationAcknowledged(Conflict):
    code = "notification-acknowledged"


class NoSuchSms(NotFound):
    code = "no-such-sms"


class PlanClosed(Conflict):
    code = "plan-closed"


class PlanExists(Conflict):
    code = "plan-exists"


class NoSuchPlan(NotFound):
    code = "no-such-plan"
