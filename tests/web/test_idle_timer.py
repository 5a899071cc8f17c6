"""SES-1: the session idles out 30 minutes after the last activity, and the idle timer
is moved on at most once a minute (a read does not also write its session)."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from cma.web.models import StaffSession as Session

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
IDLE = timedelta(seconds=settings.SESSION_COOKIE_AGE)


def _signed_in(client, officer):
    with freeze_time(T0):
        client.force_login(officer)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _expiry(key):
    return Session.objects.get(session_key=key).expire_date


def test_SES_1_a_read_within_the_minute_does_not_write_the_session(client, officer):
    key = _signed_in(client, officer)
    with freeze_time(T0 + timedelta(seconds=59)):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
    assert not [q for q in ctx.captured_queries if "UPDATE" in q["sql"] and "session" in q["sql"]]
    assert _expiry(key) == T0 + IDLE


def test_SES_1_activity_after_the_minute_moves_the_idle_timer_on(client, officer):
    key = _signed_in(client, officer)
    later = T0 + timedelta(seconds=61)
    with freeze_time(later):
        assert client.get("/").status_code == 200
    assert _expiry(key) == later + IDLE
    with freeze_time(later + timedelta(seconds=30)):  # once a minute at most
        client.get("/")
    assert _expiry(key) == later + IDLE


def test_SES_1_the_session_idles_out_after_30_minutes_without_activity(client, officer):
    _signed_in(client, officer)
    with freeze_time(T0 + timedelta(minutes=10)):
        assert client.get("/").status_code == 200
    with freeze_time(T0 + timedelta(minutes=39)):  # 29 idle minutes: still signed in
        assert client.get("/").status_code == 200
    with freeze_time(T0 + timedelta(minutes=39 + 31)):
        response = client.get("/")
    assert response.status_code == 302 and settings.LOGIN_URL.split(":")[-1] in response.url
