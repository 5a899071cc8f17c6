"""SES-1: a session ends 12 hours after sign-in however active it is; the idle timer
(tests/web/test_idle_timer.py) never moves that limit. Time is moved by editing the
stored sign-in stamp, not by sleeping."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.web.models import StaffSession
from cma.web.sessions import SIGNED_IN_AT, SessionStore

pytestmark = pytest.mark.django_db
LIMIT = settings.CMA_SESSION_ABSOLUTE_SECONDS


def _signed_in(client, user) -> str:
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _started_ago(key: str, seconds: int) -> None:
    store = SessionStore(session_key=key)
    store[SIGNED_IN_AT] = int(time.time()) - seconds
    store.save()


def _expired_rows(user):
    return AuditRecord.objects.filter(action="staff.session.expired", object_id=str(user.pk))


def test_SES_1_sign_in_stamps_the_start_of_the_session(client, officer):
    before = int(time.time())
    key = _signed_in(client, officer)
    assert before <= SessionStore(session_key=key)[SIGNED_IN_AT] <= int(time.time())


def test_SES_1_a_page_after_the_absolute_lifetime_signs_out_and_audits_once(client, officer):
    key = _signed_in(client, officer)
    _started_ago(key, LIMIT - 60)
    assert client.get("/").status_code == 200  # within 12 hours: still signed in
    _started_ago(key, LIMIT + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert "/login/" in response.url
    assert not StaffSession.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302
    assert _expired_rows(officer).count() == 1
    assert not AuditRecord.objects.filter(action="staff.session.signed_out").exists()


def test_SES_1_the_api_answers_401_after_the_absolute_lifetime(client, officer):
    key = _signed_in(client, officer)
    assert client.get("/api/v1/letters/templates").status_code == 200
    _started_ago(key, LIMIT + 1)
    response = client.get("/api/v1/letters/templates")
    assert response.status_code == 401
    assert response.json()["code"] == "not-authenticated"
    assert client.get("/api/v1/letters/templates").status_code == 401
    assert _expired_rows(officer).count() == 1


def test_SES_1_activity_and_polling_do_not_move_the_absolute_limit(client, officer):
    key = _signed_in(client, officer)
    started = SessionStore(session_key=key)[SIGNED_IN_AT]
    for _ in range(3):
        client.get("/")
        assert client.get(reverse("contact:live"), {"showing": "0"}).status_code == 204
    assert SessionStore(session_key=key)[SIGNED_IN_AT] == started


def test_SES_1_a_session_without_a_sign_in_stamp_is_ended(client, officer):
    key = _signed_in(client, officer)
    store = SessionStore(session_key=key)
    del store[SIGNED_IN_AT]
    store.save()
    assert client.get("/").status_code == 302
    assert _expired_rows(officer).count() == 1
