"""FILE-3: cells of an import file that a spreadsheet would run as a formula."""

from typing import Any

from cma.inputs import FORMULA_START

# FILE-3: a cell a spreadsheet would run as a formula (CSV injection). Checked on the raw
# value, before whitespace is stripped, so a leading tab or CR is caught too. A column
# where such a start is legitimate names the characters it may start with: phone
# numbers start with "+" (E.164); amounts and counts are numbers, checked as such, and
# may carry a sign (a negative one is then refused by its own bound).
_FORMULA_OK: dict[str, str] = {
    **dict.fromkeys(("mobile", "home", "work", "international"), "+"),
    **dict.fromkeys(
        (
            "ongoing_liability",
            "arrears",
            "step3_complaints",
            "compensation_waiver_applications",
            "privacy_breach_claims",
        ),
        "+-",
    ),
}


def formula_problem(field: str | None, value: Any) -> str | None:
    texts = value if isinstance(value, list) else [value]
    allowed = _FORMULA_OK.get(field or "", "")
    for text in texts:
        if isinstance(text, str) and text[:1] in FORMULA_START and text[:1] not in allowed:
            return (
                f"starts with {text[:1]!r}, which a spreadsheet would run as a formula; "
                "remove that character"
            )
    return None
