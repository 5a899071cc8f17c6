"""`cma letters ...`: the letter catalogue, batch issue and checksum verification."""

import csv
import io
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cma.customers.models import Customer
from cma.customers.selectors import get_customer_for
from cma.errors import DomainError, ValidationFailed
from cma.letters import services
from cma.letters.catalogue import active_templates, field_specs, requests_response
from cma.letters.models import Letter
from cma.policy.services import letter_template

MAX_BATCH = 5000


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise CommandError(f"--field {text!r}: write it as key=value")
    return key.strip(), value


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("yes", "no"):
        raise ValueError("answer yes or no")
    return value == "yes"


def read_customers(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) per customer. Either one customer reference number per
    line (blank lines and # comments skipped) or a CSV whose header has a `crn`
    column; its other columns are letter fields for that customer."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text") from None
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    rows: list[tuple[int, dict[str, str]]] = []
    if "crn" in [c.strip().lower() for c in first.split(",")]:
        reader = csv.DictReader(io.StringIO(text))
        for record in reader:
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
            rows.append((reader.line_num, row))
    else:
        for number, line in enumerate(lines, start=1):
            crn = line.strip()
            if crn and not crn.startswith("#"):
                rows.append((number, {"crn": crn}))
    if not rows:
        raise CommandError(f"{path}: no customers listed")
    if len(rows) > MAX_BATCH:
        raise CommandError(f"{path}: {len(rows)} customers; at most {MAX_BATCH} per batch")
    return rows


class Command(BaseCommand):
    help = "Letters: list templates, issue a batch from a file, verify stored PDFs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("templates", help="list the letter templates and their inputs")
        issue = sub.add_parser(
            "issue",
            help="issue one letter per customer in FILE; each is all-or-nothing",
            description=(
                "Issue a letter to every customer listed in FILE (one customer reference "
                "number per line, or a CSV with a crn column and optional field columns). "
                "Each letter is issued or refused on its own; failures are summarised and "
                "the command exits non-zero if any failed."
            ),
        )
        issue.add_argument("--template", required=True, help="template code, e.g. MX1-1")
        issue.add_argument("--customers", required=True, type=Path, metavar="FILE")
        issue.add_argument(
            "--as", dest="username", required=True, help="username of the issuing officer"
        )
        issue.add_argument(
            "--field",
            action="append",
            default=[],
            type=_key_value,
            metavar="KEY=VALUE",
            help="a letter field for every customer (a CSV column overrides it)",
        )
        issue.add_argument(
            "--employer-notice-outstanding",
            choices=["yes", "no"],
            help="MX1-1: has an employer not complied with a notice? (CON-4)",
        )
        sub.add_parser("verify", help="check every stored PDF against its SHA-256")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _templates(self, **options: Any) -> None:
        for t in active_templates():
            names = ", ".join(s.name for s in field_specs(t)) or "no inputs"
            reply = "asks for a reply" if requests_response(t) else "no reply needed"
            self.stdout.write(f"{t.code:<10} {t.title} ({names}; {reply}; signed: {t.signatory})")

    def _verify(self, **options: Any) -> None:
        bad = [
            letter.reference
            for letter in Letter.objects.only("reference", "pdf", "sha256").iterator(chunk_size=200)
            if not letter.checksum_ok()
        ]
        if bad:
            raise CommandError(f"{len(bad)} letter(s) fail their checksum: {', '.join(bad)}")
        self.stdout.write("every stored letter matches its checksum")

    def _issue(self, *, template: str, customers: Path, username: str, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"--as {username}: no active staff member with that username")
        try:
            letter_template(template)
        except DomainError as exc:
            raise CommandError(f"--template {template}: {exc.message}") from None
        rows = read_customers(customers)
        common = dict(options["field"])
        flag = options.get("employer_notice_outstanding")
        issued: list[str] = []
        failures: list[tuple[int, str, str]] = []
        console = Console(file=self.stderr._out, stderr=True)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(f"Issuing {template}", total=len(rows))
            for line, row in rows:
                try:
                    issued.append(self._one(template, actor, row, common, flag))
                except DomainError as exc:
                    failures.append((line, row.get("crn", ""), exc.message))
                bar.advance(task)
        self.stdout.write(f"issued {len(issued)} of {len(rows)} {template} letters")
        for line, crn, message in failures:
            self.stdout.write(f"  {customers}:{line}: {crn or '(no crn)'}: {message}")
        if failures:
            raise CommandError(f"{len(failures)} of {len(rows)} letters were not issued")

    def _one(
        self, template: str, actor: Any, row: dict[str, str], common: dict, flag: str | None
    ) -> str:
        row = dict(row)
        crn = row.pop("crn", "").upper()
        flag = row.pop("employer_notice_outstanding", "") or flag
        try:
            outstanding = _yes_no(flag) if flag else None
        except ValueError:
            raise ValidationFailed(
                "employer_notice_outstanding must be yes or no", field="employer_notice_outstanding"
            ) from None
        pk = Customer.objects.filter(crn=crn).values_list("pk", flat=True).first() if crn else None
        if pk is None:
            raise ValidationFailed("no customer with that reference number", field="crn")
        customer = get_customer_for(actor, pk)
        fields = {**common, **{k: v for k, v in row.items() if v != ""}}
        letter = services.issue_letter(
            customer=customer,
            template_code=template,
            fields=fields,
            actor=actor,
            employer_notice_outstanding=outstanding,
        )
        return letter.reference
