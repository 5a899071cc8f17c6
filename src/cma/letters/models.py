"""Issued letters: immutable once written (the PDF, the data it was made from and
the PDF's SHA-256). Drafts are never stored; a preview is rendered on demand."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImmutableLetter(Exception):
    """An issued letter is never changed or deleted."""


class LetterQuerySet(models.QuerySet["Letter"]):
    def update(self, **kwargs):
        raise ImmutableLetter("issued letters cannot be changed")

    def delete(self):
        raise ImmutableLetter("issued letters cannot be deleted")

    def without_pdf(self) -> "LetterQuerySet":
        """Lists never need the PDF bytes."""
        return self.defer("pdf")


class Signatory(models.TextChoices):
    AGENCY = "agency", "On behalf of the agency"
    PS_CASE_MANAGER = "ps_case_manager", "PS case manager"


class Letter(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="letters"
    )
    template = models.ForeignKey(
        "policy.LetterTemplate", on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the template so the record reads the same after policy changes.
    template_code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    policy_version = models.CharField(max_length=40, blank=True)
    # The officer's inputs as given, and everything the PDF was rendered from.
    fields = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField()
    signatory = models.CharField(max_length=20, choices=Signatory.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    letter_date = models.DateField(help_text="The date printed on the letter.")
    # The date the letter asks the customer to reply by, and the date the reply is due
    # with us (reply_by plus inbound mail handling time, CON-4).
    reply_by = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    # Set by the issuing form (and optionally API clients) so a double submit
    # returns the letter already issued instead of issuing a second one.
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    response_intray = models.ForeignKey(
        "work.Intray", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["customer", "-issued_at"], name="letter_customer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_due_on__isnull=True)
                | models.Q(response_due_on__gt=models.F("letter_date")),
                name="letter_due_after_letter_date",
            ),
            models.CheckConstraint(
                condition=models.Q(reply_by__isnull=True)
                | models.Q(response_due_on__gte=models.F("reply_by")),
                name="letter_due_not_before_reply_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} {self.reference}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableLetter("issued letters cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableLetter("issued letters cannot be deleted")

    @property
    def filename(self) -> str:
        """Server-generated: reference and template code only, nothing personal."""
        return f"letter-{self.reference}-{self.template_code}.pdf".replace(" ", "_")

    def checksum_ok(self) -> bool:
        return hashlib.sha256(bytes(self.pdf)).hexdigest() == self.sha256
