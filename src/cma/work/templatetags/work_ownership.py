"""`{% ownership_notice customer %}`: on a page where an officer is about to act on a
customer (add work, write a note or a letter, change the lock), who else holds them
(CMA-5), said before the form."""

from django import template

from cma.customers.models import Customer

from .. import selectors
from ..ownership import ownership_notice as notice_for

register = template.Library()


@register.inclusion_tag("work/_ownership_notice.html", takes_context=True)
def ownership_notice(context, customer) -> dict:
    request = context.get("request")
    if request is None or not isinstance(customer, Customer) or customer.pk is None:
        return {}
    actor = request.user
    if not actor.has_perm("work.view_work"):
        return {}
    return {"notice": notice_for(actor, selectors.active_lock_for(customer))}
