"""Contact with customers (seed 001): interactions and their identity checks, contact
attempt plans and attempts, messages, SMS, transfers, call endings, Team Leader
notifications and the telephony platform's events.

No table here stores a phone number: an attempt, a message or an interaction records
the number's *type* (CON-5); an SMS points at the contact detail it went to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cma.customers.models import (
    AlternativeContact,
    AuthorisedRepresentative,
    Case,
    ContactDetail,
    Customer,
)
from cma.policy.models import BusinessArea
from cma.staff.models import Team

USER = settings.AUTH_USER_MODEL


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    NRS = "nrs", "National Relay Service"
    TTY = "tty", "TTY"
    INTERPRETER = "interpreter", "Phone with an interpreter"
    SMS = "sms", "SMS"
    FACE_TO_FACE = "face-to-face", "Face to face"


CALL_CHANNELS = (Channel.PHONE, Channel.NRS, Channel.TTY, Channel.INTERPRETER)


class Party(models.TextChoices):
    CUSTOMER = "customer", "The customer"
    REPRESENTATIVE = "representative", "Authorised representative"
    ALTERNATIVE_CONTACT = "alternative-contact", "Alternative contact"
    THIRD_PARTY = "third-party", "Third party"


class NumberType(models.TextChoices):
    NONE = "", "No number"
    MOBILE = "mobile", "Mobile"
    HOME = "home", "Home"
    WORK = "work", "Work"
    INTERNATIONAL = "international", "International"


class Identity(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Not yet confirmed"
    CONFIRMED = "confirmed", "Confirmed"
    FAILED = "failed", "Not confirmed"
    DISPUTED = "disputed", "Disputed: potential identity mismatch"


class EndReason(models.TextChoices):
    COMPLETED = "completed", "Call completed"
    AGGRESSIVE = "aggressive", "Ended for aggressive behaviour after a warning"
    AGAINST_WISHES = "against-wishes", "Ended against the customer's wishes"
    HOLD_TIMEOUT = "hold-timeout", "Customer did not return from hold"
    DISCONNECTED = "disconnected", "Disconnected"
    TRANSFERRED = "transferred", "Transferred"
    PLATFORM = "platform", "Ended by the telephony platform"


class Interaction(models.Model):
    """One contact: a call, an SMS exchange or a meeting. The context of everything
    done on it; `receipt` is what the customer is given (CON-16)."""

    receipt = models.CharField(max_length=9, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="interactions")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="interactions")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    party = models.CharField(max_length=20, choices=Party.choices, default=Party.CUSTOMER)
    representative = models.ForeignKey(
        AuthorisedRepresentative, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alternative_contact = models.ForeignKey(
        AlternativeContact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number_type = models.CharField(max_length=15, choices=NumberType.choices, blank=True)
    # The purpose of an outbound call (a code of the contact purposes): never shown
    # before identity is confirmed (CON-9).
    purpose = models.CharField(max_length=60, blank=True)
    plan = models.ForeignKey(
        "ContactPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    # The telephony call id, or "desk:<officer id>" for one opened by hand: one open
    # interaction per line.
    line = models.CharField(max_length=80)
    ivr_reference = models.CharField(max_length=40, blank=True)
    attested = models.BooleanField(
        default=False, help_text="Opened by the telephony platform for an inbound call."
    )
    survey_opt_in = models.BooleanField(default=False)
    identity = models.CharField(
        max_length=12, choices=Identity.choices, default=Identity.UNCONFIRMED
    )
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    on_hold_since = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    warning = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    survey_handed_over = models.BooleanField(default=False)
    call_back_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["customer", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(ended_at=None), name="one_open_interaction_per_line"
            ),
            models.CheckConstraint(
                condition=Q(ended_at=None) | ~Q(end_reason=""), name="ended_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Interaction {self.receipt}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def confirmed(self) -> bool:
        return self.identity == Identity.CONFIRMED


class IdentityCheck(models.Model):
    """One identity confirmation attempt: which questions matched, never the answers."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="checks")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    asked = models.JSONField(default=list)
    matched = models.JSONField(default=list)
    result = models.CharField(max_length=12, choices=Identity.choices)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Identity check {self.pk}: {self.result}"


class PlanState(models.TextChoices):
    OPEN = "open", "Attempts in progress"
    CONTACTED = "contacted", "Contact made"
    LETTER_ISSUED = "letter-issued", "Request letter issued"
    UNSUCCESSFUL = "unsuccessful", "Attempts completed, unsuccessful"
    CANCELLED = "cancelled", "Cancelled"


class ContactPlan(models.Model):
    """The attempts owed for one outbound purpose (CON-1..CON-4). Its state is
    derived from its attempts (`cma.contact.plans`); the stored `state` is that
    derivation's last result, kept for lists and the sweep."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="contact_plans")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=60)
    # What the plan is for in another app, e.g. "decision:12" (CMA-6).
    subject = models.CharField(max_length=60, blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="contact_plans")
    additional_attempts = models.BooleanField(default=False)
    employer_non_compliant = models.BooleanField(default=False)
    state = models.CharField(max_length=14, choices=PlanState.choices, default=PlanState.OPEN)
    next_due_at = models.DateTimeField(null=True, blank=True)
    step_intray = models.ForeignKey(
        "work.Intray", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_due_at"], condition=Q(closed_at=None), name="plan_due_open"),
            models.Index(fields=["subject"], name="plan_subject"),
        ]

    def __str__(self) -> str:
        return f"Contact plan {self.pk} ({self.purpose})"


class AttemptOutcome(models.TextChoices):
    CONTACT_MADE = "contact-made", "Contact made"
    NO_ANSWER = "no-answer", "No answer"
    VOICEMAIL = "voicemail", "Voicemail, professional message left"
    NOT_CUSTOMER = "not-customer", "Answered by someone else"
    ENGAGED = "engaged", "Engaged"
    DISCONNECTED = "disconnected", "Number disconnected"
    SMS_SENT = "sms-sent", "Pre-call SMS sent"
    LETTER_ISSUED = "letter-issued", "Letter issued instead of a call"


class ContactAttempt(models.Model):
    """CON-5: who, when, channel, number type and outcome; never the number."""

    plan = models.ForeignKey(
        ContactPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    party = models.CharField(max_length=20, choices=Party.choices, default=Party.CUSTOMER)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    number_type = models.CharField(max_length=15, choices=NumberType.choices, blank=True)
    outcome = models.CharField(max_length=14, choices=AttemptOutcome.choices)
    # CON-6: a channel the customer did not prefer needs both.
    non_preferred = models.BooleanField(default=False)
    non_preferred_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(non_preferred=False) | ~Q(non_preferred_reason=""),
                name="non_preferred_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Contact attempt {self.pk}: {self.outcome}"


class Recipient(models.TextChoices):
    CUSTOMER_VOICEMAIL = "customer-voicemail", "Customer's voicemail"
    REPRESENTATIVE = "representative", "Authorised representative"
    ALTERNATIVE_CONTACT = "alternative-contact", "Alternative contact"
    THIRD_PARTY = "third-party", "Third party"


class Message(models.Model):
    """A message left for someone (CON-8): a template, plus checked free text."""

    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    template = models.CharField(max_length=60)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.recipient})"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Sms(models.Model):
    """An SMS to a customer's mobile, queued on commit and sent by the configured
    backend; the number is read from the contact detail at send time."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    to = models.ForeignKey(ContactDetail, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        ContactPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms"
    )
    template = models.CharField(max_length=60)
    text = models.CharField(max_length=480)
    status = models.CharField(max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    backend = models.CharField(max_length=40, blank=True)
    provider_id = models.CharField(max_length=80, blank=True)
    error = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SMS"
        verbose_name_plural = "SMS"
        indexes = [
            models.Index(fields=["queued_at"], condition=Q(status="queued"), name="sms_queued")
        ]

    def __str__(self) -> str:
        return f"SMS {self.pk}: {self.status}"


class TransferTarget(models.TextChoices):
    AREA = "area", "Business area"
    TEAM = "team", "Team"
    OFFICER = "officer", "Owning officer"
    EXTERNAL = "external", "External organisation"
    SURVEY = "survey", "Post-call survey"


class Transfer(models.Model):
    """CON-11: where a call went, by which rule; external ones by public number only."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="transfers")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=10, choices=TransferTarget.choices)
    area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_officer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(max_length=60, blank=True)
    rule = models.CharField(max_length=60, blank=True)
    warm = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Transfer {self.pk} to {self.target}"


class Notification(models.Model):
    """Something a Team Leader must see and acknowledge (CON-15: a call ended against
    the customer's wishes)."""

    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="notifications")
    interaction = models.ForeignKey(
        Interaction, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["leader"], condition=Q(acknowledged_at=None), name="notification_open"
            )
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} ({self.kind})"


class TelephonyEvent(models.Model):
    """Every accepted platform event, by its id: a replayed id is refused."""

    event_id = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20)
    call_id = models.CharField(max_length=80)
    received_at = models.DateTimeField(default=timezone.now)
    # Who the caller is, found from the caller number or IVR reference (never stored).
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # ivr_reference, survey_opt_in, number_type, officer: what later events need.
    details = models.JSONField(default=dict, blank=True)
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["call_id"], name="telephony_call")]

    def __str__(self) -> str:
        return f"Telephony event {self.event_id}"
