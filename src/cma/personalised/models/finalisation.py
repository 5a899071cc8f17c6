"""Finalisation of PS case management (PS-13..PS-17): the case manager's request, the
PS Team Leader's decision and the exit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer
from cma.letters.models import Letter
from cma.notes.models import Note
from cma.personalised.models.plans import PsPlan
from cma.policy.models import BusinessArea

USER = settings.AUTH_USER_MODEL


class FinalisationState(models.TextChoices):
    REQUESTED = "requested", "Awaiting the PS Team Leader"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class ExitAdvice(models.TextChoices):
    BY_PHONE = "by-phone", "Told by phone"
    EXIT_LETTER = "exit-letter", "Exit letter UQ140.02 issued"


class FinalisationRequest(models.Model):
    """A case manager's request to finalise PS management (PS-14), decided by a PS
    Team Leader (PS-15, PS-16); on approval the customer exits (PS-17). `basis` and
    `reason` are codes of policy ps-finalisation-reasons; `confirmations` the codes of
    ps-finalisation-confirmations the PS Team Leader confirmed."""

    plan = models.ForeignKey(PsPlan, on_delete=models.PROTECT, related_name="finalisations")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    case_manager = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    team_leader = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", help_text="the lock's holder"
    )
    state = models.CharField(
        max_length=10, choices=FinalisationState.choices, default=FinalisationState.REQUESTED
    )
    basis = models.CharField(max_length=30)
    exit_advice = models.CharField(max_length=12, choices=ExitAdvice.choices)
    exit_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responses_understood = models.BooleanField(default=False)
    feedback = models.TextField(help_text="the feedback given; checked text")
    document = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    confirmations = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, help_text="the PS Team Leader's comment; checked")
    transfer_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    routed_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    routed_rule = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state="requested"), name="ps_one_open_finalisation"
            ),
            models.CheckConstraint(
                condition=Q(state="requested")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="ps_finalisation_decided_has_who",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | ~Q(reason=""),
                name="ps_finalisation_approved_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Finalisation request {self.pk} ({self.state})"
