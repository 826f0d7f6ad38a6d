from django.core.management.base import BaseCommand, CommandError

from anjian.core import audit


class Command(BaseCommand):
    help = (
        "Verify the audit log's signed chain against every checkpoint in AUDIT_CHECKPOINT_DIR; "
        "print OK and append a new signed checkpoint, or name what broke."
    )

    def handle(self, *args, **options):
        try:
            report, checkpoint = audit.verify_and_checkpoint()
        except OSError as error:
            raise CommandError(f"the chain was verified but its checkpoint could not be written: {error}") from error
        if not report.ok:
            where = f" at row #{report.broken_seq}" if report.broken_seq else ""
            raise CommandError(f"BROKEN{where}: " + "\n".join(report.problems))
        self.stdout.write(
            f"OK: {report.checked} rows, chain intact, consistent with {report.checkpoints} earlier checkpoints"
        )
        self.stdout.write(f"checkpoint: {checkpoint}")
