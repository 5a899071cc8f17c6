"""Staff writes: users, roles and API tokens."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cma.audit.services import record

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
