"""Ownership shared by intrays and locks: exactly one of officer, team or area."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cma.policy.models import BusinessArea
from cma.staff.models import Team

_EXACTLY_ONE_OWNER = (
    Q(owner_user__isnull=False, owner_team__isnull=True, owner_area__isnull=True)
    | Q(owner_user__isnull=True, owner_team__isnull=False, owner_area__isnull=True)
    | Q(owner_user__isnull=True, owner_team__isnull=True, owner_area__isnull=False)
)


class OwnedMixin(models.Model):
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who gave the current holder this work (None: the system). SEC-1: holding work
    # gives need-to-know on a protected customer only when someone else gave it.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        abstract = True

    @property
    def owner_key(self) -> str:
        """A stable id-only label of the owner, used in history and audit rows."""
        if self.owner_user_id:
            return f"user:{self.owner_user_id}"
        if self.owner_team_id:
            return f"team:{self.owner_team_id}"
        return f"area:{self.owner_area_id}"

    @property
    def owner(self):
        return self.owner_user or self.owner_team or self.owner_area

    @property
    def owner_kind(self) -> str:
        return self.owner_key.split(":", 1)[0]


def history_ref(to, **kwargs):
    """An optional reference from a history/escalation row: no index, no database FK
    (deferred FK checks at commit cost more than the writes), PROTECTed in the ORM."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        **kwargs,
    )
