"""Intrays (WRK-1..6), their history, and escalations of overdue work (WRK-5)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Case, Customer
from cma.policy.models import BusinessArea, IntrayType
from cma.staff.models import Team

from ._owned import _EXACTLY_ONE_OWNER, OwnedMixin, history_ref

if TYPE_CHECKING:
    from cma.privacy.separating import Protected


class IntrayStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    DELETED = "deleted", "Deleted"


LIVE_STATUSES = (IntrayStatus.OPEN, IntrayStatus.IN_PROGRESS)


class Intray(OwnedMixin):
    """A unit of follow-up work on a customer (WRK-1)."""

    # Not columns: set on loaded rows by work.selectors for the pages (types only here).
    withheld: "Protected | None"
    restricted: bool
    already_yours: bool
    customer_visible: bool
    customer_name: str
    customer_crn: str

    # Indexes are chosen, not automatic: every index is paid for on each hand-out
    # (the update moves the row out of the open partial indexes), so foreign keys
    # covered by a composite index, or never searched by, have none of their own.
    # Owners in particular: a plain index on owner_user_id tempted the planner to read
    # every intray an officer ever held (then filter and sort) on each pull; owners are
    # found through the partial indexes below only.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    owner_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    owner_area = models.ForeignKey(
        BusinessArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="intrays", db_index=False
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intrays",
        db_index=False,
    )
    type = models.ForeignKey(IntrayType, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Copied from the type when created so the next-work index holds it (1 = highest).
    priority = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=IntrayStatus.choices, default=IntrayStatus.OPEN
    )
    due_on = models.DateField()
    note = models.TextField(blank=True, max_length=2000)
    outcome = models.TextField(blank=True, max_length=2000)
    deleted_reason = models.TextField(blank=True, max_length=2000)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set by the escalation sweep (WRK-5); cleared when the due date or owner changes,
    # so the same lateness is escalated once.
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_OWNER, name="intray_exactly_one_owner"),
            models.CheckConstraint(
                condition=~Q(status=IntrayStatus.DELETED) | ~Q(deleted_reason=""),
                name="intray_deleted_needs_reason",
            ),
        ]
        # Next work (WRK-4): one index per queue kind whose column order matches the
        # ORDER BY, partial on open rows, so each queue's best rows are an index range.
        indexes = [
            models.Index(
                fields=["owner_user", "priority", "due_on", "id"],
                name="intray_next_user_idx",
                condition=Q(status="open"),
            ),
            models.Index(
                fields=["owner_team", "priority", "due_on", "id"],
                name="intray_next_team_idx",
                condition=Q(status="open"),
            ),
            models.Index(
                fields=["owner_area", "priority", "due_on", "id"],
                name="intray_next_area_idx",
                condition=Q(status="open"),
            ),
            # The escalation sweep: live, not yet escalated, by due date.
            models.Index(
                fields=["due_on", "id"],
                name="intray_overdue_idx",
                condition=Q(status__in=["open", "in_progress"], escalated_at=None),
            ),
            # Work in progress is always an officer's (starting or taking work makes it
            # theirs): "my work" = this plus the officer's open index.
            models.Index(
                fields=["owner_user", "due_on"],
                name="intray_doing_user_idx",
                condition=Q(status="in_progress"),
            ),
            models.Index(fields=["customer", "status"], name="intray_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"Intray {self.pk} ({self.type_id})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def is_overdue(self, today=None) -> bool:
        from cma.customers.models import agency_today

        return self.is_live and self.due_on < (today or agency_today())


class IntrayEventKind(models.TextChoices):
    CREATED = "created", "Created"
    TAKEN = "taken", "Taken as next work"
    STARTED = "started", "Started"
    ASSIGNED = "assigned", "Re-assigned"
    COMPLETED = "completed", "Completed"
    DELETED = "deleted", "Deleted"


class IntrayEvent(models.Model):
    """One move in an intray's history (WRK-1). Owners as id keys ("user:12").

    History rows (this, LockEvent, Escalation) are append-only and written in sets by
    the same statement that changes their parent row, so their references are plain
    ids without database foreign-key constraints: PostgreSQL's deferred FK checks would
    otherwise lock every referenced row at commit, which cost more than the writes.
    Parents are never deleted (the ORM still PROTECTs them)."""

    # (intray, at) covers the intray key; history is never searched by actor.
    intray = models.ForeignKey(
        Intray, on_delete=models.CASCADE, related_name="events", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=12, choices=IntrayEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = history_ref(settings.AUTH_USER_MODEL)
    from_owner = models.CharField(max_length=30, blank=True)
    to_owner = models.CharField(max_length=30, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["intray", "at"], name="intray_event_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.intray_id}"


class Escalation(models.Model):
    """Overdue work escalated to the owner's Team Leader (WRK-5), shown on their queue.

    `area` is the owner's business area; `team` the owner's team (the officer's team,
    or the owning team). Work owned by a whole business area has no team, and every
    leader of a team in that area sees it. One partial index serves the leaders' query
    `area = mine AND (team = mine OR team IS NULL)`."""

    # Indexes: the unique (intray, due_on) and the two open-escalation queues only.
    intray = models.ForeignKey(
        Intray,
        on_delete=models.CASCADE,
        related_name="escalations",
        db_index=False,
        db_constraint=False,
    )
    due_on = models.DateField()
    team = history_ref(Team)
    area = history_ref(BusinessArea)
    leader = history_ref(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = history_ref(settings.AUTH_USER_MODEL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intray", "due_on"], name="escalate_once_per_due")
        ]
        indexes = [
            models.Index(
                fields=["area", "team"],
                name="escalation_open_idx",
                condition=Q(acknowledged_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation of intray {self.intray_id}"
