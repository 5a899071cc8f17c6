"""Staff writes: users, roles and API tokens."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cma.audit.services import record
from cma.web.sessions import end_user_sessions

from .models import ApiToken, Role, Team, User


def ensure_role_groups() -> None:
    """One auth Group per role, so role membership is visible in the admin."""
    for role in Role:
        Group.objects.get_or_create(name=role.label)


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    role: str,
    team: Team | None,
    first_name: str = "",
    last_name: str = "",
    actor: User | None = None,
) -> User:
    user = User(username=username, role=role, team=team, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()
    ensure_role_groups()
    user.groups.set([Group.objects.get(name=Role(role).label)])
    record(actor=actor, action="staff.user.created", obj=user, changes={"role": role})
    return user


@transaction.atomic
def issue_api_token(
    *, user: User, name: str, customer_facing: bool = False, actor: User | None = None
) -> tuple[ApiToken, str]:
    """Return the token row and the raw secret (256 bits), which is never stored.
    `actor` is whoever issued it (None from the command line; the owner by default)."""
    raw = "cma_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[4:12],
        digest=ApiToken.digest_of(raw),
        customer_facing=customer_facing,
    )
    record(
        actor=actor or user,
        action="staff.token.issued",
        obj=token,
        changes={"user_id": user.pk, "customer_facing": customer_facing},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User | None) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, action="staff.token.revoked", obj=token)
    return token


# -- ending access (SES-2) -------------------------------------------------------------


def _revoke_all_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def end_sessions(*, user: User, actor: User | None) -> int:
    """An administrator ends every session of `user`; returns how many ended."""
    ended = end_user_sessions(user.pk)
    record(actor=actor, action="staff.sessions.ended", obj=user, changes={"sessions": ended})
    return ended


@transaction.atomic
def set_active(*, user: User, active: bool, actor: User | None) -> User:
    """Deactivation deletes every session row and revokes every API token, so none
    comes back on reactivation. The caller may already have saved `is_active` (the
    admin form); the row is written again either way. One audit row."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if active:
        record(actor=actor, action="staff.user.reactivated", obj=user)
        return user
    sessions = end_user_sessions(user.pk)
    tokens = _revoke_all_tokens(user)
    record(
        actor=actor,
        action="staff.user.deactivated",
        obj=user,
        changes={"sessions": sessions, "tokens": tokens},
    )
    return user


@transaction.atomic
def password_changed(*, user: User, actor: User | None, keep_session: str | None = None) -> None:
    """After a password change (already saved): revoke the user's API tokens and end
    their other sessions (`keep_session`: the session of the user changing their own).
    One audit row."""
    sessions = end_user_sessions(user.pk, keep=keep_session)
    tokens = _revoke_all_tokens(user)
    record(
        actor=actor,
        action="staff.user.password_changed",
        obj=user,
        changes={"sessions": sessions, "tokens": tokens},
    )


@transaction.atomic
def change_password(
    *, user: User, password: str, actor: User | None, keep_session: str | None = None
) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    password_changed(user=user, actor=actor, keep_session=keep_session)
