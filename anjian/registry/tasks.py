"""Background work of the registry: large imports run here, off the request."""

from celery import shared_task

from anjian.core.models import Job


@shared_task
def run_site_import(job_id: int) -> dict:
    """Run one queued import job (the task gets only the id; the job row holds the file and parameters)."""
    from anjian.registry import imports

    job = Job.objects.select_related("created_by").get(pk=job_id, kind=imports.JOB_KIND)
    result = imports.run_job(job)
    return result.summary() if result is not None else {}
