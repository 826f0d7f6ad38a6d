"""On a phone, in a real browser: the page of an import whose worker died (its bar stuck halfway) says it was
interrupted, and the owner's retry button imports the same file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.core import jobs
from anjian.core.models import Job, JobStatus
from anjian.registry.imports import JOB_KIND
from anjian.registry.models import Site
from anjian.registry.tests import test_import as place_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_an_interrupted_import_is_retried_from_its_page(browser, app_server, artifacts_dir):
    cast = build_cast()
    data = place_files.xlsx([place_files.row(场所名称=f"仓库{n}") for n in range(3)])
    job = jobs.create_job(
        actor=cast.safety_officer,
        kind=JOB_KIND,
        params={"district": cast.district.pk, "language": "zh-hans"},
        upload=ContentFile(data, name="场所.xlsx"),
    )
    assert jobs.start(job, total=6)
    jobs.report_progress(job, done=3, total=6, message="正在检查第 3 行……")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))  # the worker died

    base = app_server.url
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        url = reverse("registry:import_job", args=[job.pk])
        page.goto(f"{base}{reverse('accounts:login')}?next={url}")
        page.fill("input[name=username]", "anban")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}{url}")
        failed = page.locator("[data-testid=import-failed]")
        assert "后台任务中断" in failed.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "import-interrupted-375.png"), full_page=True)

        page.get_by_role("button", name="用同一文件重试").click()
        page.wait_for_selector("[data-testid=import-succeeded]")
        assert page.locator("[data-testid=created]").inner_text() == "3"
    finally:
        context.close()
    assert errors == []
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempt == 2 and Site.objects.count() == 3
