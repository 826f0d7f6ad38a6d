"""SQLite for the test suite: its flush drops the audit tables' triggers around the DELETE and recreates them."""

from django.db.backends.sqlite3 import base, operations

from anjian.core.testing_backends import AUDIT_TABLES


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        guarded = [table for table in AUDIT_TABLES if table in tables]
        if not statements or not guarded:
            return statements
        # SQLite cannot disable a trigger: drop it, and recreate it from its own stored definition.
        placeholders = ", ".join(["%s"] * len(guarded))
        with self.connection.cursor() as cursor:
            cursor.execute(
                # only placeholders are formatted in; the table names go as parameters
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",  # noqa: S608
                guarded,
            )
            triggers = cursor.fetchall()
        return [
            *(f"DROP TRIGGER {self.quote_name(name)};" for name, _sql in triggers),
            *statements,
            *(f"{sql};" for _name, sql in triggers),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
