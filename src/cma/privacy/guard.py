"""The personal-information guard (DOC-3, CON-5): free text is scanned before it is saved.

Refused: phone numbers in any format (libphonenumber's matcher, plus local eight-digit
numbers, explicit international numbers and numbers next to a phone word), email
addresses, street and postal addresses, and the full names, addresses and numbers held
for the parties of the case. Organisations' 13/1300/1800 numbers are not personal.

A finding carries its span so the author can be shown exactly what was found; the
error's message and details carry positions, kinds and hints only, so the personal
information never reaches logs or the audit trail. Separating Safely's findings
(`separating.Protected.find`) use the same `Finding` and the same refusal.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from .errors import PersonalInformationFound, ProtectedDetailsFound

KINDS = {
    "phone": (
        "phone number",
        "Record the type of number instead, e.g. 'attempted to contact on mobile'.",
    ),
    "email": ("email address", "Write 'by email' or 'the email address on record' instead."),
    "address": (
        "street or postal address",
        "Write 'the residential address' or 'the address on record' instead.",
    ),
    "name": (
        "full name of a party",
        "Refer to the person by role, e.g. 'the payer', 'the payee' or 'the child'.",
    ),
}
# DOC-6: a protected detail of an at-risk other party (Separating Safely).
_WITHHELD_HINT = (
    "The other party is protected by Separating Safely: never record where they live or "
    "how to reach them on this record; write 'the other party' instead."
)
KINDS |= {
    f"protected-{kind}": (f"the at-risk party's {label}", _WITHHELD_HINT)
    for kind, label in (
        ("address", "address"),
        ("street", "street"),
        ("locality", "town or suburb"),
        ("postcode", "postcode"),
        ("phone", "phone number"),
        ("email", "email address"),
    )
}


def is_protected_kind(kind: str) -> bool:
    return kind.startswith("protected-")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str = field(repr=False)

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def hint(self) -> str:
        return KINDS[self.kind][1]

    def as_detail(self, field_name: str) -> dict:
        """Position, kind and advice; never the text itself."""
        return {
            "field": field_name,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "message": f"{self.label} at characters {self.start + 1}-{self.end}",
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Party:
    """What is held for one party: names, addresses and phone numbers (E.164 or local)."""

    names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


# --- phone numbers -------------------------------------------------------------------

_PHONE_WORDS = re.compile(
    r"\b(?:ph|phone|phoned|telephone|tel|mob|mobile|cell|landline|fax|sms|text|texted|"
    r"dial|dialled|call|called|ring|rang|try|tried|number is|"
    r"(?:call|called|rang|ring|contact|contacted|reached|reach)\s+(?:\w+\s+)?on)"
    r"\W{0,3}$",
    re.IGNORECASE,
)
# Numbers introduced as references of some kind are not phone numbers.
_REFERENCE_WORDS = re.compile(
    r"\b(?:ref|reference|receipt|invoice|account|acct|bpay|transaction|txn|crn|case|abn|"
    r"acn|medicare|bsb|policy|claim)(?:\s+(?:no|number|num))?\W{0,3}$",
    re.IGNORECASE,
)
_LOCAL_EIGHT = re.compile(r"^\d{4}[ -]\d{4}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[ /.-]\d{1,2}[ /.-]\d{1,4}$")


def _organisation_number(number: phonenumbers.PhoneNumber) -> bool:
    """Australian 13, 1300 and 1800 numbers belong to organisations, not people."""
    return number.country_code == 61 and str(number.national_number).startswith("1")


def _phone_findings(text: str) -> list[Finding]:
    found: dict[tuple[int, int], Finding] = {}
    for match in PhoneNumberMatcher(text, "AU", leniency=Leniency.VALID):
        before = text[max(0, match.start - 25) : match.start]
        if not _organisation_number(match.number) and not _REFERENCE_WORDS.search(before):
            found[(match.start, match.end)] = Finding(
                match.start, match.end, "phone", match.raw_string
            )
    # Numbers libphonenumber cannot validate (local numbers without an area code, test
    # ranges abroad) count when their shape or the words before them say "phone".
    for match in PhoneNumberMatcher(text, "AU", leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        digits = re.sub(r"\D", "", raw)
        if (
            (match.start, match.end) in found
            or len(digits) < 8
            or _organisation_number(match.number)
        ):
            continue
        before = text[max(0, match.start - 25) : match.start]
        if before.rstrip().endswith("$") or _DATE_LIKE.match(raw):
            continue
        if _REFERENCE_WORDS.search(before):
            continue
        explicit = raw.startswith("+") or (raw.startswith("00") and len(digits) >= 11)
        if explicit or _LOCAL_EIGHT.match(raw) or _PHONE_WORDS.search(before):
            found[(match.start, match.end)] = Finding(match.start, match.end, "phone", raw)
    return list(found.values())


# --- email and street addresses ------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+(?:@|\s*\(at\)\s*)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# Spelt out to dodge filters: "jo dot smith at gmail dot com".
_SPELT_EMAIL = re.compile(
    r"\b[\w+-]+(?:\s+dot\s+[\w+-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*"
    r"\s+dot\s+(?:com|net|org|edu|gov|au|nz|uk|io|info|biz|co)\b",
    re.IGNORECASE,
)

_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|av|place|pl|court|ct|crt|drive|dr|drv|crescent|cres|cr|"
    "lane|ln|parade|pde|terrace|tce|way|close|cl|boulevard|boulevarde|blvd|bvd|highway|hwy|"
    "circuit|cct|grove|gr|gve|esplanade|esp|square|sq|parkway|pkwy|rise|mews|walk|track|"
    "trail|loop|vale|ridge|glen|gardens|gdns|alley|arcade|chase|circle|cir|cove|heights|"
    "hts|promenade|quay|retreat|row|wynd|point|view|green|link|outlook|"
    # common misspellings in typed notes
    "steet|stret|sreet|raod|cresent|crecent|terace"
)
# Streets known by a single name: "12 Broadway", "3/7 The Strand".
_NAMED_STREETS = r"(?:the\s+)?(?:broadway|strand|esplanade|corso|boulevarde|kingsway|mall)"
# Words that follow a number in ordinary notes ("3 times a week", "2 kids") and so
# cannot be a street name.
_NOT_STREET_NAMES = {
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per",
    "the", "to", "with", "times", "days", "day", "weeks", "week", "months", "month",
    "years", "year", "hours", "minutes", "kids", "children", "child", "payments",
    "instalments", "nights", "people", "cases", "letters", "calls", "attempts",
    "dollars", "cents", "percent", "working", "business", "calendar", "more", "other",
    "is", "was", "were", "has", "had", "are", "be", "been", "it", "they", "we", "i",
    "he", "she", "you", "not", "no", "out", "up", "off", "over", "under", "about",
    "after", "before", "this", "that", "these", "those", "its", "his", "her", "their",
    "our", "my", "your", "one", "two", "three", "four", "five", "lines",
    # courts are not streets: "3 Family Court hearings"
    "family", "federal", "circuit", "high", "supreme", "magistrates", "district",
    "county", "local", "appeal", "appeals", "childrens", "children's", "youth",
}  # fmt: skip
_NUMBER = r"\d{1,5}[A-Za-z]?(?:\s*[-/]\s*\d{1,5}[A-Za-z]?)?"
_UNIT = r"(?:(?:unit|u|flat|apt|apartment|suite|shop|lot|level)\s*\d{1,4}[A-Za-z]?\s*[,/]?\s*)?"
_STREET = re.compile(
    rf"(?<![\w$.,/])(?:{_UNIT}){_NUMBER}\s+(?:(?P<name>(?:[A-Za-z][A-Za-z'\u2019-]*\s+){{1,3}}?)"
    rf"(?P<type>{_STREET_TYPES})|{_NAMED_STREETS})\b",
    re.IGNORECASE,
)
_POSTAL = re.compile(
    r"\b(?:(?:G\.?P\.?O\.?|P\.?O\.?|post\s+office)\s*box|locked\s+bag|private\s+bag|"
    r"roadside\s+mail\s+box|RMB|RSD)\s*\d{1,6}\b",
    re.IGNORECASE,
)
_LOCALITY = re.compile(
    r"\b[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+){0,2},?\s+(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\s+\d{4}\b"
)


def _address_findings(text: str) -> list[Finding]:
    found = []
    for m in _STREET.finditer(text):
        words = (m.group("name") or "").lower().split()
        if any(w.strip("'\u2019-") in _NOT_STREET_NAMES for w in words):
            continue
        found.append(Finding(m.start(), m.end(), "address", m.group(0)))
    for pattern in (_POSTAL, _LOCALITY):
        found.extend(
            Finding(m.start(), m.end(), "address", m.group(0)) for m in pattern.finditer(text)
        )
    return found


# --- the parties' own details -------------------------------------------------------


def _words_pattern(value: str) -> str:
    return r"\s*,?\s+".join(re.escape(w) for w in value.split())


def _digits_pattern(number: str) -> str | None:
    digits = re.sub(r"\D", "", number)
    if len(digits) < 6:
        return None
    variants = {digits}
    if digits.startswith("61") and len(digits) > 9:
        variants |= {"0" + digits[2:], digits[2:]}
    elif digits.startswith("0"):
        variants |= {"61" + digits[1:], digits[1:]}
    sep = r"[\s().-]*"
    return "|".join(sep.join(v) for v in sorted(variants, key=len, reverse=True))


def _party_findings(text: str, parties: Iterable[Party]) -> list[Finding]:
    found: list[Finding] = []
    for party in parties:
        checks = [(n, "name") for n in party.names] + [(a, "address") for a in party.addresses]
        for value, kind in checks:
            value = " ".join(value.split())
            if len(value) < 4 or " " not in value:
                continue
            pattern = re.compile(rf"(?<!\w){_words_pattern(value)}(?!\w)", re.IGNORECASE)
            found.extend(
                Finding(m.start(), m.end(), kind, m.group(0)) for m in pattern.finditer(text)
            )
        for number in party.numbers:
            alternatives = _digits_pattern(number)
            if alternatives:
                pattern = re.compile(rf"(?<!\d)\+?(?:{alternatives})(?!\d)")
                found.extend(
                    Finding(m.start(), m.end(), "phone", m.group(0)) for m in pattern.finditer(text)
                )
    return found


def party_of(customer) -> Party:
    """What is held for a customer: full names in the usual orders, the address line,
    phone numbers and their alternative contacts' numbers."""
    given = " ".join(customer.given_names.split())
    family = " ".join(customer.family_name.split())
    first = given.split()[0] if given else ""
    names = {f"{given} {family}", f"{first} {family}", f"{family} {given}", f"{family}, {first}"}
    numbers = [p.number for p in customer.phones.all()]
    numbers += [c.phone for c in customer.alternative_contacts.all() if c.phone]
    addresses = [customer.address_line] if customer.address_line else []
    return Party(names=tuple(sorted(names)), addresses=tuple(addresses), numbers=tuple(numbers))


def child_party(child) -> Party:
    return Party(names=(f"{child.given_names} {child.family_name}",))


def _as_party(value) -> Party:
    if isinstance(value, Party):
        return value
    if hasattr(value, "phones"):
        return party_of(value)
    return child_party(value)


# --- scanning ------------------------------------------------------------------------


def _allowed_spans(text: str, allowed: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for value in allowed:
        value = (value or "").strip()
        if value:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(value), text))
    return spans


def merge(findings: list[Finding]) -> list[Finding]:
    """One finding per stretch of text: overlapping spans are joined; a Separating
    Safely kind wins over a general one (it says more about what to write instead)."""
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in ordered:
        if kept and f.start < kept[-1].end:
            last = kept[-1]
            kind = (
                f.kind
                if is_protected_kind(f.kind) and not is_protected_kind(last.kind)
                else last.kind
            )
            kept[-1] = Finding(last.start, max(last.end, f.end), kind, text=last.text)
            continue
        kept.append(f)
    return kept


def scan(text: str, *, parties: Iterable = (), allowed: Iterable[str] = ()) -> list[Finding]:
    """Every stretch of personal information in `text`, in order. `parties` are
    customers, children or `Party` values; `allowed` are exact values a macro field
    may carry (their spans are not findings)."""
    if not text:
        return []
    findings = _phone_findings(text) + _address_findings(text)
    for pattern in (_EMAIL, _SPELT_EMAIL):
        findings += [
            Finding(m.start(), m.end(), "email", m.group(0)) for m in pattern.finditer(text)
        ]
    findings += _party_findings(text, [_as_party(p) for p in parties])
    spans = _allowed_spans(text, allowed)
    findings = [f for f in findings if not any(s <= f.start and f.end <= e for s, e in spans)]
    return spans_of(text, findings)


def spans_of(text: str, findings: list[Finding]) -> list[Finding]:
    """The merged findings, each carrying its exact stretch of `text`."""
    return [Finding(f.start, f.end, f.kind, text[f.start : f.end]) for f in merge(findings)]


def refusal(found: list[tuple[str, Finding]]) -> PersonalInformationFound:
    """One refusal naming every finding in every field, without the found text. Any
    Separating Safely finding makes it a `ProtectedDetailsFound` (DOC-6)."""
    kinds = sorted({f.label for _, f in found})
    fields = sorted({name for name, _ in found})
    withheld = any(is_protected_kind(f.kind) for _, f in found)
    rule = "Separating Safely (DOC-6, DOC-3)" if withheld else "DOC-3"
    message = (
        f"Personal information is not allowed here ({rule}): {', '.join(kinds)} found in "
        f"{', '.join(fields)}. " + " ".join(dict.fromkeys(f.hint for _, f in found))
    )
    error = ProtectedDetailsFound if withheld else PersonalInformationFound
    return error(
        message,
        field=fields[0] if len(fields) == 1 else None,
        details=[f.as_detail(name) for name, f in found],
    )


def ensure_no_personal_information(
    text: str, *, parties: Iterable = (), field: str = "body", allowed: Iterable[str] = ()
) -> None:
    """Raise PersonalInformationFound (422) listing each finding's span, kind and hint."""
    found = scan(text, parties=parties, allowed=allowed)
    if found:
        raise refusal([(field, f) for f in found])


def ensure_fields_clean(
    values: dict[str, str], *, parties: Iterable = (), allowed: Iterable[str] = ()
) -> None:
    """Scan several fields and refuse once, listing the findings of all of them."""
    parties = [_as_party(p) for p in parties]
    allowed = list(allowed)
    found = [
        (name, f)
        for name, text in values.items()
        for f in scan(text or "", parties=parties, allowed=allowed)
    ]
    if found:
        raise refusal(found)
