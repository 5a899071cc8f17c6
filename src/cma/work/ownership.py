"""Who holds a customer or a piece of work, in words people read (CMA-5): the officer's
name and team, the team's name, or the business area's name; never an internal key.

`ownership_notice` is what a page says before an officer acts on a customer someone
else holds: who, their team, why, since when and until when, so they coordinate first.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from .models import CustomerLock
from .permissions import holds


@dataclass(frozen=True)
class Holder:
    name: str  # the officer's full name, the team's or the business area's name
    kind: str  # "officer", "team" or "business area"
    team: str | None  # the officer's team or the team itself; None for an area

    @property
    def label(self) -> str:
        """ "Olivia Smith (Mainstream Parramatta)", "Mainstream Parramatta (team)"."""
        if self.kind == "officer":
            return f"{self.name} ({self.team})" if self.team else self.name
        return f"{self.name} ({self.kind})"


def holder_of(work: Any) -> Holder:
    """The holder of a lock or an intray. Load `owner_user__team`, `owner_team` and
    `owner_area` with it, or this costs a query each."""
    if work.owner_user_id:
        user = work.owner_user
        return Holder(str(user), "officer", user.team.name if user.team_id else None)
    if work.owner_team_id:
        return Holder(work.owner_team.name, "team", work.owner_team.name)
    return Holder(work.owner_area.name, "business area", None)


@dataclass(frozen=True)
class OwnershipNotice:
    holder: Holder
    reason: str
    since: datetime
    expires_at: datetime | None

    @property
    def text(self) -> str:
        """One sentence for a form, a message or an API answer."""
        since = timezone.localtime(self.since).strftime("%-d %b %Y")
        return (
            f"Customer locked to {self.holder.label} since {since}: {self.reason}. "
            "Coordinate with them before you act."
        )


def ownership_notice(actor: Any, lock: CustomerLock | None) -> OwnershipNotice | None:
    """What to tell `actor` when someone else (another officer, team or area) holds
    the customer's active lock; None when it is unlocked or theirs."""
    if lock is None or not lock.is_active() or holds(actor, lock):
        return None
    return OwnershipNotice(holder_of(lock), lock.reason, lock.locked_at, lock.expires_at)
