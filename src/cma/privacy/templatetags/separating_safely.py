"""The Separating Safely warning, the same icon and words on every page (DOC-6):
`{% separating_safely_banner %}` at the top of a page about an at-risk customer,
`{% separating_safely_flag %}` in a row or result that names one."""

from django import template

from ..separating import BANNER

register = template.Library()


@register.inclusion_tag("privacy/_banner.html")
def separating_safely_banner() -> dict:
    return {"text": BANNER}


@register.inclusion_tag("privacy/_flag.html")
def separating_safely_flag() -> dict:
    return {"text": BANNER}
