"""The letter catalogue as the letters app reads it: which inputs a template takes,
what each accepts, and how its body turns into text.

Templates are policy data (`cma.policy.models.LetterTemplate`, loaded from
policy/data/letters.yaml). A body is a Django template rendered with autoescape off
into plain text; the whole text is escaped afterwards, so nothing a template or a
value contains can become markup in the letter.
"""

from dataclasses import dataclass, field

from django.template import Context, Engine
from django.template.base import VariableNode

from cma.policy.models import LetterTemplate, PolicyFile

# Names every body may use without listing them in required_fields.
STANDARD_NAMES = ("customer_name", "reference", "date", "officer_name", "response_due")
MAX_FIELD_LENGTH = 2000

# No loaders: a body cannot include or extend another template.
_ENGINE = Engine(loaders=[], autoescape=False, string_if_invalid="", debug=False)


@dataclass(frozen=True)
class FieldSpec:
    """One officer input of a template."""

    name: str
    label: str
    kind: str  # "text", "date" or "choice"
    choices: dict[str, str] = field(default_factory=dict)


def field_specs(template: LetterTemplate) -> list[FieldSpec]:
    specs = []
    for name in template.required_fields:
        label = name.replace("_", " ").capitalize()
        if name == "reason" and template.reasons:
            specs.append(FieldSpec(name, "Reason (pre-approved text)", "choice", template.reasons))
        elif name == "request_type" and template.request_types:
            specs.append(FieldSpec(name, "What we ask for", "choice", template.request_types))
        elif name.endswith("_date"):
            specs.append(FieldSpec(name, label, "date"))
        else:
            specs.append(FieldSpec(name, label, "text"))
    return specs


def requests_response(template: LetterTemplate) -> bool:
    return bool(template.response_working_days or template.response_days_parameter)


def body_names(template: LetterTemplate) -> set[str]:
    """Every variable name a body refers to (for checking policy data)."""
    compiled = _ENGINE.from_string(template.body)
    names = set()
    for node in compiled.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if lookups:
            names.add(lookups[0])
    return names


def render_body_text(template: LetterTemplate, context: dict[str, str]) -> str:
    """The body as plain text, values in place; callers escape it before any HTML."""
    text = _ENGINE.from_string(template.body).render(Context(context, autoescape=False))
    return text.strip()


def letters_policy_version() -> str:
    row = PolicyFile.objects.filter(name="letters").order_by("-loaded_at", "-id").first()
    return row.version if row else ""


def active_templates() -> list[LetterTemplate]:
    return list(LetterTemplate.objects.filter(active=True).order_by("code"))
