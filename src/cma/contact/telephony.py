"""The telephony platform's side of a call: signed events in, the screen pop out.

The platform signs every event it sends with HMAC-SHA256 over
`f"{timestamp}.{raw body}"` with the shared key `settings.CMA_TELEPHONY_SECRET`, and
sends `X-CMA-Timestamp: <unix seconds>` and `X-CMA-Signature: sha256=<hex digest>`.
An event is refused — audited, nothing else written — when it is unsigned, its
signature does not match (compared in constant time), its timestamp is further from
now than policy `telephony-clock-skew-seconds`, or its `event_id` was already accepted
(`services.telephony.receive_event`). Only signed events open *attested* interactions,
the ones whose confirmed caller grants need-to-know (`access.py`): an officer cannot
make one by hand."""

import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from cma.audit.services import record_refusal
from cma.staff.models import User

from . import policy, selectors
from .errors import TelephonyRejected
from .models import Interaction, TelephonyEvent

TIMESTAMP_HEADER = "X-CMA-Timestamp"
SIGNATURE_HEADER = "X-CMA-Signature"
SCHEME = "sha256="
PLATFORM = "telephony-platform"  # the audit actor of platform events
REJECTED = "contact.telephony.rejected"
UNIDENTIFIED = "caller not identified; search for the customer"


def _key() -> bytes:
    return str(getattr(settings, "CMA_TELEPHONY_SECRET", "") or "").encode()


def signature(body: bytes, timestamp: str, key: bytes | None = None) -> str:
    mac = hmac.new(key if key is not None else _key(), timestamp.encode() + b"." + body, "sha256")
    return SCHEME + mac.hexdigest()


def sign(body: bytes, at: float | None = None) -> dict[str, str]:
    """The headers the platform sends with `body` (also `cma telephony sign`)."""
    timestamp = str(int(at if at is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(body, timestamp)}


def _reject(why: str, message: str, field: str) -> TelephonyRejected:
    error = TelephonyRejected(message, field=field)
    record_refusal(
        actor=PLATFORM,
        action=REJECTED,
        error=error,
        object_type="contact.telephonyevent",
        changes={"why": why},
    )
    return error


def verify(*, body: bytes, timestamp: str | None, signature_header: str | None) -> None:
    """Accept the request as the platform's, or raise TelephonyRejected (audited).
    The signature is checked before the clock, so an unsigned caller learns nothing
    about either."""
    key = _key()
    if not key:
        raise _reject(
            "not-configured", "telephony events are not accepted: no key", SIGNATURE_HEADER
        )
    if not timestamp or not signature_header:
        raise _reject(
            "unsigned",
            f"send {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} (HMAC-SHA256)",
            SIGNATURE_HEADER,
        )
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise _reject("bad-timestamp", f"{TIMESTAMP_HEADER} is unix seconds", TIMESTAMP_HEADER)
    expected = signature(body, timestamp, key)
    if not hmac.compare_digest(expected.encode(), signature_header.strip().encode()):
        raise _reject("bad-signature", "the signature does not match", SIGNATURE_HEADER)
    if abs(time.time() - int(timestamp)) > policy.telephony_clock_skew_seconds():
        raise _reject(
            "stale", "the event's timestamp is too far from now; re-sign it", TIMESTAMP_HEADER
        )


def deliver(event: dict[str, Any], *, at: float | None = None) -> TelephonyEvent:
    """Sign an event and take it through the endpoint's own steps — signature check,
    the endpoint's input schema, the service — as `cma telephony simulate` does."""
    from .schemas import TelephonyEventIn
    from .services.telephony import receive_event

    body = json.dumps(event).encode()
    headers = sign(body, at)
    verify(
        body=body,
        timestamp=headers[TIMESTAMP_HEADER],
        signature_header=headers[SIGNATURE_HEADER],
    )
    parsed = TelephonyEventIn.model_validate_json(body)
    return receive_event(**parsed.model_dump())


# --- The screen pop --------------------------------------------------------------


@dataclass(frozen=True)
class LiveCall:
    """What the officer's screen pops: their own open interaction (its id and
    receipt, never the customer: that waits for identity confirmation, CON-9), or a
    call the platform could not match to a customer."""

    interaction: Interaction | None = None
    call_id: str = ""
    since: datetime | None = None
    message: str = ""


def _unidentified_call(actor: User) -> TelephonyEvent | None:
    """The latest event naming the officer, if it left them on a call with nobody
    identified and nothing later on that call ended or moved it."""
    latest = (
        TelephonyEvent.objects.filter(details__officer=actor.username)
        .order_by("-received_at", "-pk")
        .first()
    )
    if latest is None or latest.customer_id is not None or latest.kind == "ended":
        return None
    later = TelephonyEvent.objects.filter(
        call_id=latest.call_id, pk__gt=latest.pk, kind__in=("ended", "transferred")
    )
    return None if later.exists() else latest


def live_call(actor: User) -> LiveCall:
    interaction = selectors.open_interaction_of(actor)
    if interaction is not None:
        return LiveCall(interaction=interaction, since=interaction.started_at)
    event = _unidentified_call(actor)
    if event is not None:
        return LiveCall(call_id=event.call_id, since=event.received_at, message=UNIDENTIFIED)
    return LiveCall()
