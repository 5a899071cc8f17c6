"""Shared helpers for the contact-attempt plan tests: customers with numbers, moving a
plan back in time (attempts are stamped with the time they are recorded), and
overseas zones inside and outside callable hours right now."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.contact import services
from cma.contact.models import ContactAttempt, ContactPlan
from cma.contact.needs import callable_now
from cma.contact.plan_selectors import plans_queryset, statuses
from tests.factories import ContactDetailFactory, CustomerFactory

# Spread round the clock: at any moment some are inside 08:00-20:00 and some outside.
OVERSEAS = [
    ("NZ", "Pacific/Auckland"),
    ("JP", "Asia/Tokyo"),
    ("AE", "Asia/Dubai"),
    ("GB", "Europe/London"),
    ("US", "America/New_York"),
    ("US", "America/Los_Angeles"),
]


def customer_with(*kinds: str, **fields):
    customer = CustomerFactory(**fields)
    for kind in kinds:
        ContactDetailFactory(customer=customer, kind=kind)
    return customer


def overseas_customer(*kinds: str, callable: bool):
    """An overseas customer whose local time now is (or is not) within call hours."""
    for country, zone in OVERSEAS:
        customer = customer_with(*kinds, country=country, state="", time_zone=zone, postcode="1010")
        if callable_now(customer) == callable:
            return customer
        customer.phones.all().delete()
        customer.delete()
    raise AssertionError("no zone fits; extend OVERSEAS")


def attempt(plan, actor, number_type="mobile", outcome="no-answer", channel="phone", **kw):
    return services.record_attempt(
        plan=plan,
        actor=actor,
        channel=channel,
        number_type=number_type,
        outcome=outcome,
        **kw,
    )


def call_all(plan, actor, *kinds, channel="phone"):
    for kind in kinds:
        attempt(plan, actor, kind, channel=channel)


def shift_back(plan, hours: float) -> None:
    """Pretend the plan and its attempts happened `hours` earlier."""
    delta = timedelta(hours=hours)
    ContactPlan.objects.filter(pk=plan.pk).update(created_at=F("created_at") - delta)
    ContactAttempt.objects.filter(plan=plan).update(at=F("at") - delta)


def status_of(plan, now=None):
    fresh = plans_queryset().select_related("customer").get(pk=plan.pk)
    return statuses([fresh], fresh.customer, now or timezone.now())[0].status


def head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def rows_since(before: int) -> list[tuple[str, str]]:
    return list(
        AuditRecord.objects.filter(pk__gt=before).order_by("pk").values_list("action", "outcome")
    )
