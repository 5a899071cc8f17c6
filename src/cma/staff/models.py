"""Staff users, teams, roles and API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from cma.calendar.workdays import STATES
from cma.policy.models import BusinessArea


class Role(models.TextChoices):
    SERVICE_OFFICER = "service_officer", "Service Officer"
    TEAM_LEADER = "team_leader", "Team Leader"
    SPECIALIST_OFFICER = "specialist_officer", "Specialist Officer / Decision Maker"
    PS_CASE_MANAGER = "ps_case_manager", "PS Case Manager"
    PS_TEAM_LEADER = "ps_team_leader", "PS Team Leader"
    NATIONAL_MANAGER_QCC = "national_manager_qcc", "National Manager, Quality & Customer Complaints"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that see customer records at all (administrators and auditors do not).
CUSTOMER_FACING_ROLES = frozenset(
    {
        Role.SERVICE_OFFICER,
        Role.TEAM_LEADER,
        Role.SPECIALIST_OFFICER,
        Role.PS_CASE_MANAGER,
        Role.PS_TEAM_LEADER,
        Role.NATIONAL_MANAGER_QCC,
    }
)
LEADER_ROLES = frozenset({Role.TEAM_LEADER, Role.PS_TEAM_LEADER, Role.NATIONAL_MANAGER_QCC})


def role_labels(roles) -> str:
    """Role codes as people read them: "Team Leader or PS Team Leader"."""
    labels = [Role(r).label if r in Role.values else str(r) for r in roles]
    if len(labels) < 2:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


# The functional API with (name, value) pairs is valid Django; the stub knows only names.
StateCode = models.TextChoices("StateCode", [(s, s) for s in STATES])  # type: ignore[call-overload]


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    state = models.CharField(
        max_length=3, choices=StateCode.choices, help_text="Office state; sets working days."
    )
    business_area = models.ForeignKey(BusinessArea, on_delete=models.PROTECT, related_name="teams")
    leader = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SERVICE_OFFICER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def business_area_id(self) -> int | None:
        return self.team.business_area_id if self.team_id else None


class ApiToken(models.Model):
    """An integration token: shown once, stored only as its SHA-256 digest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    customer_facing = models.BooleanField(
        default=False, help_text="Used by a customer-facing integration: never sees internal data."
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
