"""The shape of an import file, checked before any row: its size, its encoding and its
header row (FILE-1, VAL-1)."""

from django.conf import settings
from pydantic import BaseModel

from cma.errors import ValidationFailed


class ImportRejected(ValidationFailed):
    code = "import-rejected"


def decode(data: bytes) -> str:
    if len(data) > settings.CMA_MAX_IMPORT_BYTES:
        raise ImportRejected(
            f"file is larger than {settings.CMA_MAX_IMPORT_BYTES} bytes", field="file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            f"line {line}: file is not UTF-8 text (byte {exc.start}); save it as UTF-8",
            field="file",
        ) from None


def check_header(fieldnames: list[str] | None, model: type[BaseModel]) -> None:
    """Unknown or missing columns are one problem with the header, not one per row."""
    if not fieldnames:
        raise ImportRejected("the file has no header row", field="file")
    known = set(model.model_fields)
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    problems = []
    seen: set[str] = set()
    for name in fieldnames:
        if name in seen:
            problems.append({"line": 1, "field": name, "message": "column appears twice"})
        elif name not in known:
            problems.append({"line": 1, "field": name, "message": "unknown column"})
        seen.add(name)
    for name in sorted(required - seen):
        problems.append({"line": 1, "field": name, "message": "required column is missing"})
    if problems:
        raise ImportRejected(
            f"line 1: the header row has {len(problems)} problem(s); nothing was imported",
            field=problems[0]["field"],
            details=problems,
        )
