"""Load the policy YAML files into the database: validated, versioned, idempotent."""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import transaction

from cma.errors import ValidationFailed

from . import models
from .schemas import SCHEMAS

DATA_DIR = Path(__file__).parent / "data"
# Load order matters: intray types refer to business areas.
FILES = ["business_areas", "intray_types", "parameters", "letters"]


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


def parse(path: Path) -> tuple[dict[str, Any], str]:
    """Parse and validate one policy file; raise PolicyFileError naming file, line, field."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PolicyFileError(f"{path.name}:{line}: not valid YAML ({exc})") from None
    schema = SCHEMAS[path.stem]
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        err = errors[0]
        where = list(err.path)
        field = ".".join(str(p) for p in where) or "(top level)"
        line = _line_of(node, where) if node is not None else 1
        raise PolicyFileError(f"{path.name}:{line}: field {field}: {err.message}", field=field)
    return data, hashlib.sha256(text.encode()).hexdigest()


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
    items = data[name]
    if name == "business_areas":
        _upsert(models.BusinessArea, "code", [{"active": True, **i} for i in items])
    elif name == "intray_types":
        areas = {a.code: a for a in models.BusinessArea.objects.all()}
        rows = []
        for i, item in enumerate(items):
            row = {"active": True, **item}
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
    elif name == "parameters":
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
        optional = {
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
    """Validate every file first, then load them all in one transaction."""
    parsed = []
    for name in FILES:
        path = data_dir / f"{name}.yaml"
        if not path.exists():
            raise PolicyFileError(f"{path}: policy file missing")
        parsed.append((name, *parse(path)))
    reports = []
    with transaction.atomic():
        for name, data, digest in parsed:
            count = _apply(name, data)
            _, created = models.PolicyFile.objects.get_or_create(
                name=name, sha256=digest, defaults={"version": data["version"]}
            )
            reports.append(LoadReport(name, data["version"], created, count))
    return reports
