"""Referrals (PS-1, PS-2) and reallocation (PS-3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Case, Customer
from cma.staff.models import Team
from cma.work.models import Intray

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------
# Referrals (PS-1, PS-2)


class ReferralState(models.TextChoices):
    RECEIVED = "received", "Received"
    ACTIONING = "actioning", "Being actioned"
    ACTIONED = "actioned", "Actioned"
    REALLOCATED = "reallocated", "Reallocated"
    CLOSED = "closed", "Closed"


class Referral(models.Model):
    """A referral to Personalised Services, carried by one of the four referral intrays
    (PS-1). `kind` is the intray type code; its service level gives `due_on`."""

    kind = models.CharField(max_length=60, help_text="a referral intray type code")
    intray = models.OneToOneField(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="ps_referral"
    )
    source = models.CharField(max_length=60, help_text="a code of policy referral-sources")
    reason = models.TextField(help_text="why the customer is referred; checked text")
    main_reason = models.CharField(
        max_length=60, blank=True, help_text="a code of policy main-reasons, set when actioned"
    )
    urgent = models.BooleanField(default=False)
    # PS-1: an urgent referral records that the referring Team Leader contacted the PS
    # Team Leader before referring.
    tl_contacted_ps_tl = models.BooleanField(default=False)
    referring_team_leader = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contacted_ps_team_leader = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tl_contacted_at = models.DateTimeField(null=True, blank=True)
    primary_customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="ps_referrals"
    )
    associated_customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    associated_contact_required = models.BooleanField(default=False)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=ReferralState.choices, default=ReferralState.RECEIVED
    )
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    case_manager = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="ps_referrals"
    )
    # The reallocation this referral came from (a Customer Assigned to PS intray, PS-3).
    from_reallocation = models.ForeignKey(
        "Reallocation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actioned_at = models.DateTimeField(null=True, blank=True)
    actioned_on_time = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_at", "-id"]
        indexes = [
            models.Index(fields=["case_manager", "state"]),
            models.Index(fields=["primary_customer", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgent=False) | Q(tl_contacted_ps_tl=True),
                name="ps_urgent_referral_has_tl_contact",
            ),
            models.CheckConstraint(
                condition=~Q(state="actioned") | Q(actioned_at__isnull=False),
                name="ps_referral_actioned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"PS referral {self.pk} ({self.kind})"


class ActioningStep(models.Model):
    """One step of the actioning checklist (PS-2), who did it and when. `step` is a code
    of policy `actioning-steps`; `detail` holds the ids the step produced (lock, plan,
    stacking document, note, interaction)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=60)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)
    not_required = models.BooleanField(
        default=False, help_text="an optional step recorded as not needed (e.g. associated)"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["referral", "done_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "step"], name="ps_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step} of referral {self.referral_id}"


# ---------------------------------------------------------------------------
# Reallocation (PS-3)


class ReallocationState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved, awaiting the receiving team"
    DECLINED = "declined", "Declined"
    ASSIGNED = "assigned", "Assigned"


class Reallocation(models.Model):
    """A case manager's request to reallocate a customer (PS-3): the PS Team Leader
    decides; the receiving PS Team Leader locks and assigns to one of their case
    managers, which raises a Customer Assigned to PS intray."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="reallocations"
    )
    plan = models.ForeignKey(
        "PsPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="reallocations"
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason_code = models.CharField(max_length=60, help_text="a code of policy reallocation-reasons")
    reason = models.TextField(blank=True, help_text="more about the reason; checked text")
    state = models.CharField(
        max_length=10, choices=ReallocationState.choices, default=ReallocationState.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True, help_text="approved | declined")
    decision_comment = models.TextField(blank=True)
    receiving_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiving_case_manager = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(state__in=["requested", "approved"]),
                name="ps_one_open_reallocation",
            ),
            models.CheckConstraint(
                condition=Q(state="requested") | Q(decided_at__isnull=False),
                name="ps_reallocation_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Reallocation {self.pk} ({self.state})"
