"""The PS activity record (PS-2, PS-6, PS-20) and the PS mandate consultation (PS-12)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer
from cma.personalised.models.plans import PsPlan
from cma.personalised.models.referrals import Referral
from cma.staff.models import Team
from cma.work.models import Intray

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------
# The PS activity record (PS-2 step 3, PS-6 "recorded in the activity record";
# reporting in part 2, PS-20)


class ActivityEntry(models.Model):
    """One line of a customer's PS activity record: `kind` e.g. referral-received,
    referral-actioned, segment-changed, plan-approved, reallocated; `data` the values."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        PsPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="activity"
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="activity"
    )
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    case_manager = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"]), models.Index(fields=["customer", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} for customer {self.customer_id}"


# ---------------------------------------------------------------------------
# The PS mandate (PS-12): a specialist decision maker consults the case manager


class ConsultationState(models.TextChoices):
    REQUESTED = "requested", "Requested, awaiting the case manager"
    RECORDED = "recorded", "Recorded"


class PsConsultation(models.Model):
    """A consultation with a PS customer's case manager about one decision (PS-12):
    requested (an intray for the case manager, due the same working day), then
    recorded with who was consulted, when, the outstanding issues raised, the special
    contact conditions, the agreed communication approach and who tells the customer
    (`who_tells` is a code of policy ps-mandate-who-tells)."""

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="ps_consultations"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    case_manager = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the customer's PS case manager when requested or recorded",
    )
    state = models.CharField(
        max_length=10, choices=ConsultationState.choices, default=ConsultationState.REQUESTED
    )
    requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consulted = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="who was consulted: the case manager, or their team leader",
    )
    consulted_at = models.DateTimeField(null=True, blank=True)
    outstanding_issues = models.TextField(blank=True, help_text="checked text")
    special_contact_conditions = models.TextField(blank=True, help_text="checked text")
    communication_approach = models.TextField(blank=True, help_text="checked text")
    who_tells = models.CharField(max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "customer", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "customer"], name="ps_consultation_once_per_party"
            ),
            models.CheckConstraint(
                condition=~Q(state="recorded")
                | Q(
                    consulted__isnull=False,
                    consulted_at__isnull=False,
                    recorded_at__isnull=False,
                )
                & ~Q(who_tells=""),
                name="ps_consultation_recorded_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"PS consultation on decision {self.decision_id} ({self.state})"

    @property
    def recorded(self) -> bool:
        return self.state == ConsultationState.RECORDED
