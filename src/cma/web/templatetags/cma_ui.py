"""`{% load cma_ui %}`: the design system's pieces that templates cannot spell alone.

{{ field|govuk_widget }}     the field's widget with GOV.UK Frontend's classes
{{ field|error_anchor }}     the id an error summary links to (a group's first option)
{% alert "warning" %}…{% endalert %}   an MoJ Frontend alert (information, success,
                                       warning, error) with its icon
"""

from django import template
from django.forms import BoundField
from django.template.loader import render_to_string

register = template.Library()

# GOV.UK Frontend's class (and error modifier) for each of Django's widget types.
WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
}
NARROW = {"date": "govuk-input--width-10", "number": "govuk-input--width-5"}
CHOICE_GROUPS = ("radioselect", "checkboxselectmultiple")


@register.filter
def govuk_widget(field: BoundField) -> str:
    base = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [base]
    input_type = getattr(field.field.widget, "input_type", "")
    if base == "govuk-input" and input_type in NARROW:
        classes.append(NARROW[input_type])
    if field.errors:
        classes.append(f"{base}--error")
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": " ".join([*classes, existing]).strip()})


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return field.widget_type in CHOICE_GROUPS


@register.filter
def error_anchor(field: BoundField) -> str:
    """A group of radios or checkboxes has no single input: link to its first option."""
    if field.widget_type in CHOICE_GROUPS:
        return f"{field.auto_id}_0"
    return field.id_for_label


ALERT_VARIANTS = ("information", "success", "warning", "error")


class AlertNode(template.Node):
    def __init__(self, variant, role, nodelist) -> None:
        self.variant, self.role, self.nodelist = variant, role, nodelist

    def render(self, context) -> str:
        variant = self.variant.resolve(context)
        if variant not in ALERT_VARIANTS:
            raise template.TemplateSyntaxError(f"alert variant must be one of {ALERT_VARIANTS}")
        return render_to_string(
            "web/_alert.html",
            {
                "variant": variant,
                "role": self.role.resolve(context) if self.role else "",
                "content": self.nodelist.render(context),
            },
        )


@register.tag
def alert(parser, token) -> AlertNode:
    """{% alert "warning" %} or {% alert "error" "alert" %} (the second names the role)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("usage: {% alert VARIANT [ROLE] %}…{% endalert %}")
    nodelist = parser.parse(("endalert",))
    parser.delete_first_token()
    role = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return AlertNode(parser.compile_filter(bits[1]), role, nodelist)
