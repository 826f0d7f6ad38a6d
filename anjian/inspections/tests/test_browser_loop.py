"""The closed loop in a real browser on a phone (issue 4): a street officer inspects a place and answers
an item 不符合 with a photo → a rectification notice → the enterprise acknowledges and submits the
rectification with an after-photo → the street officer verifies; the hazard's timeline shows each step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.inspections import evidence, services
from anjian.inspections.choices import HazardGrade, HazardStatus, InspectionStatus
from anjian.inspections.models import Hazard, Inspection
from anjian.inspections.testing import zh
from anjian.registry.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
POSITION = {"latitude": 30.1523, "longitude": 120.1488}
ITEMS = [
    {"text": "疏散通道、安全出口畅通", "legal_basis": "《中华人民共和国消防法》第二十八条"},
    {"text": "危险化学品专用仓库设置明显标志", "legal_basis": "《危险化学品安全管理条例》第二十五条"},
    {"text": "灭火器材在有效期内", "legal_basis": "《中华人民共和国消防法》第十六条", "photo_required": True},
]


def _phone(browser, **extra):
    return browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, **extra)


def _login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}{next_url}")


def _photo_file(tmp_path, name: str, seed: int) -> str:
    path = tmp_path / name
    path.write_bytes(evidence.sample_photo(seed=seed, label=name))
    return str(path)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_loop_runs_on_a_phone(browser, app_server, artifacts_dir, tmp_path):
    cast = build_cast()
    site = make_site(
        district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), enterprise_n=777, name="东街化工仓库"
    )
    site.enterprise.accounts.add(cast.enterprise)
    checklist = services.create_checklist(
        actor=cast.city_admin, code="phone-loop", name="危化品仓库简表", sector_code="hazchem", items=ITEMS
    )
    first, second, third = checklist.items.all()
    base = app_server.url
    errors: list[str] = []

    # 1. The street officer opens the place, starts an inspection and records it.
    officer = _phone(browser, geolocation=POSITION, permissions=["geolocation"])
    page = officer.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        place_url = reverse("registry:site_detail", args=[site.pk])
        _login(page, base, "street_in", place_url)
        page.goto(f"{base}{place_url}?tab=inspections")
        page.locator("[data-testid=start-inspection]").click()
        page.wait_for_selector("[data-testid=inspection-start-form]")
        _fits(page)
        assert page.locator("select[name=checklist]").input_value() == str(checklist.pk)
        page.locator("[data-testid=inspection-start]").click()
        page.wait_for_selector("[data-testid=inspection-record-form]")
        inspection = Inspection.objects.get(site=site)
        _fits(page)

        hazard_block = page.locator(f"#item-{first.pk} [data-hazard-block]")
        assert hazard_block.is_hidden()
        page.locator(f"label[for=item-{first.pk}-noncompliant]").click()
        assert hazard_block.is_visible()
        assert page.locator(f"#hazard-{first.pk}-title").input_value() == first.text  # pre-filled from the item
        page.fill(f"#hazard-{first.pk}-location", "一号库房北侧通道")
        page.fill(f"#item-{first.pk}-note", "通道堆放货物")
        page.set_input_files(f"input[name=photos-{first.pk}]", _photo_file(tmp_path, "finding.jpg", 41))
        page.locator(f"label[for=item-{second.pk}-not_applicable]").click()
        # An unanswered item stops the submission in the browser, so the chosen photos are not lost.
        page.locator("[data-testid=record-submit]").click()
        assert page.locator("[data-client-errors]").is_visible()
        assert page.locator(f"#item-{third.pk} [data-client-error]").is_visible()
        assert page.url.endswith(reverse("inspections:inspection_record", args=[inspection.pk]))
        assert page.evaluate(f"document.querySelector('input[name=photos-{first.pk}]').files.length") == 1
        assert not Hazard.objects.exists()
        page.locator(f"label[for=item-{third.pk}-compliant]").click()
        page.set_input_files(f"input[name=photos-{third.pk}]", _photo_file(tmp_path, "extinguisher.jpg", 42))
        page.screenshot(path=str(artifacts_dir / "inspection-record-phone.png"), full_page=True)
        page.locator("[data-testid=record-submit]").click()
        page.wait_for_url(f"{base}{reverse('inspections:inspection_detail', args=[inspection.pk])}")
        _fits(page)

        hazard = Hazard.objects.get(site=site)
        inspection.refresh_from_db()
        assert inspection.status == InspectionStatus.COMPLETED
        assert (float(inspection.latitude), float(inspection.longitude)) == (
            POSITION["latitude"],
            POSITION["longitude"],
        )
        assert (hazard.status, hazard.grade, hazard.location) == (
            HazardStatus.REPORTED,
            HazardGrade.GENERAL,
            "一号库房北侧通道",
        )
        assert hazard.photos.count() == 1
        assert hazard.number in page.locator(".alert-success").inner_text()
        assert errors == [], errors
        page.wait_for_selector("#inspection-map[data-loaded]", state="attached")

        # 2. From the hazard page, the street officer issues a rectification notice.
        page.locator(f"a[href='{reverse('inspections:hazard_detail', args=[hazard.pk])}']").first.click()
        page.wait_for_selector("[data-testid=timeline]")
        notice = page.locator("[data-testid=action-issue_notice]")
        if notice.get_attribute("open") is None:
            notice.locator("summary").click()
        deadline = timezone.localdate() + datetime.timedelta(days=10)
        notice.locator("input[name=deadline]").fill(deadline.isoformat())
        notice.locator("textarea[name=requirements]").fill("清理通道，保持畅通")
        notice.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=notice]")
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.NOTICE_ISSUED
    finally:
        officer.close()

    # 3. The enterprise account acknowledges the notice and submits the rectification with an after-photo.
    enterprise = _phone(browser)
    page = enterprise.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    hazard_url = reverse("inspections:hazard_detail", args=[hazard.pk])
    try:
        _login(page, base, "enterprise", hazard_url)
        acknowledge = page.locator("[data-testid=action-acknowledge]")
        if acknowledge.get_attribute("open") is None:
            acknowledge.locator("summary").click()
        acknowledge.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=action-submit]")
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.RECTIFYING
        submit = page.locator("[data-testid=action-submit]")
        if submit.get_attribute("open") is None:
            submit.locator("summary").click()
        submit.locator("textarea[name=description]").fill("已清理通道内全部货物，设置禁止堆放标识")
        submit.locator("input[name=photos]").set_input_files(_photo_file(tmp_path, "after.jpg", 43))
        submit.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=rectifications]")
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.SUBMITTED
        assert page.locator("[data-testid=action-verify]").count() == 0  # an enterprise never verifies
        _fits(page)
    finally:
        enterprise.close()

    # 4. The street officer verifies; the timeline shows every step.
    officer = _phone(browser)
    page = officer.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, base, "street_in", hazard_url)
        verify = page.locator("[data-testid=action-verify]")
        if verify.get_attribute("open") is None:
            verify.locator("summary").click()
        verify.locator("textarea[name=note]").fill("现场复查，通道已畅通")
        verify.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=timeline] [data-event=verify]")
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.VERIFIED
        assert hazard.verified_by == cast.street_officer

        from anjian.inspections.views.hazards import EVENT_LABELS

        steps = ["reported", "issue_notice", "acknowledge", "submit", "verify"]
        events = page.locator("[data-testid=timeline] [data-event]")
        assert [events.nth(i).get_attribute("data-event") for i in range(events.count())] == steps
        for step in steps:
            text = page.locator(f"[data-testid=timeline] [data-event={step}]").inner_text()
            assert zh(EVENT_LABELS[step]) in text, (step, text)
        timeline = page.locator("[data-testid=timeline]").inner_text()
        assert "清理通道，保持畅通" in timeline
        assert "已清理通道内全部货物" in timeline
        assert "现场复查，通道已畅通" in timeline
        _fits(page)
        page.screenshot(path=str(artifacts_dir / "hazard-loop-verified-phone.png"), full_page=True)
        assert errors == []
    finally:
        officer.close()


def test_the_campaign_progress_and_the_task_list_fit_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    for n, street in enumerate([cast.street, cast.street, cast.other_street]):
        make_site(district=cast.district, territory=street, sectors=(("hazchem", ""),), name=f"危化场所{n}")
    from anjian.organizations.models import Sector

    today = timezone.localdate()
    campaign = services.create_campaign(
        actor=cast.safety_officer,
        name="危化品专项整治",
        kind="special",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=30),
        sectors=[Sector.objects.get(code="hazchem")],
    )
    context = _phone(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        detail = reverse("inspections:campaign_detail", args=[campaign.pk])
        _login(page, app_server.url, "anban", detail)
        page.locator("[data-testid=generate-tasks]").click()
        page.wait_for_selector(".alert-success")
        page.wait_for_selector("#campaign-chart svg")
        assert page.locator("[data-testid=progress-streets] tr[data-laggard]").count() == 2  # nothing inspected yet
        _fits(page)
        page.screenshot(path=str(artifacts_dir / "campaign-progress-phone.png"), full_page=True)
        page.goto(f"{app_server.url}{reverse('inspections:task_list')}?view=all")
        assert page.locator("[data-testid=task-list] [data-task]").count() == 3
        _fits(page)
        assert errors == []
    finally:
        context.close()
