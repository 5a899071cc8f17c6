"""The letters app's refusals. Messages name what is wrong, never a personal value."""

from typing import Any

from cma.errors import NotFound, PermissionDenied, Unmet, ValidationFailed


class LetterRefused(Unmet):
    """Issuing (or previewing) was refused; `details` lists every problem at once,
    each with a stable `code` as well as `field` and `message`."""

    code = "letter-refused"

    @classmethod
    def from_problems(cls, summary: str, problems: list[Any]) -> "LetterRefused":
        details = [p.as_detail() for p in problems]
        first_field = problems[0].field if len(problems) == 1 else None
        text = summary + ": " + "; ".join(p.message for p in problems)
        return cls(text, field=first_field, details=details)


class LetterNotFound(NotFound):
    code = "letter-not-found"


class LetterAccessDenied(PermissionDenied):
    code = "letter-access-denied"


class LetterIntegrityError(ValidationFailed):
    """The stored PDF no longer matches its checksum."""

    code = "letter-integrity"
    http_status = 409
