"""Background work of the accident module: the briefing and the statistics workbook are generated here."""

from celery import shared_task

from anjian.core.models import Job


@shared_task
def generate_accident_report(job_id: int) -> dict:
    """Generate the briefing or the workbook of one queued job (the task gets only the id; the job row holds
    the period, the creator whose scope the figures follow, and receives the file)."""
    from anjian.accidents import reports

    job = Job.objects.select_related("created_by", "created_by__org_unit").get(pk=job_id, kind__in=reports.KINDS)
    ready = reports.run_job(job)
    return {"job": job.pk, "ready": ready}
