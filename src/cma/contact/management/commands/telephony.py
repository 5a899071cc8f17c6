"""`cma telephony ...`: simulate a call from the platform, or sign a body for integrators.

`simulate` signs each event with the configured key and takes it through the
endpoint's own steps (signature check, input schema, service), so it exercises the
path a real platform's events take."""

import sys
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from cma.contact import telephony
from cma.contact.models import TelephonyEvent
from cma.errors import DomainError


def _one_line(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "event"
    return f"{where}: {first.get('msg', 'invalid')}"


class Command(BaseCommand):
    help = "Telephony: simulate a signed call from the platform, or sign a body."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        simulate = sub.add_parser(
            "simulate",
            help="send offered and answered events (and optionally transferred, ended)",
            description=(
                "Simulate an inbound call: the platform offers it with the caller's "
                "number, OFFICER answers it; --transfer-to moves it to another officer "
                "and --end-after ends it. Each event is signed with CMA_TELEPHONY_SECRET."
            ),
        )
        arg = simulate.add_argument
        arg("--officer", required=True, help="username of the answering officer")
        arg("--caller", default=None, help="the caller's number, e.g. +61491570156")
        arg("--ivr", default="", help="the customer reference number typed in the IVR")
        arg("--survey", action="store_true", help="the caller opted in to the survey")
        arg("--transfer-to", default=None, metavar="USER", help="transfer to this officer")
        arg("--end-after", action="store_true", help="end the call at the end")
        arg("--call-id", default=None, help="the call id (default: a new one)")
        sign = sub.add_parser(
            "sign",
            help="print the signature headers for a request body",
            description=(
                "Print the X-CMA-Timestamp and X-CMA-Signature headers for the body in "
                "FILE (or standard input with -), signed now with CMA_TELEPHONY_SECRET."
            ),
        )
        sign.add_argument("file", metavar="FILE", help="the exact request body, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sign":
            self._sign(options["file"])
        else:
            self._simulate(options)

    def _sign(self, name: str) -> None:
        if name == "-":
            body = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            body = path.read_bytes()
        for header, value in telephony.sign(body).items():
            self.stdout.write(f"{header}: {value}")

    def _simulate(self, options: dict[str, Any]) -> None:
        call_id = options["call_id"] or f"sim-{uuid.uuid4().hex[:12]}"
        common = {"call_id": call_id, "survey_opt_in": options["survey"]}
        events: list[dict[str, Any]] = [
            {
                **common,
                "kind": "offered",
                "caller_number": options["caller"],
                "ivr_reference": options["ivr"],
            },
            {**common, "kind": "answered", "officer": options["officer"]},
        ]
        if options["transfer_to"]:
            events.append({**common, "kind": "transferred", "officer": options["transfer_to"]})
        if options["end_after"]:
            events.append({**common, "kind": "ended"})
        for event in events:
            event["event_id"] = f"{call_id}-{event['kind']}-{uuid.uuid4().hex[:8]}"
            try:
                accepted = telephony.deliver(event)
            except ValidationError as exc:
                raise CommandError(f"{event['kind']}: {_one_line(exc)}") from None
            except DomainError as exc:
                where = f" ({exc.field})" if exc.field else ""
                raise CommandError(f"{event['kind']}: {exc.message}{where}") from None
            self.stdout.write(self._describe(accepted))

    @staticmethod
    def _describe(event: TelephonyEvent) -> str:
        # The customer is never named here: the terminal is not the call screen.
        it = event.interaction
        who = "caller identified" if event.customer_id else telephony.UNIDENTIFIED
        if it is None:
            return f"{event.kind:11} call {event.call_id}: {who}"
        state = "ended" if it.ended_at else "open"
        return (
            f"{event.kind:11} call {event.call_id}: interaction {it.receipt} "
            f"({state}, officer {it.officer.username}); {who}"
        )
