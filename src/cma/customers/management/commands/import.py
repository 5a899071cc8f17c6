from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from cma.customers.imports import KINDS, import_rows
from cma.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import a finance-system feed: `cma import customers FILE.csv|.jsonl` or "
        "`cma import accounts FILE`. Every row is checked first; nothing is written if any is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="what the file holds")
        parser.add_argument("file", type=Path, help="a .csv (with header row) or .jsonl file")

    def handle(self, *args, kind, file, **options):
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in ("csv", "jsonl"):
            raise CommandError(f"{file}: the file name must end in .csv or .jsonl")
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.stat().st_size > settings.CMA_MAX_IMPORT_BYTES:
            raise CommandError(f"{file}: larger than {settings.CMA_MAX_IMPORT_BYTES} bytes")
        data = file.read_bytes()
        try:
            with Progress(transient=True) as bar:
                task = bar.add_task(f"Importing {kind}", total=None)
                count = import_rows(
                    kind=kind,
                    data=data,
                    fmt=fmt,
                    actor=None,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        except DomainError as exc:
            # Every bad row on its own line (file:line: field: message), then one summary.
            for d in exc.details:
                field = f" {d['field']}:" if d.get("field") else ""
                self.stderr.write(f"{file}:{d.get('line', '?')}:{field} {d['message']}")
            raise CommandError(f"{file}: {exc.message}") from None
        self.stdout.write(f"imported {count} {kind} row{'s' if count != 1 else ''} from {file}")
