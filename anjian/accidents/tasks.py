"""Background work of the accident module: the briefing and the statistics workbook are generated here."""

from celery import shared_task

from anjian.core import jobs


# acks_late and reject_on_worker_lost: a worker killed mid-job gets the task delivered again; the job resumes
# safely (core/jobs.py): a finished job is not generated again, a silent running one is taken over.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def generate_accident_report(self, job_id: int) -> dict:
    """Generate the briefing or the workbook of one queued job (the task gets only the id; the job row holds
    the period, the creator whose scope the figures follow, and receives the file)."""
    from anjian.accidents import reports

    ready = jobs.run_task(self, job_id, kinds=reports.KINDS, run=reports.run_job, related=["created_by__org_unit"])
    return {"job": job_id, "ready": bool(ready)}
