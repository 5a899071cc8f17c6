"""The limits every input meets (VAL-1), shared by the API's schemas (`cma.schemas`),
the staff pages' forms and lookups by code, so that no input the database, the PDF
renderer or the working-day calendar cannot take gets past the edge."""

import re
from datetime import date
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator

# A cell starting with one of these is run as a formula by a spreadsheet (CSV
# injection, FILE-2/FILE-3): imports refuse it, exports make it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Primary keys are 64-bit signed integers; 0 and negatives are never rows.
MAX_ID = 2**63 - 1

# NUL breaks PostgreSQL text and jsonb; other control characters break letters and
# logs. One-line text takes none of them; free text keeps tab, CR and LF.
LINE_FORBIDDEN = "\\x00-\\x1f\\x7f-\\x9f"
TEXT_FORBIDDEN = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
LINE_PATTERN = f"^[^{LINE_FORBIDDEN}]*$"
TEXT_PATTERN = f"^[^{TEXT_FORBIDDEN}]*$"
LINE_BAD = re.compile(f"[{LINE_FORBIDDEN}]")
TEXT_BAD = re.compile(f"[{TEXT_FORBIDDEN}]")

# Days the product reasons about (due dates, reviews, filters). The working-day
# calendar is built per span of years, so year 9999 would be a denial of service even
# where nothing overflows.
MIN_DAY, MAX_DAY = date(1900, 1, 1), date(2099, 12, 31)


def is_plain_code(value: Any, max_length: int = 60) -> bool:
    """Could `value` be a policy code at all? Lookups answer "unknown" otherwise
    instead of sending NUL or a megabyte to the database."""
    return isinstance(value, str) and len(value) <= max_length and not LINE_BAD.search(value)


def day_validators() -> list:
    """For a form's DateField: the same bounds as the API's `Day`."""
    message = "Give a date between 1900 and 2099."
    return [MinValueValidator(MIN_DAY, message), MaxValueValidator(MAX_DAY, message)]
