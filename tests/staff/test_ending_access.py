"""SES-2: deactivation, a password change and an administrator end a user's server-side
sessions and API tokens; each is audited once; replaying an old cookie or token fails."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from cma.audit.models import AuditRecord
from cma.staff.models import ApiToken
from cma.staff.services import change_password, issue_api_token, set_active
from cma.web.models import StaffSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/letters/templates"


def _clients(user, n=3) -> list[Client]:
    clients = []
    for _ in range(n):
        c = Client()
        c.force_login(user)
        clients.append(c)
    return clients


def _live(user) -> int:
    return StaffSession.objects.filter(user_id=user.pk).count()


def _audited(action, user) -> int:
    return AuditRecord.objects.filter(action=action, object_id=str(user.pk)).count()


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="root", role="administrator", team=None, is_staff=True, is_superuser=True
    )


def test_SES_2_deactivation_deletes_every_session_so_none_come_back(officer):
    clients = _clients(officer)
    token, raw = issue_api_token(user=officer, name="feed")
    assert _live(officer) == 3
    set_active(user=officer, active=False, actor=None)
    assert _live(officer) == 0
    assert _audited("staff.user.deactivated", officer) == 1
    set_active(user=officer, active=True, actor=None)
    for c in clients:  # the old cookies, replayed after reactivation
        assert c.get("/").status_code == 302
        assert c.get(API).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_SES_2_a_password_change_revokes_tokens_and_ends_other_sessions(officer):
    mine, other = _clients(officer, 2)
    _, raw = issue_api_token(user=officer, name="feed")
    assert Client().get(API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    keep = mine.cookies[settings.SESSION_COOKIE_NAME].value
    change_password(
        user=officer, password="a-new-long-passphrase", actor=officer, keep_session=keep
    )
    assert list(
        StaffSession.objects.filter(user_id=officer.pk).values_list("session_key", flat=True)
    ) == [keep]
    assert other.get("/").status_code == 302
    assert Client().get(API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert not ApiToken.objects.filter(user=officer, revoked_at=None).exists()
    assert _audited("staff.user.password_changed", officer) == 1


def test_SES_2_cma_staff_end_sessions_and_deactivate(officer, capsys):
    _clients(officer, 2)
    call_command("staff", "end-sessions", "olivia")
    assert "ended 2 session(s) of olivia" in capsys.readouterr().out
    assert _live(officer) == 0
    assert _audited("staff.sessions.ended", officer) == 1
    _clients(officer, 1)
    call_command("staff", "deactivate", "olivia")
    officer.refresh_from_db()
    assert not officer.is_active and _live(officer) == 0
    assert _audited("staff.user.deactivated", officer) == 1
    call_command("staff", "reactivate", "olivia")
    officer.refresh_from_db()
    assert officer.is_active and _live(officer) == 0


def test_SES_2_admin_deactivation_and_end_sessions_action(officer, superuser):
    admin = Client()
    admin.force_login(superuser)
    _clients(officer, 2)
    response = admin.post(
        "/admin/staff/user/",
        {"action": "end_user_sessions", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302
    assert _live(officer) == 0 and _audited("staff.sessions.ended", officer) == 1
    _clients(officer, 2)
    change = admin.get(f"/admin/staff/user/{officer.pk}/change/")
    form = change.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "is_active": "",
            "groups": [],
            "user_permissions": [],
            "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "team": officer.team_id,
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = admin.post(f"/admin/staff/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert not officer.is_active and _live(officer) == 0
    assert _audited("staff.user.deactivated", officer) == 1


def test_SES_2_admin_password_change_revokes_tokens_and_sessions(officer, superuser):
    admin = Client()
    admin.force_login(superuser)
    _clients(officer, 2)
    issue_api_token(user=officer, name="feed")
    response = admin.post(
        f"/admin/staff/user/{officer.pk}/password/",
        {
            "password1": "a-new-long-passphrase-7",
            "password2": "a-new-long-passphrase-7",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert _live(officer) == 0
    assert not ApiToken.objects.filter(user=officer, revoked_at=None).exists()
    assert _audited("staff.user.password_changed", officer) == 1
    assert admin.get("/admin/").status_code == 200  # the administrator stays signed in
