"""The audit chain names the key each row is signed with; TRUNCATE and DELETE are refused.

Existing rows keep their plain SHA-256 and get the key id "" (rows from before keying);
they are not re-signed: re-signing would mean lifting the append-only trigger and
rewriting every row, the very act the chain exists to expose, and would give a fresh valid
signature to anything altered before. The first row appended after this migration records
the change to a keyed chain, and from then on a plain hash is refused (see core.audit).

PostgreSQL: a statement trigger refuses TRUNCATE of the log and of its head, which the row
trigger of 0002 never sees. SQLite has no TRUNCATE: DELETE (with or without WHERE) is now
refused too. Adding a column makes SQLite rebuild the table, which drops its triggers, so
the UPDATE trigger of 0002 is created again here (and again when the column is removed).
"""

from django.db import migrations, models

PG_FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse_truncate();
CREATE TRIGGER core_auditchainhead_no_truncate
    BEFORE TRUNCATE ON core_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse_truncate();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditchainhead_no_truncate ON core_auditchainhead;
DROP FUNCTION IF EXISTS core_audit_refuse_truncate();
"""
SQLITE_UPDATE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update
BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused');
END;
"""
SQLITE_DELETE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete
BEFORE DELETE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'core_auditentry is append-only: DELETE refused');
END;
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE_TRIGGER)
        schema_editor.execute(SQLITE_DELETE_TRIGGER)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete;")


def restore_sqlite_update_trigger(apps, schema_editor):
    """Unapplying: removing the column rebuilds the SQLite table without the trigger of 0002."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_job_output_file")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_update_trigger),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="key id"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.RunPython(forward, backward),
    ]
