"""Notepads, stacking documents, sensitive issue indicators, Separating Safely markers
and restricted service arrangements (DOC-1..DOC-7).

Notes and stacking entries are append-only: the model refuses changes in Python and a
PostgreSQL trigger refuses them in the database. A correction is a new note linked to
the one it corrects.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Case, Customer


class AppendOnlyError(Exception):
    """Notes and stacking entries are never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be deleted")


class NoteFunction(models.TextChoices):
    """What a notepad is about. Anything but "general" is a function-specific notepad
    that a stacking document may point to (DOC-4)."""

    GENERAL = "general", "General"
    CONTACT = "contact", "Contact"
    INCOME = "income", "Income"
    CARE = "care", "Change in care"
    NON_AGENCY_PAYMENT = "non-agency-payment", "Non-agency payment"
    ASSESSMENT = "assessment", "Assessment"
    COLLECTION = "collection", "Collection"
    PERSONALISED = "personalised-services", "Personalised Services"


class Note(AppendOnlyModel):
    """A notepad entry on a customer and optionally one of their cases (DOC-1)."""

    # Not columns: the texts as shown, set on loaded rows by notes.selectors.
    shown_subject: str
    shown_body: str

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="notes")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    subject = models.CharField(max_length=120)
    body = models.TextField()
    function = models.CharField(
        max_length=30, choices=NoteFunction.choices, default=NoteFunction.GENERAL
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    macro_code = models.CharField(max_length=60, blank=True)
    macro_fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["customer", "-created_at", "-id"], name="note_customer_recent_idx"
            ),
            models.Index(fields=["customer", "subject"], name="note_customer_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk}: {self.subject}"


class StackingPurpose(models.TextChoices):
    PERSONALISED_SERVICES = "ps", "Personalised Services"
    GENERAL = "general", "General"


class StackingDocument(models.Model):
    """An ordered set of notepads under one heading (DOC-4). The PS stacking document's
    first notepad is "PS referral" with the referral reason (PS-2)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="stacking_documents"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=10, choices=StackingPurpose.choices)
    heading = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(purpose="ps"), name="one_ps_stack_per_customer"
            )
        ]

    def __str__(self) -> str:
        return self.heading


class EntryKind(models.TextChoices):
    NOTEPAD = "notepad", "Notepad"
    POINTER = "pointer", "Pointer to a function-specific notepad"


class StackingEntry(AppendOnlyModel):
    document = models.ForeignKey(StackingDocument, on_delete=models.PROTECT, related_name="entries")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="stacking_entries")
    label = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "position"]
        verbose_name_plural = "stacking entries"
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="stack_position_once"),
            models.UniqueConstraint(
                fields=["note"], condition=Q(kind="notepad"), name="notepad_in_one_stack"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="stack_position_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.position}"


class IndicatorKind(models.TextChoices):
    FAMILY_VIOLENCE = "family-violence", "Family violence"
    RESTRICTED_SERVICE = "restricted-service", "Restricted service"
    DECEASED = "deceased-customer", "Deceased customer"
    SECURITY_INCIDENT = "security-incident", "Security incident"
    OTHER = "other", "Other"


class SensitiveIndicator(models.Model):
    """Internal only (DOC-5): never shown to customers, in letters or customer-facing
    exports. Each review date has a "Sensitive indicator review" intray due on it."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="sensitive_indicators"
    )
    kind = models.CharField(max_length=30, choices=IndicatorKind.choices)
    reason = models.TextField()
    conditions = models.TextField(blank=True)
    review_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    review_intray_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [
            models.Index(
                fields=["customer"], name="indicator_active_idx", condition=Q(removed_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} indicator on {self.customer_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class ReviewOutcome(models.TextChoices):
    EXTENDED = "extended", "Continue to a new review date"
    REMOVED = "removed", "Remove the indicator"


class IndicatorReview(AppendOnlyModel):
    indicator = models.ForeignKey(
        SensitiveIndicator, on_delete=models.PROTECT, related_name="reviews"
    )
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    comment = models.TextField()
    conditions = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"Review of indicator {self.indicator_id}"


class SafetyMarker(models.Model):
    """Separating Safely (DOC-6): while active, the customer's location and contact
    details are withheld from everything concerning the other party."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="safety_markers")
    reason = models.TextField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(ended_at=None), name="one_active_safety_marker"
            )
        ]

    def __str__(self) -> str:
        return f"Separating Safely for {self.customer_id}"


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    FACE_TO_FACE = "face-to-face", "Face to face"
    ONLINE = "online", "Online account"


class RestrictedService(models.Model):
    """A restricted service arrangement (DOC-7, PS-19): how the customer may contact us."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="restricted_services"
    )
    allowed_channels = models.JSONField(default=list)
    contact_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The single point of contact.",
    )
    conditions = models.TextField()
    starts_on = models.DateField()
    review_due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    review_intray_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(ended_at=None), name="one_active_restriction"
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("starts_on")),
                name="restriction_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Restricted service for {self.customer_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def allows(self, channel: str) -> bool:
        return channel in self.allowed_channels

    @property
    def has_pending_review(self) -> bool:
        return any(r.status == "pending" for r in self.reviews.all())


class RestrictionOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue unchanged"
    VARY = "vary", "Continue with changes"
    END = "end", "End the restriction"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class RestrictedServiceReview(models.Model):
    """A review's proposed outcome; it takes effect only when the National Manager,
    Quality & Customer Complaints approves it (DOC-7)."""

    arrangement = models.ForeignKey(
        RestrictedService, on_delete=models.PROTECT, related_name="reviews"
    )
    outcome = models.CharField(max_length=10, choices=RestrictionOutcome.choices)
    recommendation = models.TextField()
    next_review_due_on = models.DateField(null=True, blank=True)
    allowed_channels = models.JSONField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement"],
                condition=Q(status="pending"),
                name="one_pending_restriction_review",
            )
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of {self.arrangement_id}"
