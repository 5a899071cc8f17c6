"""The Personalised Services Plan (PS-4, PS-5, PS-11): its issues, versions, options
and segment decisions (PS-6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer
from cma.notes.models import Note, StackingDocument
from cma.personalised.models.referrals import Referral

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------
# The Personalised Services Plan (PS-4, PS-5, PS-11)


class PlanState(models.TextChoices):
    DRAFT = "draft", "Being completed"
    APPROVED = "approved", "Approved"
    # Part 2 (finalisation, PS-13..PS-17) moves a plan on from here.
    FINALISATION = "finalisation", "Finalisation requested"
    CLOSED = "closed", "Closed"


class PsPlan(models.Model):
    """The Personalised Services Plan: due 21 calendar days after the referral (PS-4),
    approved by the case manager; every change saved as a PsPlanVersion."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ps_plans")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    case_manager = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="ps_plans")
    referred_on = models.DateField()
    due_on = models.DateField(help_text="referral date + 21 calendar days (PS-4)")
    stacking_document = models.ForeignKey(
        StackingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stacking_created_on = models.DateField(null=True, blank=True)
    stacking_location = models.CharField(max_length=200, blank=True)
    referral_source = models.CharField(max_length=60, blank=True)
    segment = models.PositiveSmallIntegerField(null=True, blank=True)
    main_issue = models.TextField(blank=True)
    customer_view = models.TextField(blank=True, help_text="the issues from the customer's view")
    options_provided = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    agreed_contact_times = models.TextField(blank=True)
    special_contact_details = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["case_manager", "state", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=~Q(state="closed"), name="ps_one_open_plan"
            ),
            models.CheckConstraint(
                condition=Q(segment__isnull=True) | Q(segment__in=[1, 2, 3]),
                name="ps_plan_segment_1_2_3",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="ps_plan_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"PS plan {self.pk}"


class PsPlanVersion(models.Model):
    """Every version of a plan, kept (PS-4): a JSON snapshot of the plan, its issues and
    options, with who saved it and when."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    change = models.CharField(max_length=120, help_text="what this version changed")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ps_plan_version_once"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of plan {self.plan_id}"


class IssueStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    CONFIRMED = "confirmed", "Confirmed"
    RESOLVED = "resolved", "Resolved"


class PsIssue(models.Model):
    """An issue in the plan (PS-5). The five mandatory ones carry their policy code in
    `mandatory_code`; `classification` is a code of policy issue-classifications."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=120)
    classification = models.CharField(max_length=20)
    mandatory = models.BooleanField(default=False)
    mandatory_code = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=10, choices=IssueStatus.choices, default=IssueStatus.RECORDED
    )
    comment = models.TextField(blank=True, help_text="the latest comment; checked text")
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "mandatory_code"],
                condition=~Q(mandatory_code=""),
                name="ps_mandatory_issue_once",
            ),
            models.CheckConstraint(
                condition=Q(mandatory=False, mandatory_code="")
                | (Q(mandatory=True) & ~Q(mandatory_code="")),
                name="ps_mandatory_issue_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PsIssueEvent(models.Model):
    """Each status change or comment on an issue, in order (PS-5, PS-15)."""

    issue = models.ForeignKey(PsIssue, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class OptionStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    TAKEN_UP = "taken-up", "Taken up"
    DECLINED = "declined", "Declined"


class PlanOption(models.Model):
    """An option recorded in the plan (PS-11). `kind` is a code of policy option-kinds:
    publication, process, specialised-referral, social-worker, external-org,
    face-to-face."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="options")
    issue = models.ForeignKey(
        PsIssue, null=True, blank=True, on_delete=models.SET_NULL, related_name="options"
    )
    kind = models.CharField(max_length=30)
    description = models.TextField(help_text="checked text")
    status = models.CharField(
        max_length=10, choices=OptionStatus.choices, default=OptionStatus.OFFERED
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    stacking_note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} option for plan {self.plan_id}"


# ---------------------------------------------------------------------------
# Segments (PS-6)


class ApprovalState(models.TextChoices):
    NOT_NEEDED = "not-needed", "Not needed"
    PENDING = "pending", "Awaiting the PS Team Leader"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SegmentDecision(models.Model):
    """A segment suggestion with its reasons and the case manager's decision (PS-6).
    Segment 3 needs the PS Team Leader's approval before it takes effect on the plan."""

    plan = models.ForeignKey(PsPlan, on_delete=models.CASCADE, related_name="segment_decisions")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    suggested_segment = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, help_text="[{code, segment, text}] read from policy")
    indicators = models.JSONField(default=dict, help_text="the indicators read, by code")
    decided_segment = models.PositiveSmallIntegerField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    needs_approval = models.BooleanField(default=False)
    approval = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.NOT_NEEDED
    )
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)
    previous_segment = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggested_segment__in=[1, 2, 3]) & Q(decided_segment__in=[1, 2, 3]),
                name="ps_segment_1_2_3",
            ),
            models.CheckConstraint(
                condition=Q(needs_approval=True) | Q(approval="not-needed"),
                name="ps_segment_approval_only_when_needed",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(approval="pending"), name="ps_one_pending_segment"
            ),
        ]

    def __str__(self) -> str:
        return f"Segment {self.decided_segment} for plan {self.plan_id}"

    @property
    def effective(self) -> bool:
        return self.approval in (ApprovalState.NOT_NEEDED, ApprovalState.APPROVED)
