from django.core.management.base import BaseCommand, CommandError

from cma.errors import DomainError
from cma.work.services import run_sweeps
from cma.work.services.sweeps import DEFAULT_BATCH, sweep_names


class Command(BaseCommand):
    help = (
        "Run the work sweeps once: record auto-unlocks of locks whose expiry has passed "
        "(CMA-7), escalate overdue intrays to the owner's Team Leader (WRK-5), then the "
        "sweeps other apps register (e.g. contact-steps: raise due contact attempts). "
        "Idempotent and safe to run while people work or alongside another sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sweep_names(), help="Run just one of the sweeps.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Rows per transaction (default {DEFAULT_BATCH}).",
        )

    def handle(self, *args, only=None, batch_size=DEFAULT_BATCH, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            report = run_sweeps(batch_size=batch_size, only=only)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(report.summary())
