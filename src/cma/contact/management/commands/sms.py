"""`cma sms send-queued`: send the SMS still queued (normally each is sent as soon as
the request that queued it commits; this catches any a crash or an unreachable
backend left behind). Safe to run from several workers at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cma.contact.services import send_queued


class Command(BaseCommand):
    help = "SMS to customers' mobiles: `send-queued` sends those still queued."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send-queued", help="Send the queued SMS, oldest first.")
        send.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="Only SMS queued at least this many seconds ago (default 60), so one "
            "being sent by its request is left to it.",
        )
        send.add_argument("--limit", type=int, default=500, help="At most this many (500).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if options["min_age"] < 0 or options["limit"] < 1:
            raise CommandError("--min-age must be 0 or more and --limit 1 or more")
        report = send_queued(min_age_seconds=options["min_age"], limit=options["limit"])
        self.stdout.write(
            f"sms: sent {report.sent}, failed {report.failed}, skipped {report.skipped}"
        )
