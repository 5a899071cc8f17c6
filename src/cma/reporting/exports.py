"""CSV exports (FILE-1, FILE-2): RFC 4180 (comma, double quotes, CRLF), streamed row by
row so a large export never sits in memory, every cell safe to open in a spreadsheet,
and a file name the server makes."""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from cma.inputs import FORMULA_START

_NAME_PART = re.compile(r"[^a-z0-9-]+")


def safe_cell(value: Any) -> str:
    """The cell's text, never starting a formula and never holding a NUL."""
    text = "" if value is None else str(value)
    # A leading apostrophe makes a would-be formula text; a leading NUL is dropped below
    # and must not hide what follows it.
    if text.startswith((*FORMULA_START, "\0")):
        text = "'" + text
    return text.replace("\0", "")


class _Line:
    """A file-like object that hands back what csv.writer writes, one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def file_name(subject: str, at: datetime | None = None) -> str:
    """`cma-<subject>-<YYYYMMDD-HHMMSS>.csv`, from the server's own words only."""
    stamp = timezone.localtime(at or timezone.now()).strftime("%Y%m%d-%H%M%S")
    part = _NAME_PART.sub("-", subject.lower()).strip("-") or "export"
    return f"cma-{part}-{stamp}.csv"


def csv_response(
    subject: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(subject)}"'
    response["Cache-Control"] = "no-store"
    return response
