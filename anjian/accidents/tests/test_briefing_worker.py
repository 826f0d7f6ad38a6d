"""A real Celery worker, over the real Redis broker, generates the briefing of a job it receives by id only:
the deployment mode, where the worker is another process (and could be another machine) sharing the database
and the media storage. Without a broker the same task runs in-process (see test_briefing)."""

from __future__ import annotations

import time
from io import BytesIO

import pytest
from docx import Document

from anjian.accidents import reports
from anjian.accidents.tests.test_statistics_page import at, make_accident
from anjian.accounts.testing import build_cast
from anjian.core import jobs
from anjian.core.models import Job, JobStatus
from anjian.core.tests.test_celery_worker import worker  # noqa: F401 - the real worker fixture
from anjian.organizations.services import ensure_sectors

pytestmark = pytest.mark.worker


def _wait(client, queue, process, job_id: int, timeout=120):
    result = client.send_task("anjian.accidents.tasks.generate_accident_report", args=[job_id], queue=queue)
    deadline = time.monotonic() + timeout
    while not result.ready():
        if process.poll() is not None:
            pytest.fail("the worker died:\n" + (process.stdout.read() if process.stdout else ""))
        if time.monotonic() > deadline:
            pytest.fail("the worker did not answer in time")
        time.sleep(0.2)
    return result.get(timeout=5)


def test_the_worker_writes_the_briefing_of_a_job_over_redis(worker):  # noqa: F811
    client, queue, process = worker
    # Transactional tests start from a flushed database: load the reference sectors again.
    ensure_sectors()
    cast = build_cast()
    make_accident(cast, at(2026, 1, 5), deaths=1, minor_injuries=2, direct_loss=300000)
    make_accident(cast, at(2025, 1, 5), direct_loss=100000, territory=cast.other_street)
    job = jobs.create_job(
        actor=cast.street_officer,
        kind=reports.BRIEFING_KIND,
        params={"start": "2026-01-01", "end": "2026-01-31", "group": "category", "language": "zh-hans"},
    )
    assert _wait(client, queue, process, job.pk) == {"job": job.pk, "ready": True}
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    with job.output_file.open("rb") as handle:
        document = Document(BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    # The street officer's scope, applied in the worker: 东街道 only, last year's 西街道 accident not counted.
    assert "东街道共发生生产安全事故1起、死亡1人、受伤2人、直接经济损失30万元，同比分别—、—、—、—" in text
    assert f"甲区安委办通报〔{job.created_at.year}〕{job.pk}号" in text

    # A job the worker cannot read fails with a message the user can read, never a half-written file.
    broken = jobs.create_job(actor=cast.street_officer, kind=reports.BRIEFING_KIND, params={"start": "x"})
    assert _wait(client, queue, process, broken.pk) == {"job": broken.pk, "ready": False}
    broken = Job.objects.get(pk=broken.pk)
    assert broken.status == JobStatus.FAILED and broken.message and not broken.output_file
