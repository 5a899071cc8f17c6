"""Macros (DOC-2): structured note templates held as policy data. Validating a macro's
fields lists every problem at once; rendering produces the note's subject and body."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from cma import formats
from cma.inputs import is_plain_code
from cma.policy.macros import PLACEHOLDER
from cma.policy.models import Macro
from cma.staff.models import role_labels

from .errors import MacroInvalid, MacroNotAllowed

_YES = {True, "yes", "true", "y", "1", "on"}
_NO = {False, "no", "false", "n", "0", "off"}


def active_macros(actor: Any = None) -> list[Macro]:
    macros = list(Macro.objects.filter(active=True).order_by("name"))
    return [m for m in macros if actor is None or may_use(actor, m)]


def get_macro(code: str) -> Macro:
    macro = Macro.objects.filter(code=code, active=True).first() if is_plain_code(code) else None
    if macro is None:
        raise MacroInvalid(f"unknown macro {code!r}", field="macro_code")
    return macro


def may_use(actor: Any, macro: Macro) -> bool:
    return not macro.roles or getattr(actor, "role", None) in macro.roles


def require_use(actor: Any, macro: Macro) -> None:
    if not may_use(actor, macro):
        raise MacroNotAllowed(
            f"DOC-2: only a {role_labels(macro.roles)} may use the {macro.name!r} macro",
            field="macro_code",
        )


@dataclass(frozen=True)
class Prepared:
    subject: str
    body: str
    values: dict[str, str]
    text_fields: dict[str, str]  # every filled text field, by "macro_fields.<name>"
    exempt: list[str]  # those the macro allows to carry personal information (DOC-3)
    allowed: list[str]  # the values of the exempt fields


def _clean(spec: dict, raw: Any) -> tuple[str, str | None]:
    """(normalised value, problem) for one field's raw input."""
    kind, label = spec["kind"], spec["label"]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "", f"{label} is required" if spec.get("required") else None
    if kind == "yesno":
        key = raw.strip().lower() if isinstance(raw, str) else raw
        if key in _YES:
            return "yes", None
        if key in _NO:
            return "no", None
        return "", f"{label}: answer yes or no"
    if not isinstance(raw, str):
        return "", f"{label} must be text"
    value = raw.strip()
    if kind == "choice" and value not in spec["choices"]:
        return "", f"{label}: choose one of {', '.join(spec['choices'])}"
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "", f"{label}: give a date as YYYY-MM-DD"
    limit = spec.get("max_length", 2000)
    if len(value) > limit:
        return "", f"{label} is longer than {limit} characters"
    return value, None


def _display(spec: dict, value: str) -> str:
    if not value:
        return ""
    if spec["kind"] == "choice":
        return spec["choices"][value]
    if spec["kind"] == "date":
        return formats.day(date.fromisoformat(value))
    return value


def render(macro: Macro, values: dict[str, str]) -> str:
    """The output text; a line whose placeholders are all empty is left out."""
    specs = {f["name"]: f for f in macro.fields}
    lines = []
    for line in macro.output.splitlines():
        names = PLACEHOLDER.findall(line)
        shown = {n: _display(specs[n], values.get(n, "")) for n in names}
        if names and not any(shown.values()):
            continue
        # The default binds this line's values (B023); mypy cannot infer such a lambda.
        lines.append(PLACEHOLDER.sub(lambda m, shown=shown: shown[m.group(1)], line))  # type: ignore[misc]
    return "\n".join(lines)


def prepare(macro: Macro, raw: dict[str, Any] | None) -> Prepared:
    """Validate every field (all problems in one refusal) and render the note."""
    raw = dict(raw or {})
    specs = {f["name"]: f for f in macro.fields}
    problems: list[dict[str, str]] = [
        {"field": f"macro_fields.{name}", "message": f"{name!r} is not a field of this macro"}
        for name in raw
        if name not in specs
    ]
    values: dict[str, str] = {}
    for name, spec in specs.items():
        value, problem = _clean(spec, raw.get(name))
        if problem:
            problems.append({"field": f"macro_fields.{name}", "message": problem})
        values[name] = value
    if problems:
        raise MacroInvalid(
            f"The {macro.name} macro cannot be used yet (DOC-2): "
            + "; ".join(p["message"] for p in problems),
            field=problems[0]["field"] if len(problems) == 1 else None,
            details=problems,
        )
    allowed_names = set(macro.allowed_personal_information)
    text_fields = {
        f"macro_fields.{n}": v for n, v in values.items() if specs[n]["kind"] == "text" and v
    }
    exempt = [f"macro_fields.{n}" for n in sorted(allowed_names)]
    allowed = [values[n] for n in allowed_names if values.get(n)]
    return Prepared(macro.subject, render(macro, values), values, text_fields, exempt, allowed)
