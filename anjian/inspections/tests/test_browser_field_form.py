"""The field form on a 375-px phone: the inspector answers a finding, taps 其余项目均符合 for the rest, is told the
evidence item still needs its photo, is warned that the phone is about 1,000 km from the place, and submits; every
item is recorded on its own and the inspection shows its distance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.core.models import AuditEntry
from anjian.inspections import evidence, services
from anjian.inspections.choices import AnswerResult, InspectionStatus
from anjian.inspections.models import Inspection, InspectionAnswer
from anjian.inspections.testing import zh
from anjian.registry.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PLACE = {"latitude": Decimal("30.152300"), "longitude": Decimal("120.148800")}
FAR = {"latitude": 39.9042, "longitude": 116.4074}  # about 1,100 km away
ITEMS = [
    {"text": "疏散通道、安全出口畅通", "legal_basis": "《中华人民共和国消防法》第二十八条"},
    {"text": "灭火器在有效期内", "legal_basis": "《中华人民共和国消防法》第十六条"},
    {"text": "电气线路穿管保护", "legal_basis": "《中华人民共和国消防法》第二十七条"},
    {"text": "危险化学品包装粘贴安全标签", "legal_basis": "《危险化学品安全管理条例》第十五条"},
    {
        "text": "持有有效的经营许可证并悬挂于显著位置",
        "legal_basis": "《危险化学品安全管理条例》第三十三条",
        "photo_required": True,
    },
]


def _photo_file(tmp_path, name: str, seed: int) -> str:
    path = tmp_path / name
    path.write_bytes(evidence.sample_photo(seed=seed, label=name))
    return str(path)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_field_form_on_a_phone(browser, app_server, artifacts_dir, tmp_path):
    cast = build_cast()
    site = make_site(
        district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name="东街化工仓库", **PLACE
    )
    checklist = services.create_checklist(
        actor=cast.city_admin, code="phone-field", name="危化品仓库简表", sector_code="hazchem", items=ITEMS
    )
    items = list(checklist.items.all())
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)
    record_url = reverse("inspections:inspection_record", args=[inspection.pk])
    base = app_server.url
    errors: list[str] = []
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation=FAR,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}{reverse('accounts:login')}?next={record_url}")
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("[data-testid=inspection-record-form]")

        # The phone's position arrives: the distance and the warning appear.
        warning = page.locator("[data-testid=distance-warning]")
        warning.wait_for(state="visible")
        assert "公里" in warning.inner_text() and "500 米" in warning.inner_text()
        assert "公里" in page.locator("[data-testid=distance]").inner_text()

        # One finding, answered by hand with its photo.
        page.locator(f"label[for=item-{items[0].pk}-noncompliant]").click()
        page.set_input_files(f"input[name=photos-{items[0].pk}]", _photo_file(tmp_path, "finding.jpg", 51))
        rest = page.locator("[data-testid=rest-compliant]")
        assert rest.is_visible()
        assert rest.locator("[data-rest-count]").inner_text() == "4"
        box = rest.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # One line: the label never breaks between its characters.
        assert rest.evaluate("e => e.scrollWidth <= e.clientWidth && e.getClientRects().length === 1")
        assert box["height"] < 70
        _fits(page)
        page.screenshot(path=str(artifacts_dir / "field-form-phone.png"))

        # 其余项目均符合: the four others are answered 符合, each its own radio.
        rest.click()
        for item in items[1:]:
            assert page.locator(f"#item-{item.pk}-compliant").is_checked()
        assert page.locator(f"#item-{items[0].pk}-noncompliant").is_checked()
        assert rest.is_hidden()
        assert page.locator("[data-rest-status]").is_visible()
        page.screenshot(path=str(artifacts_dir / "field-form-rest-compliant-phone.png"), full_page=True)

        # The licence item needs its photo even when compliant: the form says so before sending.
        page.locator("[data-testid=record-submit]").click()
        assert page.locator(f"#item-{items[4].pk} [data-client-error]").is_visible()
        assert page.url.endswith(record_url)
        page.set_input_files(f"input[name=photos-{items[4].pk}]", _photo_file(tmp_path, "licence.jpg", 52))
        # Changing one of them by hand takes it off the "answered together" list.
        page.locator(f"label[for=item-{items[1].pk}-not_applicable]").click()
        page.locator("[data-testid=record-submit]").click()
        page.wait_for_url(f"{base}{reverse('inspections:inspection_detail', args=[inspection.pk])}")
        _fits(page)
        assert page.locator("[data-testid=far-from-place]").is_visible()
        assert zh("Distance from the place") in page.locator("[data-testid=inspection-facts]").inner_text()
        page.screenshot(path=str(artifacts_dir / "field-form-recorded-phone.png"), full_page=True)
        assert errors == [], errors
    finally:
        context.close()

    inspection = Inspection.objects.get(pk=inspection.pk)
    assert inspection.status == InspectionStatus.COMPLETED
    assert inspection.distance_m > 1_000_000 and inspection.far_from_site
    answers = dict(InspectionAnswer.objects.filter(inspection=inspection).values_list("item_id", "result"))
    assert answers == {
        items[0].pk: AnswerResult.NONCOMPLIANT,
        items[1].pk: AnswerResult.NOT_APPLICABLE,
        **{item.pk: AnswerResult.COMPLIANT for item in items[2:]},
    }
    entry = AuditEntry.objects.get(action="inspections.inspection.complete", object_id=str(inspection.pk))
    assert entry.after["compliant_at_once"] == sorted(item.pk for item in items[2:])
