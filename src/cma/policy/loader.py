"""Load the policy YAML files into the database: validated, versioned, idempotent."""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import transaction

from cma.errors import ValidationFailed

from . import macros, models, referral
from .schemas import SCHEMAS

DATA_DIR = Path(__file__).parent / "data"
# Load order matters: intray types refer to business areas.
FILES = [
    "business_areas",
    "intray_types",
    "parameters",
    "letters",
    "referral_guidelines",
    "macros",
    "contact",
    "decisions",
    "personalised",
    "collection",
]


class PolicyFileError(ValidationFailed):
    code = "policy-file-invalid"


@dataclass
class LoadReport:
    name: str
    version: str
    changed: bool
    items: int


def _line_of(node: yaml.Node, path: list[Any]) -> int:
    """Find the 1-based line of the node at `path` in a composed YAML document."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            match = node.value[step] if step < len(node.value) else None
        else:
            match = None
        if match is None:
            break
        node = match
    return node.start_mark.line + 1


def _where(err: jsonschema.ValidationError) -> list[Any]:
    """The path of the offending field, naming a missing or unexpected key itself."""
    where = list(err.path)
    if err.validator == "required" and isinstance(err.instance, dict):
        missing = [k for k in err.validator_value if k not in err.instance]
        if missing:
            where.append(missing[0])
    elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in known]
        if extra:
            where.append(extra[0])
    return where


def _fail(path: Path, node: yaml.Node | None, where: list[Any], message: str, more: int = 0):
    field = ".".join(str(p) for p in where) or "(top level)"
    line = _line_of(node, where) if node is not None else 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    raise PolicyFileError(f"{path.name}:{line}: field {field}: {message}{tail}", field=field)


def _compose(path: Path) -> tuple[str, yaml.Node | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise PolicyFileError(f"{path.name}:{line}: not UTF-8 text", field="(file)") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyFileError(f"{path.name}:{line}: not valid YAML ({problem})") from None
    return text, node, data


def _parse(path: Path) -> tuple[dict[str, Any], str, yaml.Node | None]:
    text, node, data = _compose(path)
    errors = list(jsonschema.Draft202012Validator(SCHEMAS[path.stem]).iter_errors(data))
    if errors:
        # Report the problem nearest the top of the file, like a compiler would.
        located = sorted(
            (
                (_line_of(node, _where(e)) if node is not None else 1, str(_where(e)), e)
                for e in errors
            ),
            key=lambda t: (t[0], t[1]),
        )
        err = located[0][2]
        _fail(path, node, _where(err), err.message, more=len(errors) - 1)
    return data, hashlib.sha256(text.encode()).hexdigest(), node


def parse(path: Path) -> tuple[dict[str, Any], str]:
    """Parse and validate one policy file; raise PolicyFileError naming file, line, field."""
    data, digest, _ = _parse(path)
    return data, digest


# The key each file's entries are identified by (unique within the file).
_KEYS = {
    "business_areas": "code",
    "intray_types": "code",
    "parameters": "key",
    "letters": "code",
    "macros": "code",
}


def _check_together(data_dir: Path, parsed: dict[str, tuple[dict, str, Any]]) -> None:
    """Rules that span entries or files: unique keys, references between files."""
    for name, (data, _, node) in parsed.items():
        key = _KEYS.get(name)
        first: dict[str, int] = {}
        for i, item in enumerate(data[name] if key else []):
            ident = item[key]
            if ident in first:
                _fail(
                    data_dir / f"{name}.yaml",
                    node,
                    [name, i, key],
                    f"{ident!r} is already used by entry {first[ident]}",
                )
            first[ident] = i
    areas = {a["code"] for a in parsed["business_areas"][0]["business_areas"]}
    data, _, node = parsed["intray_types"]
    for i, item in enumerate(data["intray_types"]):
        code = item.get("routes_to_area")
        if code and code not in areas:
            _fail(
                data_dir / "intray_types.yaml",
                node,
                ["intray_types", i, "routes_to_area"],
                f"unknown business area {code!r} (not in business_areas.yaml)",
            )


def _check_referral(data_dir: Path, parsed: dict[str, tuple[dict, str, Any]]) -> None:
    areas = {a["code"] for a in parsed["business_areas"][0]["business_areas"]}
    data, _, node = parsed["referral_guidelines"]
    found = referral.problems(data, areas)
    if found:
        where, message = found[0]
        _fail(data_dir / "referral_guidelines.yaml", node, where, message, more=len(found) - 1)


def _check_macros(data_dir: Path, parsed: dict[str, tuple[dict, str, Any]]) -> None:
    data, _, node = parsed["macros"]
    found = macros.problems(data)
    if found:
        where, message = found[0]
        _fail(data_dir / "macros.yaml", node, where, message, more=len(found) - 1)


def _upsert(model, key: str, rows: list[dict[str, Any]]) -> None:
    seen = []
    for row in rows:
        values = dict(row)
        ident = values.pop(key)
        model.objects.update_or_create(**{key: ident}, defaults=values)
        seen.append(ident)
    # Entries removed from the file stay for history but stop being offered.
    model.objects.exclude(**{f"{key}__in": seen}).update(active=False)


def _apply(name: str, data: dict[str, Any]) -> int:
    if name == "referral_guidelines":
        return referral.apply(data)
    if name == "macros":
        return macros.apply(data)
    items = data[name]
    if name == "business_areas":
        _upsert(models.BusinessArea, "code", [{"active": True, **i} for i in items])
    elif name == "intray_types":
        areas = {a.code: a for a in models.BusinessArea.objects.all()}
        rows = []
        for i, item in enumerate(items):
            # Optional keys left out of the file reset, so removing one takes effect.
            row = {
                "active": True,
                "created_by_roles": [],
                "required_fields": [],
                "system_only": False,
                **item,
            }
            area_code = row.pop("routes_to_area", None)
            if area_code and area_code not in areas:
                raise PolicyFileError(
                    f"intray_types.yaml: field intray_types.{i}.routes_to_area: "
                    f"unknown business area {area_code!r}",
                    field=f"intray_types.{i}.routes_to_area",
                )
            row["routes_to_area"] = areas.get(area_code) if area_code else None
            rows.append(row)
        _upsert(models.IntrayType, "code", rows)
    elif name in ("parameters", "contact", "decisions", "personalised", "collection"):
        for item in items:
            models.Parameter.objects.update_or_create(
                key=item["key"],
                defaults={
                    "value": item["value"],
                    "unit": item["unit"],
                    "description": item.get("description", ""),
                },
            )
    elif name == "letters":
        # Optional keys left out of the file reset to empty, so removing one takes effect.
        optional: dict[str, Any] = {
            "required_fields": [],
            "response_working_days": None,
            "response_days_parameter": "",
            "reasons": {},
            "request_types": {},
            "preconditions": [],
            "is_decision_advice": False,
        }
        rows = [{"active": True, **optional, **i} for i in items]
        _upsert(models.LetterTemplate, "code", rows)
    return len(items)


def load_all(data_dir: Path = DATA_DIR) -> list[LoadReport]:
    """Validate every file first (each alone, then across files), then load them all in
    one transaction, so a bad file loads nothing."""
    data_dir = Path(data_dir)
    parsed: dict[str, tuple[dict[str, Any], str, Any]] = {}
    for name in FILES:
        path = data_dir / f"{name}.yaml"
        if not path.is_file():
            raise PolicyFileError(f"{path}: policy file missing", field="(file)")
        parsed[name] = _parse(path)
    _check_together(data_dir, parsed)
    _check_referral(data_dir, parsed)
    _check_macros(data_dir, parsed)
    reports = []
    with transaction.atomic():
        for name in FILES:
            data, digest, _ = parsed[name]
            count = _apply(name, data)
            _, created = models.PolicyFile.objects.get_or_create(
                name=name, sha256=digest, defaults={"version": data["version"]}
            )
            reports.append(LoadReport(name, data["version"], created, count))
    return reports
