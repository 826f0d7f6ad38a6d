"""Periodic work of the hazard loop: Celery beat runs these in deployments; the embedded scheduler
(`manage.py run_scheduler`, started by `make run`) runs the same schedule without a broker."""

import logging

from celery import shared_task

from anjian.inspections import services

logger = logging.getLogger(__name__)


@shared_task
def scan_deadlines() -> dict:
    """Hourly: reminders 3 days ahead, overdue marking and escalation, task reminders."""
    counts = services.scan_deadlines()
    logger.info("deadline scan: %s", counts)
    return counts


@shared_task
def plan_routine_inspections() -> int:
    """Nightly: inspection tasks for places whose next routine inspection falls due."""
    created = services.generate_frequency_tasks()
    logger.info("routine inspection tasks planned: %s", created)
    return created
