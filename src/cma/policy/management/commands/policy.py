from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cma.errors import DomainError
from cma.policy import loader


class Command(BaseCommand):
    help = "Policy data: `load` validates and loads the versioned YAML files (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Validate and load every policy file.")
        load.add_argument("--dir", type=Path, default=loader.DATA_DIR, help="policy data folder")

    def handle(self, *args, action, **options):
        try:
            reports = loader.load_all(options["dir"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for r in reports:
            state = "loaded" if r.changed else "unchanged"
            self.stdout.write(f"{r.name}: version {r.version}, {r.items} entries, {state}")
