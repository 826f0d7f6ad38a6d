"""An audit log written before the chain was keyed keeps verifying after the upgrade, and goes on keyed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from anjian.core import audit
from anjian.core.models import AuditEntry
from anjian.core.tests.test_audit_keyed_chain import plain_sha256

BEFORE = ("core", "0005_job_output_file")
K1 = "k1:" + "1" * 40


def _refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_a_log_from_before_keying_verifies_after_the_migration_and_goes_on_keyed(settings):
    settings.AUDIT_HMAC_KEYS = [K1]
    call_command("migrate", *BEFORE, verbosity=0)
    old = MigrationLoader(connection).project_state(BEFORE).apps
    OldEntry, OldHead = old.get_model("core", "AuditEntry"), old.get_model("core", "AuditChainHead")
    previous = audit.GENESIS_HASH
    for seq in range(1, 4):  # as the log wrote them: plain SHA-256, no key id
        row = {
            "seq": seq,
            "created_at": timezone.now(),
            "actor_id": None,
            "actor_name": "",
            "org_unit_id": None,
            "org_unit_name": "",
            "action": "test.legacy",
            "object_type": "",
            "object_id": "",
            "object_repr": f"升级前{seq}",
            "before": None,
            "after": {"i": seq},
            "request_id": "",
            "ip": None,
            "prev_hash": previous,
        }
        previous = plain_sha256(row)
        OldEntry.objects.create(**row, hash=previous)
    OldHead.objects.create(pk=1, last_seq=3, last_hash=previous)

    call_command("migrate", "core", verbosity=0)

    assert list(AuditEntry.objects.order_by("seq").values_list("key_id", flat=True)) == ["", "", ""]
    assert audit.verify_chain().ok
    audit.record(action="test.event", object_repr="升级后")
    assert list(AuditEntry.objects.order_by("seq").values_list("action", "key_id")) == [
        ("test.legacy", ""),
        ("test.legacy", ""),
        ("test.legacy", ""),
        (audit.KEY_ROTATED, "k1"),
        ("test.event", "k1"),
    ]
    report = audit.verify_chain()
    assert report.ok and report.checked == 5
    # the migration rebuilt the SQLite table: its triggers are there all the same
    assert _refused("UPDATE core_auditentry SET object_repr = 'x' WHERE seq = 1")
    assert _refused("DELETE FROM core_auditentry WHERE seq = 5")
    if connection.vendor == "postgresql":
        assert _refused("TRUNCATE core_auditentry, core_auditchainhead")
