"""The database session store, stamping each save with its time: the idle timer
(`IdleTimerMiddleware`) knows when the session's expiry was last moved on (SES-1)."""

import time

from django.contrib.sessions.backends import db

SAVED_AT = "_cma_saved_at"


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        self._get_session(no_load=must_create)[SAVED_AT] = int(time.time())
        super().save(must_create=must_create)
