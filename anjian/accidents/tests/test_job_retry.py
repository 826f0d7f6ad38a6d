"""A job whose worker died shows as interrupted on its page (found lazily when the page is polled) and its owner
retries it with the same input: the place import, the accident import and the statistics workbook. Only the
owner may retry (anyone else 404, anonymous to the login page); a refused file offers no retry; a double click
runs the job once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import reports
from anjian.accidents.imports import JOB_KIND as ACCIDENT_IMPORT
from anjian.accidents.models import Accident
from anjian.accidents.tests import test_import as accident_files
from anjian.core import jobs
from anjian.core.models import AuditEntry, Job, JobFailure, JobStatus
from anjian.registry.imports import JOB_KIND as PLACE_IMPORT
from anjian.registry.models import Site
from anjian.registry.tests import test_import as place_files

pytestmark = pytest.mark.django_db
INTERRUPTED = "后台任务中断：执行该任务的进程已停止响应，未保存任何内容，可以重试。"


def killed_mid_run(job: Job, settings) -> Job:
    """What a worker killed by SIGKILL leaves behind: the job claimed, half done, silent since."""
    assert jobs.start(job, total=10)
    jobs.report_progress(job, done=5, total=10, message="导入将继续进行")
    silent = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=silent)
    return job


def place_job(cast, rows: int = 3) -> Job:
    data = place_files.xlsx([place_files.row(场所名称=f"仓库{n}") for n in range(rows)])
    return jobs.create_job(
        actor=cast.safety_officer,
        kind=PLACE_IMPORT,
        params={"district": cast.district.pk, "language": "zh-hans"},
        upload=ContentFile(data, name="places.xlsx"),
    )


def accident_job(cast) -> Job:
    second = accident_files.row(发生时间="2025-03-05 09:00", 报告时间="2025-03-05 09:30")
    data = accident_files.xlsx([accident_files.row(), second])
    return jobs.create_job(
        actor=cast.safety_officer,
        kind=ACCIDENT_IMPORT,
        params={"district": cast.district.pk, "language": "zh-hans"},
        upload=ContentFile(data, name="accidents.xlsx"),
    )


def workbook_job(cast) -> Job:
    return jobs.create_job(
        actor=cast.safety_officer,
        kind=reports.WORKBOOK_KIND,
        params={"start": "2026-01-01", "end": "2026-01-31", "group": "category", "language": "zh-hans"},
    )


PAGES = {
    "places": (place_job, "registry:import_job", "registry:import_job_status", "registry:import_retry"),
    "accidents": (accident_job, "accidents:import_job", "accidents:import_job_status", "accidents:import_retry"),
    "workbook": (
        workbook_job,
        "accidents:statistics_job",
        "accidents:statistics_job_status",
        "accidents:statistics_job_retry",
    ),
}


@pytest.mark.parametrize("kind", PAGES)
def test_the_polled_page_shows_an_interrupted_job_and_its_owner_retries_it(cast, client_for, settings, kind):
    make, page_name, status_name, retry_name = PAGES[kind]
    job = killed_mid_run(make(cast), settings)
    client = client_for(cast.safety_officer)

    fragment = client.get(reverse(status_name, args=[job.pk])).content.decode()
    assert INTERRUPTED in fragment and 'data-testid="job-retry"' in fragment
    assert "hx-trigger" not in fragment and "导入将继续进行" not in fragment  # the bar stops; it never moved again
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure == JobFailure.INTERRUPTED

    response = client.post(reverse(retry_name, args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(page_name, args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempt == 2, job.message
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-retry"' not in page
    if kind == "places":
        assert Site.objects.count() == 3 and job.result["created"] == 3
        assert AuditEntry.objects.filter(action="registry.site.import").count() == 1
    elif kind == "accidents":
        assert Accident.objects.count() == 2 and job.result["created"] == 2
    else:
        download = client.get(reverse("accidents:statistics_job_download", args=[job.pk]))
        assert job.output_file and download.status_code == 200

    # A second click (a stale page, a double submit) runs nothing again.
    assert client.post(reverse(retry_name, args=[job.pk])).status_code == 302
    assert Job.objects.get(pk=job.pk).attempt == 2


@pytest.mark.parametrize("kind", PAGES)
def test_only_the_owner_may_retry(cast, client_for, settings, kind):
    make, _page, _status, retry_name = PAGES[kind]
    job = killed_mid_run(make(cast), settings)
    url = reverse(retry_name, args=[job.pk])
    # In scope of the same district, another district, the city, the administrators: 404, nothing queued.
    for other in (cast.street_officer, cast.far_safety_officer, cast.city_admin, cast.leader, cast.system_admin):
        assert client_for(other).post(url).status_code == 404, other
    response = client_for(None).post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client_for(cast.safety_officer).get(url).status_code == 405  # a retry is a POST (CSRF-protected form)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempt == 1  # nobody swept or retried it through those calls


def test_a_refused_file_offers_no_retry(cast, client_for):
    data = place_files.xlsx([place_files.row(统一社会信用代码=place_files.BAD_CREDIT_CODE)])
    job = jobs.create_job(
        actor=cast.safety_officer,
        kind=PLACE_IMPORT,
        params={"district": cast.district.pk},
        upload=ContentFile(data, name="places.xlsx"),
    )
    from anjian.registry.imports import run_job

    run_job(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure == JobFailure.INPUT
    client = client_for(cast.safety_officer)
    assert 'data-testid="job-retry"' not in client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    client.post(reverse("registry:import_retry", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED and Site.objects.count() == 0


def test_an_unexpected_failure_is_retryable(cast, client_for, monkeypatch):
    from anjian.registry import imports

    job = place_job(cast)
    monkeypatch.setattr(imports, "import_sites", lambda **kwargs: 1 / 0)
    imports.run_job(job)
    job.refresh_from_db()
    assert job.failure == JobFailure.ERROR and job.can_retry
    monkeypatch.undo()
    client_for(cast.safety_officer).post(reverse("registry:import_retry", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED and Site.objects.count() == 3


def test_a_run_that_lost_its_job_writes_no_row(cast, settings):
    """Declared interrupted while it was still checking rows (frozen, then woken): its write rolls back."""
    from anjian.registry import imports

    job = place_job(cast)
    assert jobs.start(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    jobs.fail_stale()

    def record_success(result):
        jobs.succeed(job, result=result.summary())

    with job.input_file.open("rb") as handle:
        data = handle.read()
    with pytest.raises(jobs.ClaimLost):
        imports.import_sites(
            actor=cast.safety_officer, district=cast.district, source=data, job=job, on_written=record_success
        )
    assert Site.objects.count() == 0 and not AuditEntry.objects.filter(action="registry.site.import").exists()
    assert Job.objects.get(pk=job.pk).failure == JobFailure.INTERRUPTED
