"""Test helpers of the platform's mechanisms: whether a missing browser, database or broker fails the run, and
acting as the database owner. The fixed cast of users and units is ``anjian.accounts.testing``."""

from __future__ import annotations

import os


def in_ci() -> bool:
    """In CI a missing browser, database or broker fails the run instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


AUDIT_TABLES = ("core_auditentry", "core_auditchainhead")


def as_database_owner(*statements: tuple[str, list]) -> None:
    """Run raw SQL on the audit tables with their triggers lifted, as the database's owner can
    (PostgreSQL: ALTER TABLE … DISABLE TRIGGER USER; SQLite: drop the triggers, recreate them after).
    Tests of tampering use it to play the attacker the keyed chain and the checkpoints must expose."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for sql, params in statements:
                cursor.execute(sql, params)
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)", list(AUDIT_TABLES)
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for sql, params in statements:
            cursor.execute(sql, params)
        for _name, sql in triggers:
            cursor.execute(sql)
