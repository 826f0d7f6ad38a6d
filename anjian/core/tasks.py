"""Periodic checks of the platform itself."""

import logging

from celery import shared_task

from anjian.core import audit, jobs

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chain() -> dict:
    """Nightly: walk the whole audit chain and log loudly if any row was tampered with."""
    report = audit.verify_chain()
    if report.ok:
        logger.info("audit chain OK: %s rows", report.checked)
    else:
        logger.error("audit chain BROKEN at row #%s: %s", report.broken_seq, report.reason)
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
