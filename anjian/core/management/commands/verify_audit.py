from django.core.management.base import BaseCommand, CommandError

from anjian.core import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; print OK or the first broken row."

    def handle(self, *args, **options):
        report = audit.verify_chain()
        if not report.ok:
            raise CommandError(f"BROKEN at row #{report.broken_seq}: {report.reason}")
        self.stdout.write(f"OK: {report.checked} rows, chain intact")
