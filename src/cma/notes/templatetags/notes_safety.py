"""`{% safety_banner customer %}`: the warnings every page about a customer shows
before any detail (DOC-6 Separating Safely; DOC-7 restricted service)."""

from django import template

from cma.customers.contact_rules import channel_label
from cma.customers.models import Customer
from cma.privacy.separating import BANNER, is_at_risk

from ..contact import effective_preference
from ..models import Channel
from ..restricted import active_restriction

register = template.Library()


@register.inclusion_tag("notes/_safety_banner.html")
def safety_banner(customer) -> dict:
    if not isinstance(customer, Customer) or customer.pk is None:
        return {}
    restriction = active_restriction(customer)
    channels = (
        ", ".join(Channel(c).label.lower() for c in restriction.allowed_channels)
        if restriction
        else ""
    )
    preferred = (
        effective_preference(customer.preferred_contact_method, restriction.allowed_channels)
        if restriction
        else ""
    )
    return {
        "at_risk": is_at_risk(customer),
        "banner_text": BANNER,
        "restriction": restriction,
        "restriction_channels": channels,
        # The same preferred channel as the customer's details panel (DOC-7).
        "restriction_preferred": channel_label(preferred) if preferred else "",
    }
