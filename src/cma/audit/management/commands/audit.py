from django.core.management.base import BaseCommand, CommandError

from cma.audit import services


class Command(BaseCommand):
    help = "Audit trail: `verify` walks the hash chain; `seal` chains pending records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Seal pending records, then check every link of the chain.")
        sub.add_parser("seal", help="Give pending records their sequence number and hash.")

    def handle(self, *args, action, **options):
        if action == "seal":
            self.stdout.write(f"sealed {services.seal()} records")
            return
        result = services.verify()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at seq {result.bad_seq}: {result.problem} "
                f"({result.checked} records verified before it)"
            )
        self.stdout.write(f"audit chain intact: {result.checked} records verified")
