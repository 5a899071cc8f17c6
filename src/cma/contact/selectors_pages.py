"""Reads for the contact staff pages (the customer page's Contact panel, the call
screen). Each takes what the page already fetched through the one door: nothing here
admits or audits on its own, and each is one bounded query."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from cma.customers.models import (
    AlternativeContact,
    Case,
    Customer,
    RepresentativeAuthority,
    agency_today,
)
from cma.notes.macros import get_macro
from cma.staff.models import User

from . import policy
from .models import Interaction
from .needs import contact_needs
from .selectors import CallView

RECENT = 5


def recent_interactions(customer: Customer, limit: int = RECENT) -> list[Interaction]:
    """The customer's latest contacts with their receipt numbers (index customer,
    -started_at). The customer page has already audited the customer read."""
    return list(
        Interaction.objects.filter(customer=customer)
        .select_related("officer")
        .order_by("-started_at")[:limit]
    )


def _prefetched(customer: Customer, name: str) -> bool:
    return name in getattr(customer, "_prefetched_objects_cache", {})


def current_representatives(customer: Customer) -> list[RepresentativeAuthority]:
    """Representatives whose authority is current today: the only ones offered (from
    the customer page's read of them when it made one)."""
    today = agency_today()
    if _prefetched(customer, "representativeauthority_set"):
        current = [
            a
            for a in customer.representativeauthority_set.all()
            if a.starts_on <= today and not (a.ends_on and a.ends_on < today)
        ]
        return sorted(current, key=lambda a: a.representative.name)
    return list(
        RepresentativeAuthority.objects.filter(customer=customer, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("representative")
        .order_by("representative__name")
    )


def current_alternative_contacts(customer: Customer) -> list[AlternativeContact]:
    """CON-7: an alternative contact past its end date is not offered."""
    if _prefetched(customer, "alternative_contacts"):
        today = agency_today()
        current = [c for c in customer.alternative_contacts.all() if c.ends_on >= today]
        return sorted(current, key=lambda c: c.name)
    return list(
        AlternativeContact.objects.filter(customer=customer, ends_on__gte=agency_today()).order_by(
            "name"
        )
    )


def cases_count(customer: Customer) -> int:
    return Case.objects.filter(Q(payer=customer) | Q(payee=customer)).count()


def dispute_choices() -> list[tuple[str, str]]:
    """What a person may dispute (CON-10): the SGT macro's own choices, so the page and
    the note the service writes never disagree."""
    macro = get_macro("sgt-referral")
    spec: dict[str, Any] = next((f for f in macro.fields if f["name"] == "disputed"), {})
    return list(spec.get("choices", {}).items())


def call_view_of(interaction: Interaction) -> CallView:
    """The call screen's content for an interaction the caller has already fetched
    through `selectors.interaction_for` (a page showing a refused write again): the
    same gate as `selectors.call_view` (CON-9), but no audit row of its own, since
    the write (or its audited refusal) is the operation's one row."""
    view = CallView(
        interaction=interaction,
        questions=policy.identity_rule().questions,
        needs=contact_needs(interaction.customer),
    )
    if interaction.confirmed and interaction.purpose:
        found = policy.purposes().get(interaction.purpose)
        view.purpose_name = found.name if found else interaction.purpose
    return view


@dataclass(frozen=True)
class Admission:
    """What the call screen may show of the customer behind an interaction."""

    # The officer passed the one door for this customer (an attested call answered
    # but not yet confirmed has not: its officer sees the identity check only).
    admitted: bool
    # Customer details may be shown: admitted and either the caller's identity is
    # confirmed (CON-9) or the interaction is history.
    show_customer: bool


def admission(actor: User, interaction: Interaction) -> Admission:
    mine = interaction.officer_id == actor.pk
    admitted = not (mine and interaction.attested and not interaction.confirmed)
    return Admission(
        admitted=admitted,
        show_customer=admitted and (interaction.confirmed or not interaction.is_open),
    )
