"""Background jobs: create, claim, beat, report progress, finish, recover, retry (the rows behind progress bars).

The rules, for every kind of job (imports, briefings, statistics workbooks…):

- **One run at a time.** ``start()`` claims a job with one conditional UPDATE that also increments ``attempt``;
  two workers handed the same job (a redelivered task, a double click on "retry") cannot both win.
- **A running job shows it is alive.** Every progress report touches ``heartbeat_at``, and ``beating()`` touches
  it every ``JOB_HEARTBEAT_SECONDS`` from a thread while the work runs, also through phases that report nothing
  (a long write transaction, a Word document being built).
- **Silence means the worker died.** A running job without a heartbeat for ``JOB_STALE_SECONDS`` was interrupted
  (``kill -9``, out of memory, machine lost): ``fail_stale()`` marks it failed with a message that says so and
  offers a retry. It runs under Celery beat (and the embedded scheduler) every minute, and on the job's own page
  when it is polled, so an installation without beat recovers too. A redelivered task may take such a job over
  instead: ``start()`` also claims a running job whose heartbeat is stale.
- **A queued job that no worker takes was lost by the queue.** A broker restarted without persistence, or a
  message dropped, leaves a job "queued" forever; after ``JOB_QUEUE_LOST_SECONDS`` in the queue ``fail_stale()``
  marks it failed (retryable) with a message saying it never started. The time in the queue counts from its
  creation, or from its last retry (``requeue()`` writes the moment into ``heartbeat_at``).
- **A run that lost its claim writes nothing.** Progress, heartbeat and success name the attempt they belong to;
  when the job was declared interrupted or taken over meanwhile they raise ``ClaimLost``, and a success raised
  inside the run's write transaction rolls the data back with it.
- **Retry is the owner's.** ``requeue()`` puts a job that failed through no fault of its input back in the queue
  with the same input; it is one conditional UPDATE, so a double click queues it once.

Progress is written with a plain UPDATE of a few columns, never ``save()``: a task may report thousands of
times, and must not overwrite what another process wrote.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import DatabaseError, connections
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.core.models import RETRYABLE_FAILURES, Job, JobFailure, JobStatus

logger = logging.getLogger(__name__)

# How often a redelivered task finding its job still running (its heartbeat fresh) looks again before giving up:
# the run it found either ends, or goes silent and is taken over at the next look.
MAX_WAITS = 5


class ClaimLost(Exception):
    """This run no longer holds its job: it was declared interrupted, or another worker took it over."""


def stale_seconds() -> int:
    return int(getattr(settings, "JOB_STALE_SECONDS", 300))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))


def queue_lost_seconds() -> int:
    return int(getattr(settings, "JOB_QUEUE_LOST_SECONDS", 3600))


def interrupted_message() -> str:
    return _(
        "The background job was interrupted: the worker running it stopped responding. Nothing was saved; "
        "you can retry it."
    )


def lost_in_queue_message() -> str:
    return _("The background job never started: no worker took it from the queue. Nothing was saved; you can retry it.")


def create_job(*, actor, kind: str, params: dict[str, Any] | None = None, upload: File | None = None) -> Job:
    """A queued job of the actor, holding its uploaded input file under MEDIA_ROOT/jobs/."""
    job = Job(kind=kind, created_by=actor, params=params or {})
    if upload is not None:
        name = getattr(upload, "name", "") or "upload"
        job.input_name = name.rsplit("/", 1)[-1][:255]
        job.input_file.save(job.input_name, upload, save=False)
    job.save()
    return job


def _stale_condition(now) -> Q:
    cutoff = now - timedelta(seconds=stale_seconds())
    return Q(status=JobStatus.RUNNING) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))


def _lost_in_queue_condition(now) -> Q:
    cutoff = now - timedelta(seconds=queue_lost_seconds())
    return Q(status=JobStatus.QUEUED) & (
        Q(heartbeat_at__lt=cutoff) | (Q(heartbeat_at__isnull=True) & Q(created_at__lt=cutoff))
    )


def is_stale(job: Job, *, now=None) -> bool:
    """A running job whose last sign of life is older than JOB_STALE_SECONDS."""
    if job.status != JobStatus.RUNNING:
        return False
    now = now or timezone.now()
    return job.heartbeat_at is None or job.heartbeat_at < now - timedelta(seconds=stale_seconds())


def start(job: Job, *, total: int = 0, message: str = "") -> bool:
    """Claim a queued job, or take over a running one whose worker went silent; False if another run holds it
    or it is finished (a redelivered task must not run a job twice, nor a job that already ended).

    Compare-and-set on ``attempt``: of two workers claiming at once, exactly one UPDATE matches."""
    now = timezone.now()
    row = Job.objects.filter(pk=job.pk).values_list("attempt", "status").first()
    if row is None:
        return False
    seen, status = row
    claimed = Job.objects.filter(Q(status=JobStatus.QUEUED) | _stale_condition(now), pk=job.pk, attempt=seen).update(
        status=JobStatus.RUNNING,
        attempt=seen + 1,
        started_at=now,
        heartbeat_at=now,
        total=total,
        progress=0,
        message=message[:300],
        failure="",
    )
    if not claimed:
        return False
    if status == JobStatus.RUNNING:
        logger.warning("job %s: attempt %s takes over from a run that went silent", job.pk, seen + 1)
    job.status, job.attempt, job.started_at, job.heartbeat_at = JobStatus.RUNNING, seen + 1, now, now
    job.total, job.progress, job.message, job.failure = total, 0, message[:300], ""
    return True


def _held(job: Job) -> QuerySet:
    """The job's row, as long as this run still holds it."""
    return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempt=job.attempt)


def heartbeat(job: Job) -> None:
    """A sign of life of the run holding the job (one UPDATE); ClaimLost if it holds it no more."""
    if not _held(job).update(heartbeat_at=timezone.now()):
        raise ClaimLost(job.pk)


def report_progress(job: Job, *, done: int, total: int | None = None, message: str | None = None) -> None:
    """Cheap progress update from a running task (one UPDATE, which is also a heartbeat); ClaimLost when the
    job was declared interrupted or taken over meanwhile, so the run stops instead of working for nothing."""
    fields: dict[str, Any] = {"progress": done, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message[:300]
    if not _held(job).update(**fields):
        raise ClaimLost(job.pk)


def succeed(job: Job, *, result: dict[str, Any], message: str = "") -> None:
    """Record the success; ClaimLost if the run no longer holds the job. Called inside the transaction that
    writes the job's data, the success and the data commit together, or (ClaimLost) roll back together."""
    now = timezone.now()
    # The bar ends full: progress and total both become the larger of the two (SET reads the old values).
    full = Greatest(F("total"), F("progress"))
    if not _held(job).update(
        status=JobStatus.SUCCEEDED,
        result=result,
        message=message[:300],
        progress=full,
        total=full,
        finished_at=now,
        heartbeat_at=now,
    ):
        raise ClaimLost(job.pk)
    job.status, job.result, job.message, job.finished_at = JobStatus.SUCCEEDED, result, message[:300], now
    job.progress, job.total = Job.objects.filter(pk=job.pk).values_list("progress", "total").get()


def fail(
    job: Job,
    *,
    message: str,
    result: dict[str, Any] | None = None,
    error_file: File | None = None,
    failure: str = JobFailure.INPUT,
) -> bool:
    """Record the failure and why (``failure``: the input, an error, an interruption); False, changing nothing,
    when the run no longer holds the job (whoever took it over reports its own outcome)."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "message": message[:300],
        "result": result or {},
        "failure": failure,
        "finished_at": now,
    }
    if error_file is not None:
        job.error_file.save(f"errors-{job.pk}.xlsx", error_file, save=False)
        fields["error_file"] = job.error_file.name
    if not _held(job).update(**fields):
        if error_file is not None:
            job.error_file.delete(save=False)
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    if error_file is not None:
        job.error_file.name = fields["error_file"]
    return True


def fail_stale(queryset: QuerySet | None = None) -> int:
    """Mark every running job without a heartbeat for JOB_STALE_SECONDS, and every job queued for longer than
    JOB_QUEUE_LOST_SECONDS without a worker taking it, as failed (interrupted, retryable).

    Each job gets the message in the language it was started in. The UPDATE repeats the condition, so a job
    that beat, started or finished between the read and the write is left alone."""
    now = timezone.now()
    base = queryset if queryset is not None else Job.objects.all()
    count = 0
    for condition, message_of, reason in (
        (_stale_condition(now), interrupted_message, f"no heartbeat for {stale_seconds()} s"),
        (_lost_in_queue_condition(now), lost_in_queue_message, f"queued for over {queue_lost_seconds()} s"),
    ):
        for pk, params in base.filter(condition).values_list("pk", "params"):
            language = (params or {}).get("language") or settings.LANGUAGE_CODE
            with translation.override(language):
                message = message_of()
            updated = Job.objects.filter(condition, pk=pk).update(
                status=JobStatus.FAILED, failure=JobFailure.INTERRUPTED, message=message[:300], finished_at=now
            )
            if updated:
                logger.warning("job %s interrupted: %s; marked failed", pk, reason)
            count += updated
    return count


def recover(job: Job) -> Job:
    """The job as its page shows it: a stale running job is marked interrupted first (lazily, so an embedded
    installation without beat recovers too). A database busy with a long write (SQLite's single writer) only
    delays this to the next poll."""
    now = timezone.now()
    lost = job.status == JobStatus.QUEUED and (job.heartbeat_at or job.created_at) < now - timedelta(
        seconds=queue_lost_seconds()
    )
    if is_stale(job, now=now) or lost:
        try:
            fail_stale(Job.objects.filter(pk=job.pk))
        except DatabaseError:
            logger.warning("job %s: the stale check could not write; retried at the next poll", job.pk, exc_info=True)
            return job
        job.refresh_from_db()
    return job


def requeue(job: Job, *, actor) -> bool:
    """Put the actor's own failed job back in the queue with the same input, when its failure was not its input
    (an interruption or an error of the platform). One conditional UPDATE: a second click finds it queued already.

    The caller then hands the job to its task; the claim in ``start()`` keeps any duplicate delivery from running
    it twice. Retrying an import is safe: an import writes everything in one transaction or nothing."""
    requeued = Job.objects.filter(
        pk=job.pk, created_by_id=getattr(actor, "pk", None), status=JobStatus.FAILED, failure__in=RETRYABLE_FAILURES
    ).update(
        status=JobStatus.QUEUED,
        failure="",
        progress=0,
        total=0,
        message="",
        result={},
        started_at=None,
        heartbeat_at=timezone.now(),  # the moment it re-entered the queue (see _lost_in_queue_condition)
        finished_at=None,
    )
    if requeued:
        job.refresh_from_db()
    return bool(requeued)


def _beat(job_id: int, attempt: int, stop: threading.Event) -> None:
    interval = heartbeat_seconds()
    try:
        while not stop.wait(interval):
            try:
                alive = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempt=attempt).update(
                    heartbeat_at=timezone.now()
                )
            except DatabaseError:
                # SQLite lets one writer at a time: during the run's own write transaction the beat waits its turn.
                logger.info("job %s: heartbeat not written this time", job_id, exc_info=True)
                continue
            if not alive:
                return  # the claim is gone; the run finds out at its next report or at its end
    finally:
        # Connections are per thread: this thread's must not outlive it.
        connections.close_all()


@contextlib.contextmanager
def beating(job: Job) -> Iterator[None]:
    """Keep the claimed job's heartbeat fresh from a thread while the block runs."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(job.pk, job.attempt, stop), name=f"job-{job.pk}-heartbeat", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=heartbeat_seconds() + 30)


def run_task(task, job_id: int, *, kinds: Iterable[str], run: Callable[[Job], Any], related: Iterable[str] = ()):
    """The body of every job task: fetch the job by id and run it unless it needs no run.

    Job tasks are ``acks_late`` and ``reject_on_worker_lost``, so the task of a worker killed mid-job is delivered
    again. The job then is either finished (nothing to do), queued (run it), running with a stale heartbeat (take
    it over: ``start()`` claims it), or running with a fresh heartbeat: another run holds it, or the killed run's
    heartbeat has not gone stale yet, so look again in JOB_STALE_SECONDS. Returns ``run``'s value, or None when
    nothing was run."""
    job = Job.objects.select_related("created_by", *related).filter(pk=job_id, kind__in=list(kinds)).first()
    if job is None or job.is_finished:
        return None
    if job.status == JobStatus.RUNNING and not is_stale(job):
        if not task.request.is_eager and task.request.retries < MAX_WAITS:
            raise task.retry(countdown=stale_seconds(), max_retries=MAX_WAITS)
        return None
    return run(job)
