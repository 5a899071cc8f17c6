"""Text folded for matching protected details in any case, spacing or Unicode form.

`fold(text)` maps each character through compatibility decomposition (NFKD: full-width
and styled letters and digits, ligatures), drops accents and invisible format
characters (zero-width spaces, soft hyphens, direction marks), folds case, turns any
decimal digit into ASCII and Cyrillic or Greek look-alike letters into Latin ones,
and collapses every run of whitespace to one space. Punctuation stays: the patterns
decide what may separate words (and "$2,899.50" must stay an amount).

It also returns, for each folded character, the index of the original character it
came from, so a match in the folded text is a span of the original.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Cyrillic and Greek letters that look Latin, typed to slip past filters ("Katoomba"
# with a Cyrillic a). Lower case only: applied after case folding.
_LOOKALIKES = str.maketrans(
    "\u0430\u0432\u0435\u0451\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445\u0456\u0457\u0458\u0455\u04bb\u0501\u051b\u051d"
    "\u03b1\u03b2\u03b5\u03b7\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u03c9",
    "abeekmhopctyxiijshdqwabenikvoptuxw",
)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if unicodedata.category(ch) == "Cf":
        return ""
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    parts = []
    for c in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(c):
            continue
        digit = unicodedata.decimal(c, None)
        parts.append(str(digit) if digit is not None else c)
    folded = "".join(parts).casefold().translate(_LOOKALIKES)
    return " " if folded.isspace() else folded


@dataclass(frozen=True)
class Folded:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original of folded character i
    length: int  # of the original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded characters start..end (end exclusive)."""
        if start >= end:
            return (self.origin[start] if start < len(self.origin) else self.length,) * 2
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for c in _fold_char(ch):
            if c == " " and (not out or out[-1] == " "):
                continue  # one space for any run of whitespace (and none leading)
            out.append(c)
            origin.append(index)
    return Folded("".join(out), tuple(origin), len(text))


def fold_value(value: str) -> str:
    """A stored value folded the same way, trimmed."""
    return fold(value).text.strip()
