"""`cma staff`: create-user with a validated password; issue and revoke API tokens."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cma.audit.models import AuditRecord
from cma.staff.models import ApiToken, Role, User
from cma.staff.services import issue_api_token
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery staple"


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- create-user --------------------------------------------------------------------


def test_create_user_with_password_from_the_environment(monkeypatch, team):
    monkeypatch.setenv("CMA_NEW_PASSWORD", GOOD)
    out, _ = _run("create-user", "wendy", "--role", "team_leader", "--team", team.name)
    assert "created wendy: Team Leader in Mainstream Parramatta (NSW)" in out
    user = User.objects.get(username="wendy")
    assert (user.role, user.team, user.is_staff) == (Role.TEAM_LEADER, team, False)
    assert user.check_password(GOOD)
    assert list(user.groups.values_list("name", flat=True)) == ["Team Leader"]
    assert Group.objects.filter(name="Administrator").exists()
    row = AuditRecord.objects.get(action="staff.user.created")
    assert (row.object_id, row.changes) == (str(user.pk), {"role": "team_leader"})


def test_create_administrator_is_staff_for_the_admin_site(monkeypatch):
    monkeypatch.setenv("CMA_NEW_PASSWORD", GOOD)
    _run("create-user", "root2", "--role", "administrator")
    assert User.objects.get(username="root2").is_staff


def test_create_user_with_prompted_password(monkeypatch):
    monkeypatch.delenv("CMA_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run("create-user", "pat", "--role", "service_officer")
    assert User.objects.get(username="pat").check_password(GOOD)


def test_prompted_passwords_must_match(monkeypatch):
    monkeypatch.delenv("CMA_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([GOOD, GOOD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="the two passwords differ"):
        _run("create-user", "pat", "--role", "service_officer")
    assert not User.objects.filter(username="pat").exists()


def test_no_terminal_and_no_env_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("CMA_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="CMA_NEW_PASSWORD"):
        _run("create-user", "pat", "--role", "service_officer")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw", "too short"),
        ("password1234", "too common"),
        ("my-workbench-login", "workbench"),
        ("wendy.harrison!", "too similar"),
    ],
)
def test_AUTH_3_create_user_refuses_weak_passwords(monkeypatch, password, message):
    monkeypatch.setenv("CMA_NEW_PASSWORD", password)
    with pytest.raises(CommandError, match=f"password refused: .*{message}"):
        _run("create-user", "wendy.harrison", "--role", "service_officer")
    assert not User.objects.filter(username="wendy.harrison").exists()
    assert not AuditRecord.objects.filter(action="staff.user.created").exists()


def test_create_user_refusals(monkeypatch, officer):
    monkeypatch.setenv("CMA_NEW_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="already exists"):
        _run("create-user", officer.username, "--role", "service_officer")
    with pytest.raises(CommandError, match="no team named 'Atlantis'"):
        _run("create-user", "new", "--role", "service_officer", "--team", "Atlantis")
    with pytest.raises(CommandError, match="invalid choice"):
        _run("create-user", "new", "--role", "overlord")
    assert not User.objects.filter(username="new").exists()


# --- tokens -----------------------------------------------------------------------------


def test_AUTH_5_token_issue_prints_the_secret_once_and_it_works(officer):
    customer = CustomerFactory()
    out, err = _run("token", "issue", officer.username, "finance-feed")
    raw = out.strip()
    assert raw.startswith("cma_") and "\n" not in raw
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.customer_facing) == ("finance-feed", officer, False)
    assert token.prefix in err and "shown only once" in err
    assert raw not in {token.digest, token.prefix, token.name}
    response = Client().get(f"/api/v1/customers/{customer.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_token_issue_customer_facing_flag(officer):
    _run("token", "issue", officer.username, "portal", "--customer-facing")
    assert ApiToken.objects.get().customer_facing


def test_token_issue_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="no active user 'ghost'"):
        _run("token", "issue", "ghost", "feed")


def test_AUTH_5_token_revoke_by_prefix_ends_access(officer):
    customer = CustomerFactory()
    raw = _run("token", "issue", officer.username, "feed")[0].strip()
    token = ApiToken.objects.get()
    out, _ = _run("token", "revoke", f"cma_{token.prefix}")
    assert f"revoked token cma_{token.prefix} (feed) of {officer.username}" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = Client().get(f"/api/v1/customers/{customer.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert AuditRecord.objects.filter(action="staff.token.revoked").count() == 1
    with pytest.raises(CommandError, match="no active token"):
        _run("token", "revoke", f"cma_{token.prefix}")


def test_a_token_whose_prefix_starts_with_a_dash_can_be_revoked(officer):
    # One token in 64 starts with "-" (urlsafe base64); the cma_ start keeps it an argument.
    token, _ = issue_api_token(user=officer, name="feed")
    ApiToken.objects.filter(pk=token.pk).update(prefix="-abc1234")
    out, _ = _run("token", "revoke", "cma_-abc1234")
    assert "revoked token cma_-abc1234 (feed)" in out


def test_token_revoke_accepts_the_full_token_prefix(officer):
    raw = _run("token", "issue", officer.username, "feed")[0].strip()
    _run("token", "revoke", raw[:12])
    assert ApiToken.objects.get().revoked_at is not None


def test_token_revoke_refuses_an_ambiguous_prefix(officer):
    for n in range(2):
        ApiToken.objects.create(user=officer, name=f"t{n}", prefix="abcdefgh", digest=f"{n:064d}")
    with pytest.raises(CommandError, match="matches several tokens"):
        _run("token", "revoke", "abcdefgh")
    assert not ApiToken.objects.exclude(revoked_at=None).exists()
