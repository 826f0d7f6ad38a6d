"""Background work of the hazard loop. Periodic: Celery beat runs these in deployments; the embedded scheduler
(`manage.py run_scheduler`, started by `make run`) runs the same schedule without a broker. Evidence photos:
each upload is processed here, off the request (without a broker, in the request, after its commit)."""

import logging

from celery import shared_task

from anjian.inspections import services
from anjian.inspections.services import photos

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


# acks_late: a worker lost mid-photo (its machine, a restart) leaves the message unacknowledged and the broker
# delivers it again; the processing is idempotent. Not reject_on_worker_lost: a photo whose decoding kills its
# pool process would be redelivered forever; retry_unfinished_photos retries it a bounded number of times.
@shared_task(acks_late=True)
def process_evidence_photo(photo_id: int) -> str:
    """Decode, re-encode, thumbnail and hash one uploaded photo (the task gets only the id); a photo already
    processed is left alone."""
    return str(photos.process_stored_photo(photo_id=photo_id))


@shared_task
def retry_unfinished_photos() -> dict:
    """Every five minutes: queue again the photos whose processing was lost; give up on those that never finish."""
    counts = photos.retry_unfinished_photos()
    if any(counts.values()):
        logger.info("unfinished photos: %s", counts)
    return counts
