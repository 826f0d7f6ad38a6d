"""A real Celery worker, over the real Redis broker, is killed with SIGKILL in the middle of an import.

- Its pool process killed (what the out-of-memory killer does): the task is delivered again (acks_late,
  reject_on_worker_lost), waits until the dead run's heartbeat is stale, takes the job over and completes it,
  every place written once.
- The whole worker killed (machine lost): nobody redelivers it soon, so the job's page, polled, finds the job
  silent past JOB_STALE_SECONDS and says it was interrupted; its owner retries it and it completes.

The worker and this test run with JOB_STALE_SECONDS=3 so that the whole story takes seconds, not minutes.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from anjian.accounts.testing import build_cast
from anjian.core import jobs
from anjian.core.models import AuditEntry, Job, JobFailure, JobStatus
from anjian.core.tests.test_celery_worker import start_worker, stop_worker
from anjian.organizations.services import ensure_sectors
from anjian.registry import imports
from anjian.registry.models import Site
from anjian.registry.tests import test_import as place_files

pytestmark = pytest.mark.worker

ROWS = 2500  # seconds of checking and writing: long enough to be killed in the middle
STALE = 3


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for(job_id: int, process, predicate, what: str, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(pk=job_id)
        if predicate(job):
            return job
        if process is not None and process.poll() is not None:
            pytest.fail("the worker died:\n" + (process.stdout.read() if process.stdout else ""))
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen in time: {job.status} {job.progress}/{job.total} {job.message}")
        time.sleep(0.05)


def _import_job(cast, prefix: str) -> Job:
    """A queued import of ROWS new places (progress is reported every 1,000 rows checked)."""
    data = place_files.xlsx([place_files.row(场所名称=f"{prefix}{n}") for n in range(ROWS)])
    return jobs.create_job(
        actor=cast.safety_officer,
        kind=imports.JOB_KIND,
        params={"district": cast.district.pk, "language": "zh-hans"},
        upload=ContentFile(data, name=f"{prefix}.xlsx"),
    )


def _checking(job: Job) -> bool:
    return job.status == JobStatus.RUNNING and job.progress >= 1000


@pytest.mark.django_db(transaction=True)
def test_an_import_survives_its_worker_being_killed(settings, client_for):
    settings.JOB_STALE_SECONDS = STALE
    ensure_sectors()  # transactional tests start from a flushed database
    cast = build_cast()
    first, second = _import_job(cast, "甲仓库"), _import_job(cast, "乙仓库")
    client, queue, process = start_worker(
        pool="prefork", env={"JOB_STALE_SECONDS": str(STALE), "JOB_HEARTBEAT_SECONDS": "0.5"}
    )
    try:
        # 1. The pool process is killed mid-import: redelivered, taken over, completed once.
        client.send_task("anjian.registry.tasks.run_site_import", args=[first.pk], queue=queue)
        _wait_for(first.pk, process, _checking, "the first import's start", timeout=90)
        pool = _children(process.pid)
        assert pool, "the prefork worker has no pool process"
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        done = _wait_for(first.pk, process, lambda job: job.is_finished, "the redelivered import")
        assert (done.status, done.attempt, done.result["created"]) == (JobStatus.SUCCEEDED, 2, ROWS), done.message
        assert Site.objects.count() == ROWS
        assert AuditEntry.objects.filter(action="registry.site.import").count() == 1

        # 2. The whole worker is killed mid-import: the polled page finds the job silent and offers a retry.
        client.send_task("anjian.registry.tasks.run_site_import", args=[second.pk], queue=queue)
        _wait_for(second.pk, process, _checking, "the second import's start")
        for pid in [process.pid, *_children(process.pid)]:
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        stop_worker(client, process)
    assert Job.objects.get(pk=second.pk).status == JobStatus.RUNNING  # half done, and nobody left to finish it
    owner = client_for(cast.safety_officer)
    status_url = reverse("registry:import_job_status", args=[second.pk])
    deadline = time.monotonic() + STALE + 10
    while 'data-testid="job-retry"' not in owner.get(status_url).content.decode():
        assert time.monotonic() < deadline, "the page never said the job was interrupted"
        time.sleep(0.5)
    interrupted = Job.objects.get(pk=second.pk)
    assert interrupted.status == JobStatus.FAILED and interrupted.failure == JobFailure.INTERRUPTED
    assert Site.objects.count() == ROWS  # the killed run wrote nothing
    # Without a broker in this process the retry runs at once, as in the embedded installation.
    owner.post(reverse("registry:import_retry", args=[second.pk]))
    retried = Job.objects.get(pk=second.pk)
    assert (retried.status, retried.attempt, retried.result["created"]) == (JobStatus.SUCCEEDED, 2, ROWS)
    assert Site.objects.count() == 2 * ROWS
