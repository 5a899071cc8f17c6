"""What the notes app tells the one door (cma.customers.access): which customers are
protected (Separating Safely, sensitive issue indicator, restricted service), who has
need-to-know because of those facts, and who manages a restricted customer."""

from typing import Any

from django.db.models import CharField, Value

from cma.customers import access
from cma.customers.models import Customer
from cma.privacy.separating import seen_at_risk

from .models import RestrictedService, SafetyMarker, SensitiveIndicator


def protection_flags(customer_ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    sources = (
        ("at-risk", SafetyMarker.objects.filter(ended_at=None)),
        ("sensitive", SensitiveIndicator.objects.filter(removed_at=None)),
        ("restricted", RestrictedService.objects.filter(ended_at=None)),
    )
    # One query for the three sources (the door asks on every customer read).
    parts = [
        queryset.filter(customer_id__in=customer_ids)
        .annotate(flag=Value(name, output_field=CharField()))
        .values_list("customer_id", "flag")
        .order_by()
        for name, queryset in sources
    ]
    for pk, name in parts[0].union(*parts[1:], all=True):
        found.setdefault(pk, set()).add(name)
    seen_at_risk(customer_ids, (pk for pk, names in found.items() if "at-risk" in names))
    return found


def recorded_or_contact(actor: Any, customer: Customer) -> str | None:
    """The single point of contact, and whoever recorded the active marker, indicator
    or arrangement (they needed access to record it)."""
    restriction = RestrictedService.objects.filter(customer=customer, ended_at=None)
    if restriction.filter(contact_officer=actor).exists():
        return "single-point-of-contact"
    if (
        SafetyMarker.objects.filter(customer=customer, ended_at=None, marked_by=actor).exists()
        or SensitiveIndicator.objects.filter(
            customer=customer, removed_at=None, created_by=actor
        ).exists()
        or restriction.filter(created_by=actor).exists()
    ):
        return "recorded-the-protection"
    return None


def contact_officer_line(actor: Any, customer: Customer) -> list[access.NoticeLine]:
    arrangement = (
        RestrictedService.objects.filter(customer=customer, ended_at=None)
        .select_related("contact_officer__team")
        .first()
    )
    if arrangement is None or arrangement.contact_officer is None:
        return []
    officer = arrangement.contact_officer
    team = f" ({officer.team.name})" if officer.team_id else ""
    name = officer.get_full_name() or officer.username
    return [access.NoticeLine("managed-by", f"single point of contact {name}{team}")]


def personal_information(text: str, field_name: str) -> None:
    from cma.privacy.guard import ensure_no_personal_information

    ensure_no_personal_information(text, field=field_name)


def register() -> None:
    access.FLAG_PROVIDERS.append(protection_flags)
    access.GRANT_PROVIDERS.append(recorded_or_contact)
    access.NOTICE_PROVIDERS.append(contact_officer_line)
    access.TEXT_CHECKS.append(personal_information)
