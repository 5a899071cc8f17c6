"""Separating Safely (DOC-6): who is at risk, what of theirs is protected, and finding
or masking it in anything that concerns the other party.

The other parties of a customer are the people on the other side of one of their
cases. For a write or a view concerning customer C, `withheld_for(C)` holds the
protected elements of every at-risk other party of C:

- their address line, and its street name with or without the house number, the
  street type written in full or abbreviated ("Quokkaridge Parade", "Quokkaridge Pde");
- their locality (town or suburb) and postcode;
- their and their alternative contacts' phone numbers, in any national or
  international spacing;
- their email address, in any case, and spelt out ("jo dot smith at example dot com",
  "jo.smith (at) example.com").

Customers have no employer recorded (`cma.customers.models`); when one is, it joins
`_elements_of`. The state alone is not protected (it would refuse "NSW" on every
record).

Matching is on folded text (`normalise.fold`: any case, spacing, accents, full-width or
look-alike letters, invisible characters), as whole words or phrases, and only for
that at-risk customer's own values, so a locality that is also a common word
("Bay") blocks "Bay" but never "Bayside", and nobody else's town is refused. A
postcode that could be a year (1900-2100) counts only after a state, "postcode" or
the locality; digits inside amounts, dates and longer numbers never count.

At-risk status is recorded by a higher app (`notes`: its `SafetyMarker`), which this
package cannot import. That app registers the source in its `AppConfig.ready`:
`register_at_risk_source(lambda: SafetyMarker.objects.filter(ended_at=None))` -- a
queryset of active markers with a `customer_id` column. Without a source every
question here fails loudly rather than treating everyone as safe.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet

from cma.customers.models import Case, Customer
from cma.memo import remember, remembered

from .guard import Finding, merge
from .normalise import fold, fold_value

WITHHELD = "[withheld]"
BANNER = (
    "Separating Safely: this customer's safety is at risk. Never disclose their "
    "location or contact details, and never pass anything they say to the other party."
)

# --- where at-risk status comes from ------------------------------------------------

_source: Callable[[], QuerySet] | None = None


def register_at_risk_source(active_markers: Callable[[], QuerySet]) -> None:
    """Called once by the app that records Separating Safely (see the module doc)."""
    global _source
    _source = active_markers


def _markers() -> QuerySet:
    if _source is None:
        raise RuntimeError(
            "no Separating Safely source registered (cma.notes registers it when installed)"
        )
    return _source()


def at_risk_ids(customer_ids: Iterable[int]) -> set[int]:
    """Which of these customers are at risk; each set asked once per safe request."""
    ids = frozenset(i for i in customer_ids if i is not None)
    if not ids:
        return set()
    return set(
        remembered(
            ("at-risk", ids),
            lambda: frozenset(
                _markers().filter(customer_id__in=ids).values_list("customer_id", flat=True)
            ),
        )
    )


def seen_at_risk(customer_ids: Iterable[int], at_risk: Iterable[int]) -> None:
    """Another read (the door's protection flags) found which of these are at risk."""
    remember(("at-risk", frozenset(customer_ids)), frozenset(at_risk))


def at_risk_exists(customer_ref: str = "customer_id") -> Exists:
    """`Exists(...)` for a queryset's annotation: `annotate(at_risk=at_risk_exists())`,
    so a list of rows shows the warning without a query per row."""
    return Exists(_markers().filter(customer_id=OuterRef(customer_ref)))


def is_at_risk(customer: Customer) -> bool:
    """Cached on the instance for the request (SEC-1's rule caches the same flag)."""
    cached = getattr(customer, "_cma_at_risk", None)
    if cached is None:
        cached = customer.pk in at_risk_ids([customer.pk])
        customer._cma_at_risk = cached
    return cached


def other_parties(customer: Customer) -> list[Customer]:
    """Everyone on the other side of one of the customer's cases."""
    cases = Case.objects.filter(Q(payer=customer) | Q(payee=customer)).select_related(
        "payer", "payee"
    )
    found: dict[int, Customer] = {}
    for case in cases:
        other = case.other_party(customer)
        found.setdefault(other.pk, other)
    return list(found.values())


# --- protected elements and how they are found -----------------------------------------

_W = r"[^\W_]"  # a letter or digit (in folded text)
_GAP = r"[\W_]*"  # what may separate two words of a phrase: spaces, punctuation, nothing
_STREET_TYPES = [
    ("street", "st"), ("road", "rd"), ("avenue", "ave", "av"), ("parade", "pde"),
    ("place", "pl"), ("court", "ct", "crt"), ("drive", "dr", "drv"),
    ("crescent", "cres", "cr"), ("lane", "ln"), ("terrace", "tce"), ("close", "cl"),
    ("boulevard", "boulevarde", "blvd", "bvd"), ("highway", "hwy"), ("circuit", "cct"),
    ("grove", "gr", "gve"), ("esplanade", "esp"), ("square", "sq"), ("parkway", "pkwy"),
    ("gardens", "gdns"), ("heights", "hts"), ("way",), ("rise",), ("mews",), ("walk",),
    ("track",), ("trail",), ("loop",), ("vale",), ("ridge",), ("glen",), ("alley",),
    ("arcade",), ("chase",), ("circle", "cir"), ("cove",), ("promenade",), ("quay",),
    ("retreat",), ("row",), ("point",), ("view",), ("green",), ("link",), ("outlook",),
]  # fmt: skip
_TYPE_VARIANTS = {name: group for group in _STREET_TYPES for name in group}
_HOUSE = r"(?:(?:unit|u|flat|apt|apartment|suite|shop|lot|level)\s*\d{1,4}[a-z]?\s*[,/]?\s*)?"
_HOUSE_NUMBER = rf"{_HOUSE}\d{{1,5}}[a-z]?(?:\s*[-/]\s*\d{{1,5}}[a-z]?)?"
_LEADING_NUMBER = re.compile(rf"^{_HOUSE_NUMBER}\s+")
_STATES = r"(?:nsw|vic|qld|sa|wa|tas|nt|act|postcode|post code|p/?c)"


def _words(value: str) -> list[str]:
    return re.findall(_W + "+", fold_value(value))


def _phrase(words: list[str]) -> str:
    return _GAP.join(re.escape(w) for w in words)


def _whole(body: str) -> str:
    return rf"(?<!{_W})(?:{body})(?!{_W})"


def _street_pattern(address_line: str) -> str | None:
    """The street name without the house number, any street-type spelling, with an
    optional house number in front (any number: the span is the same street)."""
    parts = [fold_value(p) for p in address_line.split(",") if _words(p)]
    typed = [p for p in parts if _words(p)[-1] in _TYPE_VARIANTS]
    part = (typed or parts or [""])[0]
    rest = _LEADING_NUMBER.sub("", part)
    words = re.findall(_W + "+", rest)
    if not words or words[0].isdigit() or (len(words) == 1 and words[0] in _TYPE_VARIANTS):
        return None
    name, kind = (words[:-1], words[-1]) if words[-1] in _TYPE_VARIANTS else (words, None)
    if not name:
        return None
    body = _phrase(name)
    if kind is not None:
        body += _GAP + "(?:" + "|".join(map(re.escape, _TYPE_VARIANTS[kind])) + ")"
    return _whole(rf"(?:{_HOUSE_NUMBER}{_GAP})?{body}")


def _phone_pattern(number: str) -> str | None:
    digits = re.sub(r"\D", "", fold_value(number))
    if len(digits) < 6:
        return None
    variants = {digits}
    if digits.startswith("61") and len(digits) > 9:
        variants |= {"0" + digits[2:], digits[2:], "610" + digits[2:]}
    elif digits.startswith("0"):
        variants |= {"61" + digits[1:], digits[1:], "610" + digits[1:]}
    sep = r"[\W_]{0,3}"
    alternatives = "|".join(sep.join(v) for v in sorted(variants, key=len, reverse=True))
    return rf"(?<![0-9])[+(]?(?:{alternatives})(?![0-9])"


def _email_pattern(email: str) -> str | None:
    """The whole address, "@" written as "at" or "(at)" and "." as "dot" if wished;
    never a part of a longer address."""
    local, at, domain = fold_value(email).rpartition("@")
    if not (local and at and domain):
        return None
    dot = r"(?:\s*\.\s*|\s+dot\s+|\s*\(dot\)\s*)"

    def dotted(part: str) -> str:
        return dot.join(re.escape(p) for p in part.split("."))

    body = dotted(local) + r"(?:\s*@\s*|\s+at\s+|\s*\(at\)\s*)" + dotted(domain)
    return rf"(?<![\w.+-]){body}(?![\w-]|\.\w)"


def _postcode_pattern(postcode: str, locality: str) -> str | None:
    value = fold_value(postcode)
    if not value:
        return None
    if not value.isdigit():
        return _whole(_phrase(_words(value)))  # an overseas postcode: "SW1A 1AA"
    # Not inside an amount, a date or a longer number, and not "2899 dollars".
    body = (
        rf"(?<![0-9$])(?<![0-9][.,/-]){value}(?![0-9]|[.,/-][0-9])"
        r"(?!\s*(?:dollars?|cents?|%|percent))"
    )
    if 1900 <= int(value) <= 2100:  # could be a year: only where a postcode would be
        before = _STATES + ("|" + _phrase(_words(locality)) if _words(locality) else "")
        return rf"(?<!{_W})(?:{before})[\s,:]*(?P<hit>{body})"
    return body


@dataclass(frozen=True)
class Element:
    # address, street, locality, postcode, phone, email (Finding kind "protected-<kind>")
    kind: str
    pattern: str


def _elements(
    address_line: str = "",
    locality: str = "",
    postcode: str = "",
    numbers: Iterable[str] = (),
    email: str = "",
) -> list[Element]:
    found = []
    address = " ".join(address_line.split())
    if _words(address):
        found.append(Element("address", _whole(_phrase(_words(address)))))
        street = _street_pattern(address)
        if street:
            found.append(Element("street", street))
    if _words(locality):
        found.append(Element("locality", _whole(_phrase(_words(locality)))))
    postcode_pattern = _postcode_pattern(postcode, locality)
    if postcode_pattern:
        found.append(Element("postcode", postcode_pattern))
    for number in numbers:
        pattern = _phone_pattern(number)
        if pattern:
            found.append(Element("phone", pattern))
    email_pattern = _email_pattern(email) if email else None
    if email_pattern:
        found.append(Element("email", email_pattern))
    return found


def _elements_of(customer: Customer) -> list[Element]:
    """Uses prefetched `phones` and `alternative_contacts` when there are any."""
    numbers = [p.number for p in customer.phones.all()]
    numbers += [c.phone for c in customer.alternative_contacts.all() if c.phone]
    return _elements(
        customer.address_line, customer.locality, customer.postcode, numbers, customer.email
    )


@dataclass(frozen=True)
class Protected:
    """The protected elements to find in text about the other party; empty when no
    other party is at risk (then finding and masking cost nothing)."""

    elements: tuple[Element, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        address_line: str = "",
        locality: str = "",
        postcode: str = "",
        numbers: Iterable[str] = (),
        email: str = "",
    ) -> "Protected":
        """From plain values (one person's details)."""
        return cls(tuple(_elements(address_line, locality, postcode, numbers, email)))

    def __bool__(self) -> bool:
        return bool(self.elements)

    @cached_property
    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(e.kind, re.compile(e.pattern)) for e in self.elements]

    def find(self, text: str) -> list[Finding]:
        """Every protected element in `text`, as spans of the original text."""
        if not self.elements or not text:
            return []
        folded = fold(text)
        found = []
        for kind, pattern in self._patterns:
            # A pattern that needs context ("NSW 2026") marks the part found as "hit".
            group = "hit" if "hit" in pattern.groupindex else 0
            for m in pattern.finditer(folded.text):
                start, end = folded.span(*m.span(group))
                found.append(Finding(start, end, f"protected-{kind}", text[start:end]))
        merged = merge(found)
        return [Finding(f.start, f.end, f.kind, text[f.start : f.end]) for f in merged]

    def redact(self, text: str) -> str:
        """`text` with each protected element replaced by "[withheld]"."""
        for f in reversed(self.find(text)):
            text = text[: f.start] + WITHHELD + text[f.end :]
        return text


def protected_of(customers: Iterable[Customer]) -> Protected:
    return Protected(tuple(e for c in customers for e in _elements_of(c)))


def protected_elements(customer: Customer) -> Protected:
    """The customer's own protected elements; empty when they are not at risk."""
    return protected_of([customer]) if is_at_risk(customer) else Protected()


def withheld_for(customer: Customer) -> Protected:
    """What must not appear in anything written, shown or sent about `customer`: the
    protected elements of every at-risk other party. Five queries at most, once per
    safe request."""
    return withheld_by_customer([customer.pk])[customer.pk]


def withheld_by_customer(customer_ids: Iterable[int]) -> dict[int, Protected]:
    """`withheld_for` of many customers in five queries at most, however many; each
    set asked once per safe request."""
    ids = frozenset(i for i in customer_ids if i is not None)
    return dict(remembered(("withheld", ids), lambda: _withheld_by_customer(ids)))


def _withheld_by_customer(ids: frozenset[int]) -> dict[int, Protected]:
    result = {i: Protected() for i in ids}
    if not ids:
        return result
    pairs = Case.objects.filter(Q(payer_id__in=ids) | Q(payee_id__in=ids)).values_list(
        "payer_id", "payee_id"
    )
    others: dict[int, set[int]] = {i: set() for i in ids}
    for payer, payee in pairs:
        if payer in ids:
            others[payer].add(payee)
        if payee in ids:
            others[payee].add(payer)
    at_risk = at_risk_ids({o for group in others.values() for o in group})
    if not at_risk:
        return result
    people = Customer.objects.filter(pk__in=at_risk).prefetch_related(
        "phones", "alternative_contacts"
    )
    elements = {p.pk: tuple(_elements_of(p)) for p in people}
    for i, group in others.items():
        mine = [e for o in sorted(group & at_risk) for e in elements.get(o, ())]
        result[i] = Protected(tuple(mine))
    return result


# --- what a page about a customer may show about the other party -----------------------


@dataclass(frozen=True)
class OtherParty:
    case_id: int
    customer_id: int
    name: str
    crn: str
    role: str
    location: str
    withheld: bool


def other_party_summaries(customer: Customer, cases: list[Case]) -> dict[int, OtherParty]:
    """Per case: the other party's name and, unless they are at risk, where they live.
    An at-risk party's location is withheld (DOC-6)."""
    others = {c.pk: c.other_party(customer) for c in cases}
    at_risk = at_risk_ids(o.pk for o in others.values())
    result = {}
    for case in cases:
        other = others[case.pk]
        withheld = other.pk in at_risk
        if withheld:
            location = ""
        elif other.is_overseas:
            location = f"{other.country} (overseas)"
        else:
            location = other.state
        role = "Payer" if other.pk == case.payer_id else "Payee"
        result[case.pk] = OtherParty(
            case.pk, other.pk, other.full_name, other.crn, role, location, withheld
        )
    return result
