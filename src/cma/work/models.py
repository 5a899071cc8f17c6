"""Work management: intrays (WRK-1..6), customer locks (CMA-5, CMA-7), escalations (WRK-5).

Ownership is three nullable foreign keys (officer, team, business area) with a check
constraint that exactly one is set, so every owner is a real row and the next-work
query can use one plain index per queue kind.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Case, Customer
from cma.policy.models import BusinessArea, IntrayType
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


class IntrayStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    DELETED = "deleted", "Deleted"


LIVE_STATUSES = (IntrayStatus.OPEN, IntrayStatus.IN_PROGRESS)


class Intray(OwnedMixin):
    """A unit of follow-up work on a customer (WRK-1)."""

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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    from_owner = models.CharField(max_length=30, blank=True)
    to_owner = models.CharField(max_length=30, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["intray", "at"], name="intray_event_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.intray_id}"


class CustomerLock(OwnedMixin):
    """A customer's owner (CMA-5). At most one *unreleased* lock per customer is a
    database rule; a lock is *active* while unreleased and not past `expires_at`
    (CMA-7), so expiry needs no sweep. Whoever next locks the customer, or the sweep,
    marks an expired lock released and records the auto-unlock."""

    # (customer, -locked_at) covers the customer key; the other references are never
    # searched by, and every index is rewritten when the sweep releases a lock.
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="locks", db_index=False
    )
    reason = models.CharField(max_length=300)
    # The holder's business area when locked: where the customer belongs after expiry.
    business_area = models.ForeignKey(
        BusinessArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    locked_at = models.DateTimeField(default=timezone.now)
    decision_advice_issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    release_kind = models.CharField(max_length=12, blank=True)  # unlocked | expired | transferred
    release_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_EXACTLY_ONE_OWNER, name="lock_exactly_one_owner"),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(released_at=None),
                name="one_unreleased_lock_per_customer",
            ),
        ]
        indexes = [
            # The auto-unlock sweep: unreleased locks by expiry.
            models.Index(
                fields=["expires_at", "id"],
                name="lock_expiring_idx",
                condition=Q(released_at=None, expires_at__isnull=False),
            ),
            models.Index(fields=["customer", "-locked_at"], name="lock_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"Lock {self.pk} on customer {self.customer_id}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.released_at is None and (self.expires_at is None or self.expires_at > now)


class LockEventKind(models.TextChoices):
    LOCKED = "locked", "Locked"
    UNLOCKED = "unlocked", "Unlocked"
    TRANSFERRED = "transferred", "Transferred"
    EXPIRY_SET = "expiry_set", "Decision advice issued; expiry set"
    AUTO_UNLOCKED = "auto_unlocked", "Auto-unlocked (expired)"


class LockEvent(models.Model):
    """The lock history of a customer, including auto-unlocks recorded by the sweep."""

    # Only the indexes reads use: the sweep inserts these in sets of many thousands.
    lock = models.ForeignKey(
        CustomerLock,
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        db_constraint=False,
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=14, choices=LockEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    owner = models.CharField(max_length=30, blank=True)
    text = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # An expiry is recorded once, whoever notices it first (sweep or locker).
            models.UniqueConstraint(
                fields=["lock"], condition=Q(kind="auto_unlocked"), name="lock_expired_once"
            )
        ]
        indexes = [models.Index(fields=["customer", "at"], name="lock_event_customer_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on lock {self.lock_id}"


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
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    area = models.ForeignKey(
        BusinessArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

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
