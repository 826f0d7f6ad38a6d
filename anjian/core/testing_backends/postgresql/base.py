"""PostgreSQL for the test suite: its flush disables the audit tables' triggers around the TRUNCATE."""

from django.db.backends.postgresql import base, operations

from anjian.core.testing_backends import AUDIT_TABLES


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        guarded = [self.quote_name(table) for table in AUDIT_TABLES if table in tables]
        if not statements or not guarded:
            return statements
        # The test database's owner may do this; the application role of a deployment may not (README).
        return [
            *(f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in guarded),
            *statements,
            *(f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in guarded),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
