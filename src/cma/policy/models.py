"""Policy held as data: loaded from versioned YAML files by `cma policy load`."""

from django.db import models


class PolicyFile(models.Model):
    """One loaded version of one policy file; the newest row per name is in force."""

    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "sha256"], name="policy_file_once_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class AreaKind(models.TextChoices):
    COMMON = "common", "Common activity"
    SPECIALISED = "specialised", "Specialised area"
    EXCEPTION = "exception", "Exception to the CMA"
    ENABLING = "enabling", "Enabling area (exempt from the CMA)"


class BusinessArea(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    description = models.TextField(blank=True)
    keeps_common_intrays = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cma_applies(self) -> bool:
        return self.kind != AreaKind.ENABLING


class IntrayType(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    service_level_working_days = models.PositiveSmallIntegerField()
    priority = models.PositiveSmallIntegerField(default=3)
    created_by_roles = models.JSONField(default=list, blank=True)
    # Fields a person creating one must fill in (e.g. a PS referral's reason in "note").
    required_fields = models.JSONField(default=list, blank=True)
    # Opened only by the system (a review date, a letter's response due), never by hand.
    system_only = models.BooleanField(default=False)
    routes_to_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def may_be_created_by(self, role: str) -> bool:
        """WRK-6: by hand, by one of `created_by_roles` (empty: any role)."""
        return not self.system_only and (not self.created_by_roles or role in self.created_by_roles)


class Parameter(models.Model):
    """A named policy value (contact rules, day counts) with its unit."""

    key = models.SlugField(max_length=80, unique=True)
    value = models.JSONField()
    unit = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.key


class LetterTemplate(models.Model):
    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=40)
    body = models.TextField()
    required_fields = models.JSONField(default=list, blank=True)
    signatory = models.CharField(max_length=20)
    response_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Per-request-type response times: the parameter maps request type -> working days.
    response_days_parameter = models.CharField(max_length=80, blank=True)
    # Pre-approved texts (CON-4): code -> text for the `reason` field, and
    # request type code -> plain label for the `request_type` field.
    reasons = models.JSONField(default=dict, blank=True)
    request_types = models.JSONField(default=dict, blank=True)
    # Named checks the letters app applies before issuing (e.g. overseas-customer).
    preconditions = models.JSONField(default=list, blank=True)
    is_decision_advice = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ActivityKind(models.TextChoices):
    COMMON = "common", "Common activity (resolve at point of entry)"
    SPECIALISED = "specialised", "Specialised activity"


class ReferralIssueKind(models.Model):
    """A presenting issue the referral guidelines know (CMA-8), with its default route:
    common issues are resolved by whoever takes the contact (CMA-3), specialised ones
    go to `area`."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    activity = models.CharField(max_length=12, choices=ActivityKind.choices)
    area = models.ForeignKey(BusinessArea, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralRule(models.Model):
    """An exception to an issue's default route, tried in `position` order; the first
    rule whose conditions all hold decides (CMA-8). Conditions: customer and officer
    facts (all must hold), the issue's code or activity kind."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    reason = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    customer_facts = models.JSONField(default=list, blank=True)
    officer_facts = models.JSONField(default=list, blank=True)
    issues = models.JSONField(default=list, blank=True)
    unless_issues = models.JSONField(default=list, blank=True)
    activity = models.CharField(max_length=12, choices=ActivityKind.choices, blank=True)
    route_to = models.CharField(max_length=20, blank=True)  # lock-holder | point-of-entry
    route_to_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_to_area = models.ForeignKey(
        BusinessArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Macro(models.Model):
    """A structured note template (DOC-2): fields, which are required, the output text
    (`{field}` placeholders) and which fields may carry personal information (DOC-3)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # [{"name", "label", "kind": text|choice|date|yesno, "required", "choices", "help"}]
    fields = models.JSONField(default=list)
    output = models.TextField()
    allowed_personal_information = models.JSONField(default=list, blank=True)
    # Roles that may use it; empty = every role that works with customers.
    roles = models.JSONField(default=list, blank=True)
    function = models.CharField(max_length=30, default="general")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
