"""The hazard export: exactly the filtered list in the user's scope, Chinese headers, every list column plus
description, criterion, legal basis, reporter and closing time, and no formula injection."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.choices import HazardGrade
from anjian.inspections.exports import HEADERS
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, loop_place, photo
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db


@shared_fixture
def hazards(cast):
    place = loop_place(cast)
    general = found_hazard(cast, place)
    major = found_hazard(cast, place, major=True, seed=2)
    west = make_site(district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name="西仓库")
    other = found_hazard(cast, west, inspector=cast.other_street_officer, seed=3)
    north = make_site(district=cast.other_district, territory=cast.far_street, sectors=(("hazchem", ""),), name="北仓")
    far = found_hazard(cast, north, inspector=cast.far_safety_officer, seed=4)
    return {"general": general, "major": major, "other": other, "far": far}


def _rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_hazards_in_scope_with_every_column(cast, client_for, hazards):
    services.fix_on_spot(actor=cast.street_officer, hazard=hazards["general"], description="已处理", photos=[photo(5)])
    services.verify(actor=cast.department_officer, hazard=hazards["general"], note="合格")
    rows = _rows(client_for(cast.street_officer).get(reverse("inspections:hazard_export")))
    assert rows[0] == list(HEADERS)
    assert rows[0][:3] == ["隐患编号", "隐患", "场所"]
    by_number = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {hazards["general"].number, hazards["major"].number}
    major = by_number[hazards["major"].number]
    with translation.override("zh-hans"):
        assert major["等级"] == str(HazardGrade.MAJOR.label)
    assert major["街道（园区）"] == "东街道"
    assert major["是否挂牌督办"] == "是"
    assert major["重大隐患判定依据"] == hazards["major"].criterion_label
    assert major["法律依据"] == "《危险化学品安全管理条例》第二十四条"
    assert major["发现人"] == cast.street_officer.real_name
    assert major["发现单位"] == "东街道"
    assert major["隐患描述"] == "现场发现"
    general = by_number[hazards["general"].number]
    assert general["销号时间"]
    assert general["是否逾期"] == "否"
    entry = AuditEntry.objects.filter(action="inspections.hazard.export").latest("id")
    assert entry.after["rows"] == 2


def test_it_exports_exactly_the_filtered_list(cast, client_for, hazards):
    client = client_for(cast.safety_officer)
    rows = _rows(client.get(reverse("inspections:hazard_export"), {"grade": "major"}))
    assert [row[0] for row in rows[1:]] == [hazards["major"].number]
    rows = _rows(client.get(reverse("inspections:hazard_export")))
    assert {row[0] for row in rows[1:]} == {hazards[k].number for k in ("general", "major", "other")}
    listed = client.get(reverse("inspections:hazard_list"), {"territory": cast.other_street.pk})
    exported = _rows(client.get(reverse("inspections:hazard_export"), {"territory": cast.other_street.pk}))
    assert [h.number for h in listed.context["page_obj"]] == [row[0] for row in exported[1:]]


@pytest.mark.parametrize(
    "member,visible",
    [
        ("other_street_officer", {"other"}),
        ("far_safety_officer", {"far"}),
        ("department_officer", {"general", "major", "other"}),
        ("enterprise", {"general", "major"}),
    ],
)
def test_it_never_exports_what_is_out_of_scope(cast, client_for, hazards, member, visible):
    rows = _rows(client_for(getattr(cast, member)).get(reverse("inspections:hazard_export")))
    assert {row[0] for row in rows[1:]} == {hazards[k].number for k in visible}


def test_it_escapes_text_that_a_spreadsheet_would_run(cast, client_for, hazards):
    Hazard.objects.filter(pk=hazards["general"].pk).update(title='=HYPERLINK("http://x")', description="+1")
    rows = _rows(client_for(cast.street_officer).get(reverse("inspections:hazard_export")))
    row = next(r for r in rows if r[0] == hazards["general"].number)
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[12] == "'+1"


def test_an_invalid_filter_exports_nothing(cast, client_for, hazards):
    rows = _rows(client_for(cast.safety_officer).get(reverse("inspections:hazard_export"), {"grade": "nonsense"}))
    assert rows == [list(HEADERS)]
