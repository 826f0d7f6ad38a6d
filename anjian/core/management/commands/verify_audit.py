from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anjian.core import audit


class Command(BaseCommand):
    help = (
        "Verify the audit log's signed chain against every checkpoint in AUDIT_CHECKPOINT_DIR; "
        "print OK and append a new signed checkpoint, or name what broke."
    )

    def handle(self, *args, **options):
        # The words are in the platform's language (LANGUAGE_CODE); the first word, OK or BROKEN, and the exit
        # status stay the same in every language, for the scripts that watch this command.
        try:
            report, checkpoint = audit.verify_and_checkpoint()
        except OSError as error:
            raise CommandError(
                _("The chain was verified but its checkpoint could not be written: %(error)s") % {"error": error}
            ) from error
        if not report.ok:
            where = _("BROKEN at row #%(seq)s:") % {"seq": report.broken_seq} if report.broken_seq else _("BROKEN:")
            raise CommandError(where + " " + "\n".join(report.problems))
        self.stdout.write(
            _("OK: %(rows)s rows, chain intact, consistent with %(checkpoints)s earlier signed checkpoints")
            % {"rows": report.checked, "checkpoints": report.checkpoints}
        )
        self.stdout.write(_("Checkpoint: %(line)s") % {"line": checkpoint})
