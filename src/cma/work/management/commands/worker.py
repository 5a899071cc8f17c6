import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from cma.work.services import run_sweeps


class Command(BaseCommand):
    help = (
        "Run the periodic work sweeps (`cma sweep`) every CMA_WORKER_INTERVAL seconds "
        "until stopped with Ctrl-C or SIGTERM. Several workers may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between runs (default: settings.CMA_WORKER_INTERVAL).",
        )
        parser.add_argument(
            "--runs", type=int, default=0, help="Stop after this many runs (0 = run forever)."
        )

    def handle(self, *args, interval=None, runs=0, **options):
        interval = settings.CMA_WORKER_INTERVAL if interval is None else interval
        if interval <= 0:
            raise CommandError("--interval must be greater than 0")
        stop = threading.Event()

        def _stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"worker: sweeping every {interval:g}s")
        done = 0
        while not stop.is_set():
            started = time.monotonic()
            if not connection.in_atomic_block:
                # Drop a connection the database closed (restart, idle timeout).
                close_old_connections()
            try:
                report = run_sweeps()
            except Exception as exc:  # a failed run is reported; the next one retries
                self.stderr.write(f"worker: sweep failed: {type(exc).__name__}")
            else:
                self.stdout.write(f"worker: {report.summary(short=True)}")
            done += 1
            if runs and done >= runs:
                break
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
        self.stdout.write("worker: stopped")
