from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cma.demo import core

STEPS = [core.load_staff, core.load_customers]


class Command(BaseCommand):
    help = (
        "Demo office: `load` creates synthetic staff and customers (idempotent); "
        "`logins` prints the sign-ins."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Create the demo office (only when DEBUG is on).")
        sub.add_parser("logins", help="Print the demo staff logins, one per role.")

    def handle(self, *args, action, **options):
        if action == "logins":
            self.stdout.write(f"Demo logins (password for all: {core.DEMO_PASSWORD})")
            for username, role, team, *_ in core.STAFF:
                self.stdout.write(f"  {username:<12} {role.label}{' · ' + team if team else ''}")
            self.stdout.write("Open http://127.0.0.1:8000 and sign in.")
            return
        if not settings.DEBUG:
            raise CommandError("demo data is only loaded when DEBUG is on (never in production)")
        from cma.demo import extra_steps

        with transaction.atomic():
            for step in STEPS + extra_steps():
                step()
        self.stdout.write("demo office loaded")
