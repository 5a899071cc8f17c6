"""The customer page's timeline: everything that happened to a customer, newest first,
filterable by kind and paged by keyset (CMA-4, issue 23).

One query per kind shown, each LIMITed to a page plus one, merged in Python: the cost
is the same whether the customer has one note or five thousand. The page's cursor is
the last entry's (time, kind, id), so the next page starts strictly after it in the
order (time desc, kind, id desc) without an OFFSET. The caller has passed the
customer's door and audited the read; nothing here writes."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from cma.contact.models import ContactAttempt, Interaction
from cma.customers.models import Customer
from cma.decisions.models import Decision
from cma.letters.models import Letter
from cma.notes.models import Note
from cma.notes.selectors import mask_notes
from cma.staff.models import User
from cma.work.models import Intray, LockEvent
from cma.work.selectors import owner_labels

PAGE_SIZE = 20


@dataclass
class Entry:
    at: datetime
    kind: str
    id: int
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class Cursor:
    at: datetime
    kind: str
    id: int

    def token(self) -> str:
        micros = int(self.at.timestamp() * 1_000_000)
        return f"{micros}.{self.kind}.{self.id}"

    @classmethod
    def parse(cls, token: str) -> "Cursor | None":
        """None for anything that is not a cursor this page made."""
        parts = token.split(".")
        if len(parts) != 3 or parts[1] not in LABELS:
            return None
        if not (parts[0].isdigit() and parts[2].isdigit()) or len(parts[0]) > 17:
            return None
        at = datetime.fromtimestamp(int(parts[0]) / 1_000_000, tz=UTC)
        return cls(at, parts[1], int(parts[2]))


@dataclass
class Page:
    entries: list[Entry]
    kinds: list[str]
    older: Cursor | None
    # On the first page: the newest time of each kind read (None: there is none).
    latest: dict[str, datetime | None] = field(default_factory=dict)


def _who(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _after(cursor: Cursor | None, kind: str, column: str) -> Q:
    """Rows strictly after the cursor in (time desc, kind rank, id desc)."""
    if cursor is None:
        return Q()
    rank, theirs = RANK[kind], RANK[cursor.kind]
    if rank > theirs:  # at the cursor's time these come after it
        return Q(**{f"{column}__lte": cursor.at})
    if rank < theirs:
        return Q(**{f"{column}__lt": cursor.at})
    return Q(**{f"{column}__lt": cursor.at}) | Q(**{column: cursor.at, "id__lt": cursor.id})


def _rows(qs: QuerySet[Any], kind: str, column: str, cursor: Cursor | None, n: int) -> list[Any]:
    return list(qs.filter(_after(cursor, kind, column)).order_by(f"-{column}", "-id")[:n])


def _interactions(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = Interaction.objects.filter(customer=customer).select_related("officer")
    return [
        Entry(
            i.started_at,
            "interaction",
            i.pk,
            f"{i.get_direction_display()} {i.get_channel_display().lower()} · receipt {i.receipt}",
            _who(i.officer),
            i.get_end_reason_display() if i.ended_at else "Live",
            reverse("contact:call", args=[i.pk]),
        )
        for i in _rows(qs, "interaction", "started_at", cursor, n)
    ]


def _attempts(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = ContactAttempt.objects.filter(customer=customer).select_related("officer")
    return [
        Entry(
            a.at,
            "attempt",
            a.pk,
            f"Contact attempt by {a.get_channel_display().lower()}",
            _who(a.officer),
            a.get_outcome_display(),
        )
        for a in _rows(qs, "attempt", "at", cursor, n)
    ]


def _notes(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = Note.objects.filter(customer=customer).select_related("author")
    # Any protected detail of an at-risk other party is withheld (DOC-6).
    notes = mask_notes(customer, _rows(qs, "note", "created_at", cursor, n))
    return [
        Entry(
            note.created_at,
            "note",
            note.pk,
            note.shown_subject,
            f"{_who(note.author)} · {note.get_function_display()}",
            note.shown_body,
            reverse("notes:note-detail", args=[note.pk]),
            links=[(reverse("notes:note-detail", args=[note.corrects_id]), "The note it corrects")]
            if note.corrects_id
            else [],
        )
        for note in notes
    ]


def _letters(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = (
        Letter.objects.without_pdf()
        .defer("fields", "data")
        .filter(customer=customer)
        .select_related("issued_by")
    )
    entries = []
    for letter in _rows(qs, "letter", "issued_at", cursor, n):
        due = letter.response_due_on
        entries.append(
            Entry(
                letter.issued_at,
                "letter",
                letter.pk,
                f"{letter.template_code} · {letter.title}",
                _who(letter.issued_by),
                f"Reference {letter.reference}"
                + (f" · reply due {due:%-d %B %Y}" if due else " · no reply due"),
                links=[
                    (
                        reverse("letters:download", args=[letter.pk]),
                        f"Download PDF of letter {letter.reference}",
                    )
                ],
            )
        )
    return entries


def _intrays(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = Intray.objects.filter(customer=customer).select_related("type", "created_by")
    return [
        Entry(
            item.created_at,
            "intray",
            item.pk,
            f"Intray: {item.type.name}",
            _who(item.created_by),
            f"{item.get_status_display()} · due {item.due_on:%-d %B %Y}",
            reverse("work:intray", args=[item.pk]),
        )
        for item in _rows(qs, "intray", "created_at", cursor, n)
    ]


def _decisions(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    qs = (
        Decision.objects.filter(Q(case__payer=customer) | Q(case__payee=customer))
        .select_related("case", "decision_maker")
        .distinct()
    )
    return [
        Entry(
            d.created_at,
            "decision",
            d.pk,
            f"Decision on case {d.case.case_number}",
            _who(d.decision_maker),
            f"{d.get_state_display()} · effective {d.effective_on:%-d %B %Y}",
            reverse("decisions:decision", args=[d.pk]),
        )
        for d in _rows(qs, "decision", "created_at", cursor, n)
    ]


def _locks(customer: Customer, cursor: Cursor | None, n: int) -> list[Entry]:
    events = _rows(
        LockEvent.objects.filter(customer=customer).select_related("actor"), "lock", "at", cursor, n
    )
    labels = owner_labels({e.owner for e in events if e.owner})
    return [
        Entry(
            e.at,
            "lock",
            e.pk,
            f"Lock {e.get_kind_display().lower()}"
            + (f" · {labels[e.owner]}" if e.owner in labels else ""),
            _who(e.actor),
            e.text,
        )
        for e in events
    ]


Reader = Callable[[Customer, Cursor | None, int], list[Entry]]
# Kind: (label, reader, permission needed beyond seeing the customer, or "").
KINDS: dict[str, tuple[str, Reader, str]] = {
    "interaction": ("Interactions", _interactions, "contact.open_interaction"),
    "attempt": ("Contact attempts", _attempts, "contact.open_interaction"),
    "note": ("Notes", _notes, "notes.view_notes"),
    "letter": ("Letters", _letters, "letters.view_letter"),
    "intray": ("Intrays", _intrays, "work.view_work"),
    "decision": ("Decisions", _decisions, ""),
    "lock": ("Lock changes", _locks, "work.view_work"),
}
OBJECT_PERMS = {"notes.view_notes"}
LABELS = {k: v[0] for k, v in KINDS.items()}
RANK = {k: i for i, k in enumerate(KINDS)}


def kinds_for(actor: User, customer: Customer) -> list[str]:
    """The kinds this actor may see on this customer's timeline."""
    return [
        k
        for k, (_, _, perm) in KINDS.items()
        if not perm or actor.has_perm(perm, customer if perm in OBJECT_PERMS else None)
    ]


def timeline(
    actor: User,
    customer: Customer,
    *,
    kinds: Iterable[str] = (),
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """A page of the customer's timeline: `kinds` (empty: all the actor may see),
    starting after `before`. One query per kind (lock changes: up to three more for
    their owners' names), whatever the customer's history."""
    allowed = kinds_for(actor, customer)
    wanted = [k for k in allowed if k in set(kinds)] or allowed
    found: list[Entry] = []
    latest: dict[str, datetime | None] = {}
    for kind in wanted:
        rows = KINDS[kind][1](customer, before, size + 1)
        found.extend(rows)
        if before is None:
            latest[kind] = max((e.at for e in rows), default=None)
    found.sort(key=lambda e: (e.at, -RANK[e.kind], e.id), reverse=True)
    shown = found[:size]
    older = Cursor(shown[-1].at, shown[-1].kind, shown[-1].id) if len(found) > size else None
    return Page(shown, wanted, older, latest)
