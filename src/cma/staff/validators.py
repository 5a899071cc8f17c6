"""Password rules beyond Django's own (AUTH-3, ASVS 6.2.11): no context words."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# The agency, the product and the roles people here would reach for first. Checked
# against the password with case, spaces, punctuation and common digit-for-letter
# swaps removed, so "Child-Support!" and "w0rkb3nch" are caught too.
CONTEXT_WORDS = (
    "childsupport",
    "workbench",
    "cma",
    "customermanagement",
    "servicesaustralia",
    "personalisedservices",
    "serviceofficer",
    "teamleader",
    "specialistofficer",
    "decisionmaker",
    "casemanager",
    "nationalmanager",
    "auditor",
    "administrator",
    "admin",
    "payer",
    "payee",
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def _forms(text: str) -> set[str]:
    """The password as letters and digits only, and with digit-for-letter swaps undone."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    plain = re.sub(r"[\W_]+", "", folded)
    unleet = re.sub(r"[\W_]+", "", folded.translate(_LEET))
    return {plain, unleet, unleet.replace("i", "l")}


class ContextWordValidator:
    """Refuse passwords containing the agency's, the product's or a role's name."""

    def __init__(self, words: list[str] | tuple[str, ...] | None = None) -> None:
        self.words = tuple(w.casefold() for w in (words or CONTEXT_WORDS))

    def validate(self, password: str, user: object = None) -> None:
        forms = _forms(password)
        found = sorted({w for w in self.words if any(w in f for f in forms)})
        if found:
            raise ValidationError(
                "This password contains a word people would guess here (%(words)s).",
                code="password_context_word",
                params={"words": ", ".join(found)},
            )

    def get_help_text(self) -> str:
        return (
            "Your password can't contain the name of the agency, of this system or of a staff role."
        )
