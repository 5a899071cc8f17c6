"""Personalised Services (seed 003; PS-1..PS-11): referrals and their actioning
checklist, reallocation, the Personalised Services Plan with its issues and every
version, segment decisions, first contact, face-to-face meetings, letter skips and the
options recorded in the plan.

Codes (referral sources, step codes, reason codes, classifications, option kinds,
checklist items, location kinds) are policy data in `policy/data/personalised.yaml`;
the columns only hold the code. States are fixed by the process, so they are choices.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.contact.models import Interaction
from cma.customers.models import Case, Customer
from cma.letters.models import Letter
from cma.notes.models import Note, SensitiveIndicator, StackingDocument
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
