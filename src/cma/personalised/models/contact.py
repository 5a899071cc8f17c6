"""Contact with a PS customer (PS-7..PS-11): first contact, after contact,
face-to-face meetings and letter skips."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.contact.models import Interaction
from cma.customers.models import Customer
from cma.letters.models import Letter
from cma.notes.models import Note, SensitiveIndicator
from cma.personalised.models.plans import ApprovalState, PsPlan
from cma.work.models import Intray

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------
# Contact (PS-7, PS-8) — built by the second PS helper on these models


class FirstContact(models.Model):
    """The first-contact discussion checklist (PS-7): items done (codes of policy
    first-contact-items), the summary the customer acknowledged."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="first_contacts")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_check_done = models.BooleanField(default=False)
    items_done = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True, help_text="the summary read back; checked text")
    summary_acknowledged = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    next_contact_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    stacking_note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(summary_acknowledged=False) | Q(acknowledged_at__isnull=False),
                name="ps_first_contact_ack_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"First contact {self.pk} for plan {self.plan_id}"


class AfterContact(models.Model):
    """What was done after a contact (PS-8): products and services provided, a
    sensitive indicator, the follow-up intray raised and the referral intray deleted."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="after_contacts")
    first_contact = models.ForeignKey(
        FirstContact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    products_services = models.JSONField(default=list, blank=True)
    sensitive_indicator = models.ForeignKey(
        SensitiveIndicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral_intray_deleted = models.BooleanField(default=False)
    special_contact_details_updated = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"After contact {self.pk} for plan {self.plan_id}"


class FaceToFaceState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class FaceToFace(models.Model):
    """A face-to-face meeting (PS-10): approved by the PS Team Leader before booking; a
    service centre by default (`location_kind` is a code of policy location-kinds); an
    alternative location needs PSTL approval, an MP's office only via Customer Review."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="face_to_faces")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="checked text")
    state = models.CharField(
        max_length=10, choices=FaceToFaceState.choices, default=FaceToFaceState.REQUESTED
    )
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    location_kind = models.CharField(max_length=30, default="service-centre")
    location = models.CharField(max_length=200, blank=True)
    location_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location_approved_at = models.DateTimeField(null=True, blank=True)
    via_customer_review = models.BooleanField(default=False)
    attendees: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        USER, blank=True, related_name="+"
    )
    second_person_present = models.BooleanField(default=False)
    security_risks = models.BooleanField(default=False)
    security_risk_notes = models.TextField(blank=True, help_text="checked text")
    scm_notified = models.BooleanField(
        default=False, help_text="Service Centre Manager notified through the PS Team Leader"
    )
    scm_notified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scm_notified_at = models.DateTimeField(null=True, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["booked", "held"]) | Q(approved_at__isnull=False),
                name="ps_face_to_face_booked_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"Face-to-face {self.pk} ({self.state})"


class LetterSkip(models.Model):
    """Skipping UQ140.01 for a segment 1 or some segment 2 customers (PS-9): the PS
    Team Leader's agreement, recorded in the plan."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="letter_skips")
    letter_code = models.CharField(max_length=20, default="UQ140.01")
    segment = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(help_text="checked text")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approval = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Skip {self.letter_code} for plan {self.plan_id}"
