"""Database backends for the test suite only (config/test_settings.py), never for a deployment.

Between transactional tests the runner empties every table. The audit log's triggers refuse
that (TRUNCATE on PostgreSQL, DELETE on SQLite), as they must everywhere else, so these
backends lift the audit tables' triggers for the flush alone, inside its transaction.
"""

AUDIT_TABLES = ("core_auditentry", "core_auditchainhead")
