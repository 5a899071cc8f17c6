"""Shared pieces of the work services: owners, refusal auditing, clocks."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings

from cma.audit.services import refusals_recorded
from cma.errors import DomainError, PermissionDenied
from cma.policy.models import AreaKind, BusinessArea
from cma.staff.models import CUSTOMER_FACING_ROLES, Team, User

from ..errors import InactiveOfficer, InvalidOwner

F = TypeVar("F", bound=Callable[..., Any])


def _customer_id_of(kwargs: dict[str, Any]) -> int | None:
    for key in ("customer", "intray", "parent"):
        obj = kwargs.get(key)
        if obj is not None:
            return getattr(obj, "customer_id", None) or getattr(obj, "pk", None)
    return None


def audited_refusals(action: str) -> Callable[[F], F]:
    """One transaction; a refusal recorded once, after the rollback (AUD-1)."""
    return refusals_recorded(
        action, lambda kw: {"customer_id": _customer_id_of(kw)}, actor_keys=("actor", "officer")
    )


def require(
    actor: User,
    perm: str,
    obj: Any,
    message: str,
    error: type[DomainError] = PermissionDenied,
) -> None:
    if not actor.has_perm(perm, obj):
        raise error(message)


def granted_by(actor: User, owner: "Owner", previous: Any = None) -> Any:
    """Who gives the new holder this work (SEC-1): the actor, except when the actor
    takes it themselves, when the earlier grant stands (None: the system). Work an
    actor gives themselves never gives them need-to-know."""
    if owner.user is not None and actor is not None and owner.user.pk == actor.pk:
        return previous.granted_by if previous is not None else actor
    return actor


@dataclass(frozen=True)
class Owner:
    """Exactly one of an officer, a team or a business area."""

    user: User | None = None
    team: Team | None = None
    area: BusinessArea | None = None

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"user:{self.user.pk}"
        if self.team is not None:
            return f"team:{self.team.pk}"
        assert self.area is not None
        return f"area:{self.area.pk}"

    def fields(self) -> dict[str, Any]:
        return {"owner_user": self.user, "owner_team": self.team, "owner_area": self.area}

    @property
    def home_team(self) -> Team | None:
        if self.user is not None:
            return self.user.team if self.user.team_id else None
        return self.team

    @property
    def business_area(self) -> BusinessArea | None:
        if self.area is not None:
            return self.area
        team = self.home_team
        return team.business_area if team is not None else None

    @property
    def state(self) -> str:
        """The state whose working days set due dates. Area-owned work has no single
        office (any team of the area may serve it), so it uses the national default."""
        team = self.home_team
        return team.state if team is not None else settings.CMA_DEFAULT_STATE


def resolve_owner(
    owner_user: Any = None, owner_team: Any = None, owner_area: Any = None
) -> Owner | None:
    """Validate the owner arguments; None when none was given. Accepts model
    instances, or a business-area code for `owner_area`."""
    given = [o for o in (owner_user, owner_team, owner_area) if o is not None]
    if not given:
        return None
    if len(given) > 1:
        raise InvalidOwner("give exactly one owner: an officer, a team or a business area")
    if owner_user is not None:
        if not isinstance(owner_user, User):
            owner_user = User.objects.filter(pk=owner_user).select_related("team").first()
            if owner_user is None:
                raise InvalidOwner("no such officer", field="owner_user")
        if not owner_user.is_active:
            raise InactiveOfficer(
                "that officer's account is inactive; choose another owner", field="owner_user"
            )
        if owner_user.role not in CUSTOMER_FACING_ROLES:
            raise InvalidOwner("that user does not work with customers", field="owner_user")
        return Owner(user=owner_user)
    if owner_team is not None:
        if not isinstance(owner_team, Team):
            owner_team = Team.objects.filter(pk=owner_team).first()
            if owner_team is None:
                raise InvalidOwner("no such team", field="owner_team")
        return Owner(team=owner_team)
    if not isinstance(owner_area, BusinessArea):
        code = owner_area
        owner_area = BusinessArea.objects.filter(code=code, active=True).first()
        if owner_area is None:
            raise InvalidOwner(f"unknown business area {code!r}", field="owner_area")
    if owner_area.kind == AreaKind.ENABLING:
        raise InvalidOwner(
            "enabling areas have no direct contact with customers and cannot own them",
            field="owner_area",
        )
    return Owner(area=owner_area)


def owner_of(obj: Any) -> Owner:
    return Owner(user=obj.owner_user, team=obj.owner_team, area=obj.owner_area)


# Control characters other than tab and line breaks: NUL breaks PostgreSQL, and none
# belongs in a note or reason.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str, field: str, *, max_length: int) -> str | None:
    """Why free text cannot be stored as given, or None."""
    label = field.replace("_", " ")
    if len(value) > max_length:
        return f"{label} is longer than {max_length} characters"
    if CONTROL.search(value):
        return f"{label} contains control characters"
    return None


def clean_text(value: str, field: str, *, required: bool, max_length: int) -> str:
    from cma.errors import ValidationFailed

    from ..errors import ReasonRequired

    text = (value or "").strip()
    if required and not text:
        raise ReasonRequired(f"a {field.replace('_', ' ')} is required", field=field)
    problem = text_problem(text, field, max_length=max_length)
    if problem:
        raise ValidationFailed(problem, field=field)
    return text
