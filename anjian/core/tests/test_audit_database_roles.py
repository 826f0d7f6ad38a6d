"""The README's PostgreSQL role split, run as written: the application role writes the audit log
but can neither change it, truncate it, nor switch its triggers off."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from anjian.core import audit
from anjian.core.models import AuditEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's"),
]

README = Path(__file__).resolve().parents[3] / "README.md"
SECTION = "### PostgreSQL: an owner role and an application role"


def _readme_sql_blocks() -> list[str]:
    text = README.read_text("utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ")]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


def _statements(block: str, *, app: str) -> list[str]:
    """The README's statements for this test database: the test's own user plays the owner (it owns the
    tables the migrations made), a throwaway role the application; all of it is rolled back with the test."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    database = connection.settings_dict["NAME"]
    block = block.replace("anjian_owner", f'"{owner}"').replace("anjian_app", app)
    block = re.sub(r"DATABASE anjian\b", f'DATABASE "{database}"', block)
    return [statement.strip() for statement in block.split(";") if statement.strip()]


def _refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError:
        return True
    return False


def test_the_application_role_writes_the_log_but_cannot_change_it_or_lift_its_triggers():
    create_roles, database_grants, after_migrate, _existing = _readme_sql_blocks()
    app = f"anjian_app_test_{uuid.uuid4().hex[:10]}"
    (create_app,) = [s for s in _statements(create_roles, app=app) if s.startswith(f"CREATE ROLE {app}")]
    audit.record(action="test.event", object_repr="迁移后")
    with connection.cursor() as cursor:
        for statement in [create_app, *_statements(database_grants, app=app), *_statements(after_migrate, app=app)]:
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {app}")
    try:
        entry = audit.record(action="test.event", object_repr="应用角色写入")
        assert AuditEntry.objects.filter(seq=entry.seq).exists()
        assert audit.verify_chain().ok
        attempts = [
            "UPDATE core_auditentry SET object_repr = 'x'",
            "DELETE FROM core_auditentry",
            "TRUNCATE core_auditentry",
            "TRUNCATE core_auditchainhead",
            "DELETE FROM core_auditchainhead",
            "ALTER TABLE core_auditentry DISABLE TRIGGER USER",
            "ALTER TABLE core_auditentry DISABLE TRIGGER ALL",
            "ALTER TABLE core_auditchainhead DISABLE TRIGGER core_auditchainhead_no_truncate",
            "DROP TRIGGER core_auditentry_no_update_delete ON core_auditentry",
            "SET session_replication_role = replica",
            "CREATE TABLE core_sneaky (id int)",
        ]
        assert [sql for sql in attempts if not _refused(sql)] == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 2
