"""Loading the macros (DOC-2): checks across a macro's parts, then upsert."""

import re
from typing import Any

from . import models

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def problems(data: dict[str, Any]) -> list[tuple[list[Any], str]]:
    """Per-macro problems as (path, message): duplicate field names, placeholders or
    allowed-personal-information entries naming no field, choice fields without choices."""
    found: list[tuple[list[Any], str]] = []
    for i, macro in enumerate(data["macros"]):
        names: set[str] = set()
        for j, field in enumerate(macro["fields"]):
            if field["name"] in names:
                found.append((["macros", i, "fields", j, "name"], "field name already used"))
            names.add(field["name"])
            if field["kind"] == "choice" and not field.get("choices"):
                found.append((["macros", i, "fields", j], "a choice field needs choices"))
            if field["kind"] != "choice" and field.get("choices"):
                found.append((["macros", i, "fields", j, "choices"], "only choice fields"))
        for name in PLACEHOLDER.findall(macro["output"]):
            if name not in names:
                found.append((["macros", i, "output"], f"placeholder {{{name}}} names no field"))
        for j, name in enumerate(macro.get("allowed_personal_information", [])):
            if name not in names:
                path = ["macros", i, "allowed_personal_information", j]
                found.append((path, f"{name!r} names no field"))
    return found


def apply(data: dict[str, Any]) -> int:
    seen = []
    for item in data["macros"]:
        row = {
            "description": "",
            "allowed_personal_information": [],
            "roles": [],
            "function": "general",
            **item,
        }
        code = row.pop("code")
        models.Macro.objects.update_or_create(code=code, defaults={"active": True, **row})
        seen.append(code)
    # Macros removed from the file stay for the notes that used them, but stop being offered.
    models.Macro.objects.exclude(code__in=seen).update(active=False)
    return len(data["macros"])
