import os
import stat
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
        data = read_import_file(file)
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


def read_import_file(file: Path) -> bytes:
    """FILE-3: only a regular file, reached without `..` and without a symbolic link
    anywhere on the path as written, inside `CMA_IMPORT_ROOT` when that is set; opened
    with O_NOFOLLOW (no race between the check and the open) and read up to the limit."""
    if ".." in file.parts:
        raise CommandError(f"{file}: a path with '..' is refused; name the file directly")
    for part in [file, *file.parents]:
        if part.is_symlink():
            raise CommandError(f"{file}: {part} is a symbolic link; symbolic links are refused")
    root = getattr(settings, "CMA_IMPORT_ROOT", None)
    if root and not file.resolve().is_relative_to(Path(root).resolve()):
        raise CommandError(f"{file}: outside the import directory {root}")
    limit = settings.CMA_MAX_IMPORT_BYTES
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise CommandError(f"{file}: no such file") from None
    except OSError as exc:
        raise CommandError(f"{file}: cannot be opened ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CommandError(f"{file}: not a regular file")
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise CommandError(f"{file}: larger than {limit} bytes")
    return data
