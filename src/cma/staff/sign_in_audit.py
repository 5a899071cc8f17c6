"""One audit row per sign-in, failed sign-in and sign-out (LOG-1, AUD-1).

Connected to Django's authentication signals: they are the one place every sign-in
path (the staff login page, the admin login) passes. A failed attempt names the
account only when the username exists; the typed text is never stored (it may be a
password typed into the wrong box)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from cma.audit.models import Outcome
from cma.audit.services import record


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from cma.web.sessions import stamp_sign_in

    # The absolute session lifetime starts at sign-in (SES-1): every sign-in path
    # passes this signal, so the start is stamped here with the audit row.
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request.session)
    record(actor=user, action="staff.session.signed_in", obj=user)


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action="staff.session.signed_out", obj=user)


def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from .models import User

    username = str(credentials.get("username", ""))[:150]
    known = User.objects.filter(username=username).only("pk").first() if username else None
    record(
        actor=None,
        action="staff.session.sign_in_failed",
        outcome=Outcome.REFUSED,
        object_type="staff.user" if known else "",
        object_id=str(known.pk) if known else "",
        reason="bad-credentials",
    )


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="cma-audit-signed-in")
    user_logged_out.connect(_signed_out, dispatch_uid="cma-audit-signed-out")
    user_login_failed.connect(_failed, dispatch_uid="cma-audit-sign-in-failed")
