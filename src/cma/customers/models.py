"""Customers (payers, payees, carers), their cases, children, representatives,
alternative contacts and the account summary fed by the finance system."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from cma.calendar.workdays import STATES

from .timezones import AGENCY_ZONE, zone_for

AGENCY_TZ = ZoneInfo(AGENCY_ZONE)


def agency_today() -> date:
    return timezone.now().astimezone(AGENCY_TZ).date()


class CustomerRole(models.TextChoices):
    PAYER = "payer", "Payer"
    PAYEE = "payee", "Payee"
    CARER = "carer", "Non-parent carer"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    POST = "post", "Post"


class RelayNeed(models.TextChoices):
    NONE = "", "None"
    NRS = "nrs", "National Relay Service"
    TTY = "tty", "TTY"


# The functional API with (name, value) pairs is valid Django; the stub knows only names.
StateCode = models.TextChoices("StateCode", [(s, s) for s in STATES])  # type: ignore[call-overload]


class Customer(models.Model):
    crn = models.CharField("customer reference number", max_length=10, unique=True)
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    role = models.CharField(max_length=10, choices=CustomerRole.choices)
    state = models.CharField(max_length=3, choices=StateCode.choices, blank=True)
    country = models.CharField(max_length=2, default="AU", help_text="ISO 3166 country code")
    time_zone = models.CharField(max_length=64, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    special_contact_considerations = models.TextField(blank=True)
    interpreter_language = models.CharField(max_length=60, blank=True)
    relay_need = models.CharField(max_length=3, choices=RelayNeed.choices, blank=True)
    is_remote = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["family_name", "given_names"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(country="AU") | ~models.Q(state=""),
                name="customer_au_needs_state",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name} ({self.crn})"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def is_overseas(self) -> bool:
        return self.country != "AU"

    @property
    def is_under_18(self) -> bool:
        return age_on(self.date_of_birth, agency_today()) < 18

    @property
    def zone(self) -> str:
        """Where they live decides (CON-13): their state's zone, or their country's."""
        return zone_for(country=self.country, state=self.state, time_zone=self.time_zone)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class PhoneType(models.TextChoices):
    MOBILE = "mobile", "Mobile"
    HOME = "home", "Home"
    WORK = "work", "Work"
    INTERNATIONAL = "international", "International"


class ContactDetail(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(max_length=15, choices=PhoneType.choices)
    number = models.CharField(max_length=20, help_text="E.164 format")
    is_preferred = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} number"


class Case(models.Model):
    case_number = models.CharField(max_length=12, unique=True)
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases_as_payer")
    payee = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases_as_payee")
    started_on = models.DateField()

    class Meta:
        ordering = ["case_number"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(payer=models.F("payee")), name="case_parties_differ"
            )
        ]

    def __str__(self) -> str:
        return self.case_number

    def other_party(self, customer: Customer) -> Customer:
        return self.payee if customer.pk == self.payer_id else self.payer


class Child(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()

    class Meta:
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"


class AuthorisedRepresentative(models.Model):
    """A person or organisation officer who may act for one or many customers."""

    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    customers = models.ManyToManyField(
        Customer, through="RepresentativeAuthority", related_name="representatives"
    )

    def __str__(self) -> str:
        return self.name


class RepresentativeAuthority(models.Model):
    representative = models.ForeignKey(AuthorisedRepresentative, on_delete=models.CASCADE)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "customer"], name="one_authority_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} for {self.customer_id}"


class AlternativeContact(models.Model):
    """Someone the customer nominated to be contacted; never a representative, so no
    case or customer information is disclosed to them (CON-7)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="alternative_contacts"
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=60, help_text="e.g. parent, neighbour, case worker")
    phone = models.CharField(max_length=20)
    ends_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.ends_on >= agency_today()


class ArrangementStatus(models.TextChoices):
    NONE = "none", "None"
    ACTIVE = "active", "Active"
    DEFAULTED = "defaulted", "Defaulted"
    COMPLETED = "completed", "Completed"


class AccountSummary(models.Model):
    """Per case, fed by the finance system's import; read-only here."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="account")
    ongoing_liability = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="Per month, dollars"
    )
    arrears = models.DecimalField(max_digits=12, decimal_places=2)
    last_payment_date = models.DateField(null=True, blank=True)
    payment_arrangement = models.CharField(
        max_length=10, choices=ArrangementStatus.choices, default=ArrangementStatus.NONE
    )
    compliance_flags = models.JSONField(default=list, blank=True)
    dpo_recorded = models.BooleanField("Departure Prohibition Order recorded", default=False)
    # The SCS activity summary counts the PS segment suggestion reads (PS-6).
    step3_complaints = models.PositiveSmallIntegerField("step 3 complaints", default=0)
    compensation_waiver_applications = models.PositiveSmallIntegerField(
        "compensation or waiver applications", default=0
    )
    privacy_breach_claims = models.PositiveSmallIntegerField("privacy breach claims", default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "account summaries"
        constraints = [
            models.CheckConstraint(condition=models.Q(arrears__gte=0), name="arrears_not_negative")
        ]

    def __str__(self) -> str:
        return f"Account for {self.case_id}"


class EmergencyReview(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    REVIEWED = "reviewed", "Reviewed"
    QUERIED = "queried", "Queried"


class EmergencyAccess(models.Model):
    """Break-the-glass (SEC-1): an officer without need-to-know who must help a
    protected customer now states why and gets time-limited access to that customer
    only. Every grant lands in a Team Leader's review list."""

    uses: int  # not a column: set on loaded rows by emergency.review_list

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=40)  # a code of policy `emergency-access-reasons`
    explanation = models.CharField(max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # The officer's team when access was taken: its leaders review the grant.
    team = models.ForeignKey(
        "staff.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_status = models.CharField(
        max_length=10, choices=EmergencyReview.choices, default=EmergencyReview.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["officer", "customer", "-expires_at"], name="emergency_live_idx"),
            models.Index(
                fields=["team", "granted_at"],
                name="emergency_pending_idx",
                condition=models.Q(review_status="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="emergency_expires_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"Emergency access {self.pk} to customer {self.customer_id}"

    def is_live(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())
