"""Sending an SMS: one small interface, the backend chosen by `settings.CMA_SMS_BACKEND`
(a dotted path), like Django's email backends.

- `ConsoleBackend`: logs one line (length and id, never the number or the text).
- `FileBackend`: appends one JSON line per message to `CMA_SMS_DIR/outbox.jsonl`, a
  stand-in phone for development and tests.
- `GatewayBackend`: POSTs JSON to `CMA_SMS_GATEWAY_URL` with the bearer token
  `CMA_SMS_GATEWAY_TOKEN` (stdlib urllib, with a timeout, no redirects).

A backend returns the provider's id for the message, or raises `SmsSendError` whose
`code` is safe to store and log: it never carries the number or the text (PRV-3)."""

import json
import logging
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

MAX_RESPONSE = 64 * 1024


class SmsSendError(Exception):
    """The message was not accepted. `code` names why, without personal information."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code[:200]


@runtime_checkable
class SmsBackend(Protocol):
    name: str

    def send(self, number: str, text: str) -> str:
        """Hand the message over; return the provider's id for it."""
        ...


def backend() -> SmsBackend:
    """The configured backend, built afresh (settings may change in tests)."""
    path = settings.CMA_SMS_BACKEND
    try:
        found = import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"CMA_SMS_BACKEND={path!r} cannot be imported") from exc
    if not isinstance(found, SmsBackend):
        raise ImproperlyConfigured(f"CMA_SMS_BACKEND={path!r} is not an SMS backend")
    return found


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


class ConsoleBackend:
    name = "console"

    def send(self, number: str, text: str) -> str:
        provider_id = _new_id("console")
        log.info("sms: console backend took %d characters as %s", len(text), provider_id)
        return provider_id


class FileBackend:
    name = "file"

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory or settings.CMA_SMS_DIR)

    @property
    def outbox(self) -> Path:
        return self.directory / "outbox.jsonl"

    def send(self, number: str, text: str) -> str:
        provider_id = _new_id("file")
        line = json.dumps(
            {"id": provider_id, "to": number, "text": text, "at": timezone.now().isoformat()}
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self.outbox.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as exc:
            raise SmsSendError(f"file-{type(exc).__name__}") from None
        return provider_id

    def sent(self) -> list[dict[str, Any]]:
        """What the outbox holds, oldest first (for tests and `cma sms`)."""
        if not self.outbox.exists():
            return []
        lines = self.outbox.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would send the bearer token (and the number) somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class GatewayBackend:
    """The SMS gateway's HTTP API: `POST {"to": E.164, "text": ...}` answered with
    `{"id": "<provider id>"}` (2xx). Anything else is an `SmsSendError`."""

    name = "gateway"

    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float | None = None
    ) -> None:
        self.url = url if url is not None else settings.CMA_SMS_GATEWAY_URL
        self.token = token if token is not None else settings.CMA_SMS_GATEWAY_TOKEN
        self.timeout = float(timeout if timeout is not None else settings.CMA_SMS_GATEWAY_TIMEOUT)
        if urlsplit(self.url).scheme not in ("http", "https") or not urlsplit(self.url).netloc:
            raise ImproperlyConfigured("CMA_SMS_GATEWAY_URL must be an http(s) URL")
        if not self.token:
            raise ImproperlyConfigured("CMA_SMS_GATEWAY_TOKEN is required by the gateway backend")
        self._opener = urllib.request.build_opener(_NoRedirects)

    def send(self, number: str, text: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url,
            data=json.dumps({"to": number, "text": text}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:
            raise SmsSendError(f"gateway-http-{exc.code}") from None
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, TimeoutError)
            raise SmsSendError("gateway-timeout" if timed_out else "gateway-unreachable") from None
        except TimeoutError:
            raise SmsSendError("gateway-timeout") from None
        except OSError:
            raise SmsSendError("gateway-unreachable") from None
        return self._provider_id(raw)

    @staticmethod
    def _provider_id(raw: bytes) -> str:
        if len(raw) > MAX_RESPONSE:
            raise SmsSendError("gateway-bad-response")
        try:
            payload = json.loads(raw)
        except ValueError:
            raise SmsSendError("gateway-bad-response") from None
        found = payload.get("id") if isinstance(payload, dict) else None
        if not isinstance(found, str | int) or not str(found).strip() or len(str(found)) > 80:
            raise SmsSendError("gateway-bad-response")
        return str(found).strip()
