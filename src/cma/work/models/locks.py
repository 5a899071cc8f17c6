"""Customer locks (CMA-5) with expiry by data (CMA-7), and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer
from cma.policy.models import BusinessArea

from ._owned import _EXACTLY_ONE_OWNER, OwnedMixin, history_ref


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
    actor = history_ref(settings.AUTH_USER_MODEL)
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
