"""Background work of the registry: large imports run here, off the request."""

from celery import shared_task

from anjian.core import jobs


# acks_late and reject_on_worker_lost: a worker killed mid-import gets the task delivered again, and the job
# resumes safely (core/jobs.py): finished jobs are not run again, a silent running one is taken over.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_site_import(self, job_id: int) -> dict:
    """Run one queued import job (the task gets only the id; the job row holds the file and parameters)."""
    from anjian.registry import imports

    result = jobs.run_task(self, job_id, kinds=[imports.JOB_KIND], run=imports.run_job)
    return result.summary() if result is not None else {}
