"""A major hazard closed in a real browser: the emergency bureau's officer verifies it at the place on a phone (the
page takes the position from the phone and a photo from the camera), the hazard keeps its 挂牌督办 badge until the
safety office lifts the supervision, and once closed it carries no badge."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.inspections import evidence, services
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, loop_place, photo
from anjian.registry.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
AT_THE_PLACE = {"latitude": 30.1503, "longitude": 120.1502}


def _login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{next_url}")


def _open(page, action: str):
    step = page.locator(f"[data-testid=action-{action}]")
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    return step


def _submitted_major(cast) -> Hazard:
    site = loop_place(cast)
    Site.objects.filter(pk=site.pk).update(latitude=Decimal("30.150"), longitude=Decimal("120.150"))
    major = found_hazard(cast, site, major=True)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    services.issue_notice(actor=cast.department_officer, hazard=major, deadline=deadline, legal_basis="法")
    services.file_plan(
        actor=cast.enterprise,
        hazard=major,
        objectives="目标",
        methods="措施",
        funds_and_materials="资金",
        organisation="人员",
        timeline="时限",
        safety_measures="预案",
        funds="1000",
    )
    services.submit_rectification(actor=cast.enterprise, hazard=major, description="已整改", photos=[photo(2)])
    return major


def test_a_major_hazard_is_verified_at_the_place_then_lifted(browser, app_server, artifacts_dir, tmp_path):
    cast = build_cast()
    major = _submitted_major(cast)
    url = reverse("inspections:hazard_detail", args=[major.pk])
    base = app_server.url
    errors: list[str] = []
    picture = tmp_path / "verification.jpg"
    picture.write_bytes(evidence.sample_photo(seed=77, label="复查"))

    phone = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation=AT_THE_PLACE,
        permissions=["geolocation"],
    )
    page = phone.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, base, "dept", url)
        assert page.locator("[data-testid=action-verify]").count() == 0  # one officer's note no longer closes it
        step = _open(page, "verify_on_site")
        step.locator("textarea[name=note]").fill("现场复查：已分区分类储存")
        step.locator("input[name=photos]").set_input_files(str(picture))
        step.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=timeline] [data-event=verify_on_site]")
        hazard = Hazard.objects.get(pk=major.pk)
        assert hazard.status == HazardStatus.VERIFIED_ON_SITE
        rectification = hazard.rectifications.get()
        assert (float(rectification.review_latitude), float(rectification.review_longitude)) == (
            AT_THE_PLACE["latitude"],
            AT_THE_PLACE["longitude"],
        )
        assert page.locator("[data-testid=hazard-badges] [data-flag=escalated]").count() == 1  # still supervised
        assert page.locator("[data-testid=review-position]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "hazard-verified-on-site-phone.png"), full_page=True)
    finally:
        phone.close()

    desktop = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desktop.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, base, "anban", url)
        step = _open(page, "lift_supervision")
        step.locator("textarea[name=note]").fill("同意摘牌")
        step.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=timeline] [data-event=lift_supervision]")
        assert Hazard.objects.get(pk=major.pk).status == HazardStatus.VERIFIED
        badges = page.locator("[data-testid=hazard-badges]")
        assert badges.locator("[data-flag=escalated]").count() == 0
        assert badges.locator("[data-status=verified]").is_visible()
        assert page.locator("[data-testid=lifted]").is_visible()
        page.screenshot(path=str(artifacts_dir / "hazard-lifted-desktop.png"), full_page=True)
        assert errors == [], errors
    finally:
        desktop.close()
