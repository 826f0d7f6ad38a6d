"""The statistics page on a phone (375 px) in a real browser: the period form shows only the fields the
chosen period needs, both ECharts charts are drawn from the vendored script, nothing overflows the screen,
and the briefing button leads to a finished job with its download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.accidents.tests.test_statistics_page import at, make_accident
from anjian.accounts.testing import CAST_PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_the_statistics_page_works_on_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    for day in (3, 9, 17):
        make_accident(cast, at(2026, 1, day), deaths=1, direct_loss=120000)
    make_accident(cast, at(2025, 1, 4), territory=cast.other_street, category="fire")
    base = app_server.url
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        url = reverse("accidents:statistics")
        page.goto(f"{base}{reverse('accounts:login')}?next={url}")
        page.fill("input[name=username]", "anban")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}{url}")

        page.select_option("#statistics-form select[name=period]", "month")
        assert (
            page.locator("#statistics-form input[name=start]").is_hidden()
            and page.locator("#statistics-form select[name=month]").is_visible()
        )
        page.fill("#statistics-form input[name=year]", "2026")
        page.select_option("#statistics-form select[name=month]", "1")
        page.select_option("#statistics-form select[name=group]", "territory")
        page.locator("[data-testid=statistics-show]").click()
        page.wait_for_selector("#statistics-trend svg")
        page.wait_for_selector("#statistics-bars svg")
        assert page.locator("[data-category=production] [data-index=count] [data-value=current]").inner_text() == "3"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "accident-statistics-375.png"), full_page=True)

        page.locator("[data-testid=briefing-create]").click()
        page.wait_for_selector("[data-testid=job-download]")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        with page.expect_download() as download:
            page.locator("[data-testid=job-download]").click()
        assert download.value.suggested_filename == "安全生产形势通报-2026年1月.docx"
    finally:
        context.close()
    assert errors == []
    assert all(request.startswith(base) or request.startswith("data:") for request in requests)
