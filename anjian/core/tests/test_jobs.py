"""Background jobs survive their worker's death: one claim per run, a heartbeat, the sweep of silent jobs (by
beat, the embedded scheduler and the job's page), takeover by a redelivered task, and no write from a run that
lost its job. The pages' retry is pinned with the imports and the briefing (accidents/tests/test_job_retry.py);
a real worker killed mid-import in registry/tests/test_worker_killed_mid_import.py."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings
from django.utils import timezone, translation

from anjian.core import jobs
from anjian.core.management.commands.run_scheduler import Command as Scheduler
from anjian.core.management.commands.run_scheduler import due_entries
from anjian.core.models import Job, JobFailure, JobStatus

pytestmark = pytest.mark.django_db
KIND = "test.job"
INTERRUPTED = "后台任务中断：执行该任务的进程已停止响应，未保存任何内容，可以重试。"


def running(user, *, silent_for: float = 0, language: str = "zh-hans") -> Job:
    """A claimed job whose last heartbeat is ``silent_for`` seconds old."""
    job = jobs.create_job(actor=user, kind=KIND, params={"language": language})
    assert jobs.start(job, total=10)
    beat = timezone.now() - timedelta(seconds=silent_for)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=beat)
    job.heartbeat_at = beat
    return job


def stale() -> float:
    return settings.JOB_STALE_SECONDS + 1


def test_a_job_is_claimed_once(cast):
    job = jobs.create_job(actor=cast.safety_officer, kind=KIND)
    twin = Job.objects.get(pk=job.pk)  # the same job as a redelivered task loads it
    assert jobs.start(job, total=3) is True
    assert jobs.start(twin, total=3) is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempt == 1 and job.heartbeat_at is not None


def test_progress_is_a_heartbeat(cast):
    job = running(cast.safety_officer, silent_for=60)
    jobs.report_progress(job, done=4, total=10, message="第4行")
    job.refresh_from_db()
    assert (job.progress, job.total, job.message) == (4, 10, "第4行")
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)


def test_a_silent_running_job_is_marked_interrupted_and_retryable(cast):
    job = running(cast.safety_officer, silent_for=stale())
    assert jobs.fail_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure == JobFailure.INTERRUPTED and job.can_retry
    assert job.message == INTERRUPTED and job.finished_at is not None


def test_the_message_is_in_the_language_the_job_was_started_in(cast):
    job = running(cast.safety_officer, silent_for=stale(), language="en")
    with translation.override("zh-hans"):
        jobs.fail_stale()
    job.refresh_from_db()
    assert job.message.startswith("The background job was interrupted")


def test_live_queued_and_finished_jobs_are_left_alone(cast):
    live = running(cast.safety_officer, silent_for=settings.JOB_STALE_SECONDS / 2)
    queued = jobs.create_job(actor=cast.safety_officer, kind=KIND)
    done = running(cast.safety_officer)
    jobs.succeed(done, result={}, message="好了")
    Job.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    assert jobs.fail_stale() == 0
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {live.pk: JobStatus.RUNNING, queued.pk: JobStatus.QUEUED, done.pk: JobStatus.SUCCEEDED}


LOST = "后台任务未能开始：没有进程从队列中取走它，未保存任何内容，可以重试。"


def queued_since(user, seconds: float) -> Job:
    job = jobs.create_job(actor=user, kind=KIND, params={"language": "zh-hans"})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))
    job.refresh_from_db()
    return job


def test_a_job_the_queue_lost_is_marked_failed_and_retryable(cast):
    lost = queued_since(cast.safety_officer, settings.JOB_QUEUE_LOST_SECONDS + 1)
    waiting = queued_since(cast.safety_officer, settings.JOB_QUEUE_LOST_SECONDS - 60)
    assert jobs.fail_stale() == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, lost.failure, lost.message) == (JobStatus.FAILED, JobFailure.INTERRUPTED, LOST)
    assert lost.can_retry and waiting.status == JobStatus.QUEUED


def test_a_retried_job_waits_in_the_queue_from_its_retry(cast):
    job = queued_since(cast.safety_officer, settings.JOB_QUEUE_LOST_SECONDS + 1)
    jobs.fail_stale()
    assert jobs.requeue(job, actor=cast.safety_officer) is True
    assert jobs.fail_stale() == 0  # created long ago, but queued again just now
    assert jobs.recover(job).status == JobStatus.QUEUED
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_QUEUE_LOST_SECONDS + 1)
    )
    job.refresh_from_db()
    assert jobs.recover(job).status == JobStatus.FAILED  # the job's page sweeps it lazily too


def test_a_lost_job_that_a_late_worker_finds_is_not_run(cast):
    job = queued_since(cast.safety_officer, settings.JOB_QUEUE_LOST_SECONDS + 1)
    jobs.fail_stale()
    assert jobs.start(job, total=1) is False


def test_a_run_that_lost_its_job_can_write_nothing(cast):
    job = running(cast.safety_officer, silent_for=stale())
    jobs.fail_stale()
    with pytest.raises(jobs.ClaimLost):
        jobs.report_progress(job, done=5)
    with pytest.raises(jobs.ClaimLost):
        jobs.heartbeat(job)
    with pytest.raises(jobs.ClaimLost):
        jobs.succeed(job, result={"late": True})
    assert jobs.fail(job, message="late") is False
    job.refresh_from_db()
    assert job.failure == JobFailure.INTERRUPTED and job.message == INTERRUPTED and job.result == {}


def test_a_redelivered_run_takes_over_a_silent_job_and_fences_the_old_run(cast):
    old = running(cast.safety_officer, silent_for=stale())
    new = Job.objects.get(pk=old.pk)
    assert jobs.start(new, total=10) is True
    assert new.attempt == 2
    # The old run wakes up: its writes name attempt 1 and are refused.
    with pytest.raises(jobs.ClaimLost):
        jobs.report_progress(old, done=9)
    jobs.report_progress(new, done=3)
    jobs.succeed(new, result={"ok": True}, message="完成")
    new.refresh_from_db()
    assert (new.status, new.progress, new.total, new.attempt) == (JobStatus.SUCCEEDED, 10, 10, 2)


def test_a_running_job_with_a_fresh_heartbeat_cannot_be_taken_over(cast):
    job = running(cast.safety_officer, silent_for=1)
    assert jobs.start(Job.objects.get(pk=job.pk)) is False


def test_a_finished_job_is_not_run_again(cast):
    job = running(cast.safety_officer)
    jobs.fail(job, message="坏文件")
    assert jobs.start(Job.objects.get(pk=job.pk)) is False
    jobs.fail_stale()
    job.refresh_from_db()
    assert job.failure == JobFailure.INPUT and not job.can_retry


def test_the_page_sweeps_lazily(cast):
    job = running(cast.safety_officer, silent_for=stale())
    assert jobs.recover(job).status == JobStatus.FAILED
    fresh = running(cast.safety_officer, silent_for=1)
    assert jobs.recover(fresh).status == JobStatus.RUNNING


def test_only_the_owner_requeues_a_retryable_failure_and_only_once(cast):
    job = running(cast.safety_officer, silent_for=stale())
    jobs.fail_stale()
    assert jobs.requeue(job, actor=cast.street_officer) is False
    assert jobs.requeue(job, actor=cast.safety_officer) is True
    assert jobs.requeue(job, actor=cast.safety_officer) is False  # a second click: queued already
    job.refresh_from_db()
    assert (job.status, job.failure, job.progress, job.message) == (JobStatus.QUEUED, "", 0, "")
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)  # its time in the queue starts again
    assert job.attempt == 1  # the fence keeps counting: the next run is attempt 2
    refused = running(cast.safety_officer)
    jobs.fail(refused, message="坏文件")
    assert jobs.requeue(refused, actor=cast.safety_officer) is False


@pytest.mark.django_db(transaction=True)
def test_the_beat_keeps_a_long_quiet_run_alive(cast, settings):
    """The heartbeat thread writes from its own connection, so this test commits (transactional)."""
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = running(cast.safety_officer, silent_for=60)
    with jobs.beating(job):
        time.sleep(0.6)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=2)
    jobs.fail_stale()
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_the_sweep_runs_every_minute_under_beat_and_the_embedded_scheduler(cast):
    name = "core-fail-stale-jobs"
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    current_app.loader.import_default_modules()  # as the scheduler does: the apps' task modules
    assert entry["task"] in current_app.tasks
    now = timezone.now()
    assert name in due_entries(settings.CELERY_BEAT_SCHEDULE, {name: now - timedelta(seconds=61)}, now)
    job = running(cast.safety_officer, silent_for=stale())
    # The embedded scheduler (manage.py run_scheduler) runs the entry as it would every minute.
    Scheduler()._run(current_app, name, entry, fresh_connections=False)
    assert Job.objects.get(pk=job.pk).failure == JobFailure.INTERRUPTED
