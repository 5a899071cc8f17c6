"""Collection records, each made on an interaction: Minimum Collection Activity per case
(CMA-1) or the recorded reason it was not done, presenting issues (CMA-3, CMA-4,
CMA-8), payees' collection leads and what the payee was told (CMA-2).

No free text here holds a lead: a lead is kind, name, identifier and country, in their
own columns (shown masked); the only free text (`note`) passes the privacy guard."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.contact.models import Interaction
from cma.customers.models import Case, Customer
from cma.policy.models import BusinessArea
from cma.work.models import Intray

USER = settings.AUTH_USER_MODEL


class McaOutcome(models.TextChoices):
    ADDRESSED = "addressed", "Addressed"
    NOT_APPLICABLE = "not-applicable", "Not applicable"
    DECLINED = "customer-declined", "Customer declined"
    FOLLOW_UP = "follow-up-intray-created", "Follow-up intray created"


# The four things Minimum Collection Activity addresses (seed 000: "payment, care, and
# incomes will be addressed up front and during every customer interaction").
MCA_TOPICS = {
    "payment_ongoing": "Payment: ongoing",
    "payment_arrears": "Payment: arrears",
    "care": "Care",
    "income": "Income",
}


def _outcome(label: str) -> models.CharField:
    return models.CharField(label, max_length=24, choices=McaOutcome.choices)


def _any_follow_up() -> Q:
    q = Q()
    for topic in MCA_TOPICS:
        q |= Q(**{topic: McaOutcome.FOLLOW_UP})
    return q


class McaRecord(models.Model):
    """Minimum Collection Activity for one case in one interaction (CMA-1)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    payment_ongoing = _outcome("Payment: ongoing")
    payment_arrears = _outcome("Payment: arrears")
    care = _outcome("Care")
    income = _outcome("Income")
    follow_up_intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["interaction", "case"]
        constraints = [
            models.UniqueConstraint(fields=["interaction", "case"], name="mca_once_per_case"),
            models.CheckConstraint(
                condition=~_any_follow_up() | Q(follow_up_intray__isnull=False),
                name="mca_follow_up_has_intray",
            ),
        ]

    def __str__(self) -> str:
        return f"MCA for case {self.case_id} on interaction {self.interaction_id}"

    def outcomes(self) -> dict[str, str]:
        return {topic: getattr(self, topic) for topic in MCA_TOPICS}


class McaNotDone(models.Model):
    """The interaction ended without Minimum Collection Activity for every case, and why:
    the officer's recorded reason, or the way the call ended (disconnected, ...)."""

    interaction = models.OneToOneField(Interaction, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    end_reason = models.CharField(max_length=16)
    reason = models.CharField(max_length=300, blank=True)
    missing_cases = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(end_reason="completed") | ~Q(reason=""),
                name="mca_not_done_completed_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"MCA not done on interaction {self.interaction_id}"


class IssueActivity(models.TextChoices):
    COMMON = "common", "Common activity"
    SPECIALISED = "specialised", "Specialised activity"
    EXTERNAL = "external", "Not child support: external service"


class IssueStatus(models.TextChoices):
    RESOLVED = "resolved", "Resolved at first contact"
    ROUTED = "routed", "Routed"
    REFERRED = "referred", "Referred to an external service"


class PresentingIssue(models.Model):
    """One issue a customer raised in an interaction (CMA-4): resolved there by whoever
    took it (CMA-3), routed where the referral guidelines advise (CMA-8), or referred to
    an external organisation with the customer's consent."""

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60, blank=True, help_text="a referral issue kind")
    kind_name = models.CharField(max_length=120)
    activity = models.CharField(max_length=12, choices=IssueActivity.choices)
    status = models.CharField(max_length=10, choices=IssueStatus.choices)
    rule = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    owner_key = models.CharField(max_length=40, blank=True)
    owner_label = models.CharField(max_length=150, blank=True)
    intray = models.ForeignKey(
        Intray, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(max_length=60, blank=True)
    consent = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["customer", "-raised_at"], name="issue_customer_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "kind"], condition=~Q(kind=""), name="issue_kind_once"
            ),
            models.UniqueConstraint(
                fields=["interaction", "organisation"],
                condition=~Q(organisation=""),
                name="issue_referral_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="routed") | Q(intray__isnull=False), name="issue_routed_intray"
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | (Q(consent=True) & ~Q(organisation="")),
                name="issue_referred_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Issue {self.pk} ({self.kind or self.organisation})"


class PayeeLead(models.Model):
    """Collection information from the payee about the payer of a case (CMA-2), routed
    to the area that acts on it with an intray."""

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=60, help_text="a code of policy payee-lead-kinds")
    name = models.CharField(max_length=120)
    identifier = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)
    note = models.CharField(max_length=300, blank=True)
    area = models.ForeignKey(BusinessArea, on_delete=models.PROTECT, related_name="+")
    intray = models.ForeignKey(Intray, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Payee lead {self.pk} ({self.kind})"

    @property
    def masked_identifier(self) -> str:
        """Like a number on record shown to who may not need it: the last 3 only."""
        value = self.identifier.replace(" ", "").replace("-", "")
        if not value:
            return ""
        return "•" * max(len(value) - 3, 1) + value[-3:] if len(value) > 3 else "•" * len(value)


class PayeeUpdateOutcome(models.TextChoices):
    TOLD = "told-action-taken", "Payee told what was done with the new information"
    NOTHING_NEW = (
        "nothing-new-explained",
        "No new information: explained, and told new information will be followed up",
    )


class PayeeUpdate(models.Model):
    """What the payee of a case was told in an interaction (CMA-2)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=24, choices=PayeeUpdateOutcome.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interaction", "case"], name="payee_update_once")
        ]

    def __str__(self) -> str:
        return f"Payee update {self.pk} ({self.outcome})"
