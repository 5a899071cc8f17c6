"""API shapes shared by every router."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    details: list[dict[str, Any]] = []


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
