"""An accident and its investigation in a real browser on a phone (375 px): the street officer finds the
place in the registry by typing its name (HTMX), records the accident and sees its computed grade and the
late-report flag, opens the investigation, records the evidence of the four closures and closes it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accidents.models import Accident, InvestigationStatus
from anjian.accounts.testing import build_cast
from anjian.inspections.testing import zh
from anjian.registry.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _login(page, base: str, username: str, next_url: str) -> None:
    from anjian.accounts.testing import CAST_PASSWORD

    page.goto(f"{base}{reverse('accounts:login')}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{next_url}")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _open(page, action: str):
    step = page.locator(f"[data-testid=step-{action}]")
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    return step


def test_an_accident_is_recorded_investigated_and_closed_on_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    site = make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name="东街化工仓库")
    base = app_server.url
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        new_url = reverse("accidents:accident_create")
        _login(page, base, "street_in", new_url)
        _fits(page)
        page.fill("[data-testid=place-search]", "化工仓")
        page.wait_for_selector(f"input[name=site][value='{site.pk}']")
        page.locator(f"input[name=site][value='{site.pk}']").check()
        page.select_option("select[name=category]", "production")
        page.select_option("select[name=sector]", "hazchem")
        page.select_option("select[name=accident_type]", "poisoning")
        occurred = timezone.localtime() - datetime.timedelta(hours=5)
        page.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=reported_at]", (occurred + datetime.timedelta(minutes=75)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=deaths]", "3")
        page.fill("input[name=serious_injuries]", "1")
        page.fill("input[name=direct_loss]", "800000")
        page.fill("textarea[name=summary]", "储罐清洗作业时三名工人中毒窒息死亡")
        page.screenshot(path=str(artifacts_dir / "accident-record-phone.png"), full_page=True)
        page.locator("[data-testid=accident-save]").click()
        page.wait_for_selector("[data-testid=accident-facts]")
        accident = Accident.objects.get()
        assert (accident.site_id, accident.territory_id, accident.late_report) == (site.pk, cast.street.pk, True)
        assert page.locator("[data-testid=accident-grade]").inner_text() == zh("Relatively serious accident")
        assert page.locator("[data-testid=late-flag]").is_visible()
        _fits(page)

        page.select_option("select[name=lead_unit]", str(cast.safety_office.pk))
        page.fill("textarea[name=team]", "区安办、区应急管理局、东街道")
        page.locator("[data-testid=investigation-open]").click()
        page.wait_for_selector("[data-testid=closures]")
        _fits(page)

        cause = _open(page, "cause")
        cause.locator("textarea[name=cause]").fill("未进行有限空间作业审批，未检测即进入储罐")
        cause.locator("input[name=report]").fill("甲安调〔2026〕3号")
        cause.locator("button[type=submit]").click()
        page.wait_for_selector("[data-closure=cause][data-state=done]")

        persons = _open(page, "persons")
        persons.locator("input[name=person]").fill("仓库负责人王某")
        persons.locator("input[name=sanction]").fill("移送司法机关")
        persons.locator("input[name=decided_by]").fill("区应急管理局")
        persons.locator("input[name=decided_on]").fill(timezone.localdate().isoformat())
        persons.locator("button[type=submit]").click()
        page.wait_for_selector("[data-closure=persons][data-state=ready]")

        measures = _open(page, "measures")
        measures.locator("textarea[name=description]").fill("建立有限空间作业审批和气体检测制度")
        measures.locator("button[type=submit]").click()
        page.wait_for_selector("[data-closure=measures][data-state=ready]")

        education = _open(page, "education")
        education.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
        education.locator("input[name=subject]").fill("有限空间作业事故警示教育")
        education.locator("input[name=audience]").fill("辖区危化企业负责人")
        education.locator("input[name=attendees]").fill("85")
        education.locator("button[type=submit]").click()
        page.wait_for_selector("[data-closure=education][data-state=ready]")

        for closure in ("persons", "measures", "education"):
            page.locator(f"[data-testid=mark-{closure}]").click()
            page.wait_for_selector(f"[data-closure={closure}][data-state=done]")
        _fits(page)
        page.locator("[data-testid=investigation-close]").click()
        page.wait_for_selector("[data-investigation-status=closed]")
        accident.investigation.refresh_from_db()
        assert accident.investigation.status == InvestigationStatus.CLOSED
        _fits(page)
        page.screenshot(path=str(artifacts_dir / "accident-investigation-closed-phone.png"), full_page=True)

        page.goto(f"{base}{reverse('accidents:accident_list')}")
        assert page.locator(f"[data-accident='{accident.pk}']").is_visible()
        _fits(page)
        assert errors == [], errors
    finally:
        context.close()
