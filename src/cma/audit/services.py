"""Writing, sealing and verifying the audit trail."""

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connection, transaction

from cma.errors import DomainError

from .models import AuditRecord, Outcome

GENESIS = "0" * 64
# Any constant works; it only has to be the same for every sealer.
_SEAL_LOCK_KEY = 0x434D41_4155


_STEP_DEPTH: ContextVar[int] = ContextVar("cma_audit_step_depth", default=0)


@contextlib.contextmanager
def as_step() -> Iterator[None]:
    """Run another service as a step of the caller's operation: the step writes no
    audit row of its own, refusals included; the caller's one row records the
    operation and names what the step made (AUD-1: one row per operation)."""
    token = _STEP_DEPTH.set(_STEP_DEPTH.get() + 1)
    try:
        yield
    finally:
        _STEP_DEPTH.reset(token)


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    customer_id: int | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    outcome: str = Outcome.OK,
    object_type: str = "",
    object_id: str = "",
) -> AuditRecord | None:
    """Write one audit row in the caller's transaction (none inside `as_step`).
    Never pass personal information in `reason` or `changes` beyond ids and codes
    (DOC-3)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if _STEP_DEPTH.get():
        return None
    actor_id = getattr(actor, "pk", None)
    actor_label = getattr(actor, "username", "") or ("system" if actor is None else str(actor))
    changes = dict(changes or {})
    if isinstance(customer_id, str) and customer_id.isdecimal() and len(customer_id) < 20:
        customer_id = int(customer_id)
    if customer_id is not None and not _fits_bigint(customer_id):
        # A refusal of `/customers/<huge>` must still be recorded (SEC-1): keep the id
        # as text rather than lose the row to an integer overflow.
        changes["customer_id"] = _text(customer_id, _ID_TEXT)
        customer_id = None
    if len(_text(object_id)) > _OBJECT_ID:
        changes["object_id"] = _text(object_id, _ID_TEXT)
    return AuditRecord.objects.create(
        actor_id=actor_id,
        actor_label=_text(actor_label, 150),
        action=_text(action, 100),
        outcome=outcome,
        object_type=_text(object_type, 60),
        object_id=_text(object_id, _OBJECT_ID),
        customer_id=customer_id,
        reason=_text(reason),
        changes=_clean_json(changes),
    )


_OBJECT_ID = 64
_ID_TEXT = 200  # enough for any id someone types, bounded so a row stays small
_BIGINT = (-(2**63), 2**63 - 1)


def _fits_bigint(value: Any) -> bool:
    return isinstance(value, int) and _BIGINT[0] <= value <= _BIGINT[1]


def _text(value: Any, limit: int | None = None) -> str:
    """Text a column takes: no NUL (PostgreSQL refuses it), at most `limit` characters."""
    try:
        text = str(value).replace("\x00", "\ufffd")
    except ValueError:  # an integer with more digits than Python will print
        text = f"<{type(value).__name__} too long to print>"
    return text[:limit] if limit else text


def _clean_json(value: Any) -> Any:
    """`changes` without NUL in any string (a jsonb column refuses \\u0000)."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_text(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


def record_refusal(
    *, actor: Any, action: str, error: Exception, **kwargs: Any
) -> AuditRecord | None:
    """Audit a refused attempt.

    Precondition: call it *outside* the transaction of the refused change, after that
    transaction has rolled back (as `work.services._common.audited_refusals` does), or
    from code that runs in autocommit (selectors called by views and the API). Inside an
    enclosing atomic block the row is only a savepoint of that block and disappears if
    the block rolls back."""
    code = getattr(error, "code", type(error).__name__)
    with transaction.atomic():
        row = record(
            actor=actor, action=action, outcome=Outcome.REFUSED, reason=str(code), **kwargs
        )
    # Lets the API's error handler know this refusal already has its audit row.
    if row is not None:
        with contextlib.suppress(AttributeError):
            error.audited = True  # type: ignore[attr-defined]
    return row


F = TypeVar("F", bound=Callable[..., Any])


def refusals_recorded(
    action: str,
    subject_of: Callable[[dict[str, Any]], dict[str, Any]],
    actor_keys: tuple[str, ...] = ("actor",),
    skip_if_recorded: bool = False,
) -> Callable[[F], F]:
    """Run a keyword-only service in one transaction; when it refuses (a DomainError),
    record the refusal in its own transaction after the rollback, then re-raise: one
    audit row either way. `subject_of` names what was refused from the service's
    arguments (customer_id, object_type, object_id); the actor is the first of
    `actor_keys` given. `skip_if_recorded`: leave a refusal that already has its row."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    return fn(**kwargs)
            except DomainError as exc:
                if not (skip_if_recorded and getattr(exc, "audited", False)):
                    actor = next((kwargs[k] for k in actor_keys if kwargs.get(k)), None)
                    record_refusal(actor=actor, action=action, error=exc, **subject_of(kwargs))
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def canonical(row: dict[str, Any]) -> bytes:
    """The bytes a record's hash covers: sorted-key JSON, UTC timestamps."""
    payload = {
        "seq": row["seq"],
        "created_at": row["created_at"].isoformat(),
        "actor_id": row["actor_id"],
        "actor_label": row["actor_label"],
        "action": row["action"],
        "outcome": row["outcome"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "customer_id": row["customer_id"],
        "reason": row["reason"],
        "changes": row["changes"],
        "prev_hash": row["prev_hash"],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def chain_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(row["prev_hash"].encode() + canonical(row)).hexdigest()


# The columns read to seal and to verify a record.
CHAIN_FIELDS = [
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "customer_id",
    "reason",
    "changes",
    "prev_hash",
    "hash",
]


def seal(batch_size: int = 5000) -> int:
    """Give every unsealed row its seq and hash, in id order. Returns rows sealed.

    One sealer at a time: a transaction-scoped advisory lock on PostgreSQL; SQLite
    serialises writers anyway."""
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
            head = AuditRecord.objects.exclude(seq=None).order_by("-seq").values("seq", "hash")
            last = head.first() or {"seq": 0, "hash": GENESIS}
            rows = list(
                AuditRecord.objects.filter(seq=None)
                .order_by("id")
                .values(*CHAIN_FIELDS)[:batch_size]
            )
            if not rows:
                return sealed
            # Sealed rows only (exclude(seq=None) above): seq is an int.
            seq, prev = cast(int, last["seq"]), last["hash"]
            updates = []
            for row in rows:
                seq += 1
                row["seq"], row["prev_hash"] = seq, prev
                prev = chain_hash(row)
                updates.append((seq, row["prev_hash"], prev, row["id"]))
            table = AuditRecord._meta.db_table
            with connection.cursor() as cur:
                # Raw SQL on purpose: the ORM refuses every update of audit rows.
                cur.executemany(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s "  # noqa: S608
                    "WHERE id = %s AND seq IS NULL",
                    updates,
                )
            sealed += len(rows)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str = ""


def _sealed_rows(chunk: int = 10000) -> Iterator[dict[str, Any]]:
    last = 0
    while True:
        rows = list(
            AuditRecord.objects.filter(seq__gt=last).order_by("seq").values(*CHAIN_FIELDS)[:chunk]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def verify() -> VerifyResult:
    """Seal what is pending, then walk the chain and report the first broken link."""
    seal()
    expected_seq, prev = 1, GENESIS
    checked = 0
    for row in _sealed_rows():
        if row["seq"] != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing record (gap in sequence)")
        if row["prev_hash"] != prev:
            return VerifyResult(False, checked, row["seq"], "does not link to the previous record")
        if chain_hash(row) != row["hash"]:
            return VerifyResult(False, checked, row["seq"], "contents do not match their hash")
        prev = row["hash"]
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)
