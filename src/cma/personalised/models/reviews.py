"""Segment 3 reactive management (PS-18): the review the case manager records at the
end of each review period (at most 3 months, policy), its outcome and what follows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import Customer
from cma.notes.models import SensitiveIndicator
from cma.personalised.models.plans import PsPlan, SegmentDecision
from cma.work.models import Intray

USER = settings.AUTH_USER_MODEL


class ReviewState(models.TextChoices):
    PROPOSED = "proposed", "Awaiting the PS Team Leader's approval of segment 3"
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due: review intray raised"
    DONE = "done", "Reviewed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_REVIEW_STATES = (ReviewState.PROPOSED, ReviewState.SCHEDULED, ReviewState.DUE)


class PsReview(models.Model):
    """One segment 3 review period: set by a segment 3 decision (the date takes effect
    on the PS Team Leader's approval, and becomes the sensitive indicator's review
    date), raised as an intray by the periodic sweep on its date, then recorded by the
    case manager: `outcome` a code of policy ps-review-outcomes (extend / segment-2),
    `indicator_action` of ps-review-indicator-actions, `next_step` of
    ps-review-next-steps (back to resolving or to finalising)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(PsPlan, on_delete=models.PROTECT, related_name="reviews")
    segment_decision = models.ForeignKey(
        SegmentDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="following"
    )
    indicator = models.ForeignKey(
        SensitiveIndicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField()
    state = models.CharField(max_length=10, choices=ReviewState.choices)
    intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, blank=True)
    indicator_action = models.CharField(max_length=20, blank=True)
    next_step = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True, help_text="checked text")
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["state", "review_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(state__in=["proposed", "scheduled", "due"]),
                name="ps_one_open_review",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(reviewed_at__isnull=False) & ~Q(outcome=""),
                name="ps_review_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Segment 3 review of plan {self.plan_id} on {self.review_on}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REVIEW_STATES
