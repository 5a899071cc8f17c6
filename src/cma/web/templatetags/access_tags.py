"""`{% emergency_banner customer %}`: shown on every page about a customer while the
officer's break-the-glass access lasts (SEC-1)."""

from django import template

from cma.customers import access
from cma.customers.emergency import live_grant
from cma.customers.models import Customer

register = template.Library()


@register.inclusion_tag("web/_emergency_banner.html", takes_context=True)
def emergency_banner(context, customer) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(customer, Customer) or customer.pk is None or user is None:
        return {}
    if not user.is_authenticated:
        return {}
    # Only a protected customer is seen through a grant (the door's decision, cached).
    if not access.flags(customer):
        return {"grant": None}
    return {"grant": live_grant(user, customer)}
