"""A decision about a case and each customer it affects (every party of the case)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cma.contact.models import Interaction
from cma.customers.models import Case, Customer
from cma.letters.models import Letter

USER = settings.AUTH_USER_MODEL


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to finalise"
    FINALISED = "finalised", "Finalised"
    NOTIFIED = "notified", "Notified"


# Once finalised the decision itself no longer changes (only its notification).
CLOSED = (State.FINALISED, State.NOTIFIED)


class Decision(models.Model):
    kind = models.CharField(max_length=60, help_text="a code of policy decision-kinds")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    decision_maker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="decisions")
    reasons = models.TextField(help_text="documented reasons; checked for personal information")
    effective_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["decision_maker", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state__in=CLOSED) | models.Q(finalised_at__isnull=False),
                name="decision_finalised_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.NOTIFIED) | models.Q(notified_at__isnull=False),
                name="decision_notified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk} ({self.kind})"

    @property
    def subject(self) -> str:
        """What a contact-attempt plan for explaining this decision is about (CMA-6)."""
        return f"decision:{self.pk}"


class AffectedParty(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="parties")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    explained_at = models.DateTimeField(null=True, blank=True)
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disagreed = models.BooleanField(default=False)
    review_option = models.CharField(max_length=60, blank=True)
    answer = models.TextField(blank=True, help_text="the customer's answer; checked text")
    advice_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "customer"], name="decision_party_once"),
            # An explanation is always in a recorded interaction, by its officer.
            models.CheckConstraint(
                condition=(
                    models.Q(explained_at__isnull=True, interaction__isnull=True)
                    | models.Q(explained_at__isnull=False, interaction__isnull=False)
                ),
                name="decision_explained_in_interaction",
            ),
            models.CheckConstraint(
                condition=models.Q(disagreed=True) | models.Q(review_option=""),
                name="decision_review_option_only_on_disagreement",
            ),
        ]

    def __str__(self) -> str:
        return f"Party {self.customer_id} of decision {self.decision_id}"

    @property
    def explained(self) -> bool:
        return self.explained_at is not None
