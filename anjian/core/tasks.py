"""Periodic checks of the platform itself."""

from celery import shared_task

from anjian.core import audit, jobs


@shared_task
def verify_audit_chain() -> dict:
    """Nightly: walk the whole audit chain, compare it with the signed checkpoints, log loudly if anything
    was tampered with, and otherwise append (and log) a new checkpoint outside the database."""
    report, _checkpoint = audit.verify_and_checkpoint()
    return {
        "ok": report.ok,
        "checked": report.checked,
        "broken_seq": report.broken_seq,
        "reason": report.reason,
    }


@shared_task
def fail_stale_jobs() -> dict:
    """Every minute: mark background jobs whose worker stopped beating as failed (interrupted, retryable)."""
    return {"failed": jobs.fail_stale()}
