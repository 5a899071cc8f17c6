"""`{% notifications_label %}`: the Team Leader's navigation link names how many of
their notifications wait to be acknowledged (CON-15)."""

from django import template

from cma.contact.selectors_slots import open_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_label(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "Notifications"
    count = open_notification_count(user)
    return f"Notifications ({count} open)" if count else "Notifications"
