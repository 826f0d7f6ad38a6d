from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.core import audit, audit_keys


class Command(BaseCommand):
    help = (
        "Rotate the audit log's signing key. With --generate, print a new 'id:secret' entry to put first in "
        "AUDIT_HMAC_KEYS (keeping the old entries after it). Without it, once every process runs with the new "
        "AUDIT_HMAC_KEYS, record the change of key in the chain now and write a checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key entry; changes nothing")
        parser.add_argument("--id", default="", help="the new key's id (default: k<today>)")

    def handle(self, *args, generate=False, id="", **options):
        if generate:
            key_id = id or f"k{timezone.localdate():%Y%m%d}"
            try:
                self.stdout.write(audit_keys.generate_key(key_id))
            except audit_keys.AuditKeyError as error:
                raise CommandError(str(error)) from error
            return
        key_id, previous = audit.ensure_signing_key()
        if previous is None:
            self.stdout.write(f"The audit log is signed with key {key_id}; no change to record.")
        else:
            self.stdout.write(f"Recorded the change of signing key: {previous or 'SHA-256'} → {key_id}.")
        report, checkpoint = audit.verify_and_checkpoint()
        if not report.ok:
            raise CommandError("BROKEN: " + "\n".join(report.problems))
        self.stdout.write(f"checkpoint: {checkpoint}")
