"""`{% load cma_format %}`: the agency's one way to write each kind of value (see
cma.formats): `|day` "1 Dec 2026", `|time_of_day` "6:36 pm", `|money` "$16,519.00",
`|phone` "0491 570 156" (Australian) or "+44 7700 900123" (elsewhere)."""

from django import template

from cma import formats

register = template.Library()

register.filter("day", formats.day, is_safe=True)
register.filter("time_of_day", formats.time_of_day, is_safe=True)
register.filter("money", formats.money, is_safe=True)
register.filter("phone", formats.phone)
