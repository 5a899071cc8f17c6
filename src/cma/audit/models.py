"""Append-only, hash-chained audit trail (AUD-1).

Rows are written unhashed inside the request's transaction (cheap, no global lock);
the sealer later gives them a contiguous `seq` and the SHA-256 chain. PostgreSQL
triggers allow exactly that one change and nothing else.
"""

from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit records are never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit records cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit records cannot be deleted")


class Outcome(models.TextChoices):
    OK = "ok", "Succeeded"
    REFUSED = "refused", "Refused"


class AuditRecord(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="audit_unsealed_idx", condition=models.Q(seq=None))
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records cannot be deleted")
