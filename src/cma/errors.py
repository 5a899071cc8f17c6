"""One error base for broken business rules, rendered once by the API and the pages."""

from typing import Any


class DomainError(Exception):
    """A rule was broken. `code` is stable for clients; `message` is for people."""

    code = "domain-error"
    http_status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.details = details or []

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "details": self.details,
        }


class NotFound(DomainError):
    code = "not-found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "permission-denied"
    http_status = 403


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class ValidationFailed(DomainError):
    code = "validation-failed"
    http_status = 422


class Unmet(ValidationFailed):
    """A refusal listing every unmet condition at once (in `details`)."""

    code = "conditions-unmet"

    @classmethod
    def from_problems(cls, summary: str, problems: list[tuple[str | None, str]]) -> "Unmet":
        details = [{"field": f, "message": m} for f, m in problems]
        first_field = problems[0][0] if len(problems) == 1 else None
        text = summary + ": " + "; ".join(m for _, m in problems)
        return cls(text, field=first_field, details=details)
