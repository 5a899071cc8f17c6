"""The session table, with the signed-in user's id in a column so that one user's
sessions can be ended without decoding every session (SES-2)."""

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class StaffSession(AbstractBaseSession):
    user_id = models.IntegerField(null=True, db_index=True)

    class Meta:
        db_table = "web_staff_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
