"""Background jobs: create, start, report progress, finish (the rows behind every progress bar).

Progress is written with a plain UPDATE of three columns, never ``save()``: a task may
report thousands of times, and must not overwrite what another process wrote.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import File
from django.utils import timezone

from anjian.core.models import Job, JobStatus


def create_job(*, actor, kind: str, params: dict[str, Any] | None = None, upload: File | None = None) -> Job:
    """A queued job of the actor, holding its uploaded input file under MEDIA_ROOT/jobs/."""
    job = Job(kind=kind, created_by=actor, params=params or {})
    if upload is not None:
        name = getattr(upload, "name", "") or "upload"
        job.input_name = name.rsplit("/", 1)[-1][:255]
        job.input_file.save(job.input_name, upload, save=False)
    job.save()
    return job


def start(job: Job, *, total: int = 0, message: str = "") -> bool:
    """Claim a queued job; False if another worker already did (a redelivered task must not run twice)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, total=total, progress=0, message=message[:300]
    )
    if claimed:
        job.status, job.started_at, job.total, job.progress = JobStatus.RUNNING, now, total, 0
        job.message = message[:300]
    return bool(claimed)


def report_progress(job_id: int, *, done: int, total: int | None = None, message: str | None = None) -> None:
    """Cheap progress update from a running task (one UPDATE)."""
    fields: dict[str, Any] = {"progress": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message[:300]
    Job.objects.filter(pk=job_id).update(**fields)


def succeed(job: Job, *, result: dict[str, Any], message: str = "") -> None:
    job.status = JobStatus.SUCCEEDED
    job.result = result
    job.message = message[:300]
    job.progress = job.total = max(job.total, job.progress)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "message", "progress", "total", "finished_at"])


def fail(job: Job, *, message: str, result: dict[str, Any] | None = None, error_file: File | None = None) -> None:
    job.status = JobStatus.FAILED
    job.message = message[:300]
    job.result = result or {}
    job.finished_at = timezone.now()
    fields = ["status", "message", "result", "finished_at"]
    if error_file is not None:
        job.error_file.save(f"errors-{job.pk}.xlsx", error_file, save=False)
        fields.append("error_file")
    job.save(update_fields=fields)
