"""The database session store, stamping each save with its time: the idle timer
(`IdleTimerMiddleware`) knows when the session's expiry was last moved on (SES-1).
Sign-in stamps the session's start, which bounds its absolute lifetime (SES-1,
`AbsoluteLifetimeMiddleware`). Rows carry the signed-in user's id, so deactivation,
a password change or an administrator can end that user's sessions (SES-2)."""

import time
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db

SAVED_AT = "_cma_saved_at"
SIGNED_IN_AT = "_cma_signed_in_at"


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from .models import StaffSession

        return StaffSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        obj.user_id = int(user_id) if user_id is not None else None
        return obj

    def save(self, must_create: bool = False) -> None:
        self._get_session(no_load=must_create)[SAVED_AT] = int(time.time())
        super().save(must_create=must_create)


def stamp_sign_in(session: Any) -> None:
    """Called at every sign-in (the login signal): the absolute lifetime starts now."""
    session[SIGNED_IN_AT] = int(time.time())


def end_user_sessions(user_id: int, *, keep: str | None = None) -> int:
    """Delete the user's session rows (all but `keep`); returns how many ended."""
    from .models import StaffSession

    rows = StaffSession.objects.filter(user_id=user_id)
    if keep:
        rows = rows.exclude(session_key=keep)
    deleted, _ = rows.delete()
    return deleted
