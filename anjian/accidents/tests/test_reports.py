"""The statistics workbook (.xlsx) generated as a background job, opened with openpyxl and checked against the
hand-computed January 2026 fixture: one sheet per grouping with the four indices, last year, the previous
period and the worded changes; the accident list; formula escaping; scope."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.accidents.tests.test_statistics_page import JANUARY, at, january, make_accident  # noqa: F401
from anjian.core.models import AuditEntry, Job, JobStatus


def _workbook(client, params=None):
    response = client.post(reverse("accidents:statistics_workbook_create"), params or JANUARY)
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == JobStatus.SUCCEEDED and job.output_name == "事故统计-20260101-20260131.xlsx"
    download = client.get(reverse("accidents:statistics_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(b"".join(download.streaming_content)))


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_workbook_holds_the_january_figures(cast, client_for, january):  # noqa: F811
    book = _workbook(client_for(cast.safety_officer))
    entry = AuditEntry.objects.get(action="accidents.statistics.export")
    assert entry.actor_id == cast.safety_officer.pk and entry.after["start"] == "2026-01-01"
    assert book.sheetnames == ["按类别", "按街道", "生产安全事故按行业", "事故清单"]
    rows = _values(book["按类别"])
    assert (
        rows[0][0]
        == "统计期间：2026-01-01 至 2026-01-31；同比：2025-01-01 至 2025-01-31；环比：2025-12-01 至 2025-12-31"
    )
    assert rows[1][:6] == ["类别", "起数", "起数·去年同期", "起数·同比", "起数·上期", "起数·环比"]
    assert len(rows[1]) == 21
    by_label = {row[0]: row[1:] for row in rows[2:]}
    assert list(by_label) == [
        "生产安全事故",
        "道路交通事故（一般程序）",
        "火灾事故",
        "其他事故",
        "合计",
        "道路交通事故（简易程序，不计入合计）",
    ]
    assert by_label["生产安全事故"] == [
        *(3, 2, "上升50.0%", 1, "上升200.0%"),
        *(3, 1, "上升200.0%", 1, "上升200.0%"),
        *(4, 1, "上升300.0%", 0, "—"),
        *(450000, 500000, "下降10.0%", 200000, "上升125.0%"),
    ]
    assert by_label["合计"] == [
        *(5, 3, "上升66.7%", 1, "上升400.0%"),
        *(4, 1, "上升300.0%", 1, "上升300.0%"),
        *(8, 1, "上升700.0%", 0, "—"),
        *(550000, 540000, "上升1.9%", 200000, "上升175.0%"),
    ]
    assert by_label["道路交通事故（简易程序，不计入合计）"][:5] == [1, 0, "—", 0, "—"]

    streets = {row[0]: row[1:6] for row in _values(book["按街道"])[2:]}
    assert streets == {"东街道": [3, 1, "上升200.0%", 1, "上升200.0%"], "西街道": [2, 2, "持平", 0, "—"]}
    sectors = {row[0]: row[1:6] for row in _values(book["生产安全事故按行业"])[2:]}
    assert sectors == {
        "工矿商贸": [2, 1, "上升100.0%", 1, "上升100.0%"],
        "建筑施工": [1, 0, "—", 0, "—"],
        "危险化学品": [0, 1, "下降100.0%", 0, "—"],
    }

    listing = _values(book["事故清单"])
    assert listing[0][:5] == ["发生时间", "街道（园区）", "地址", "场所", "类别"]
    # Every accident of January, simple procedure included (the list is the record, not the totals).
    assert [(row[0], row[1], row[4], row[7], row[11]) for row in listing[1:]] == [
        ("2026-01-05 10:00", "东街道", "生产安全事故", 1, 300000),
        ("2026-01-08 10:00", "东街道", "道路交通事故（一般程序）", 1, 20000),
        ("2026-01-09 10:00", "东街道", "道路交通事故（简易程序）", 0, 1000),
        ("2026-01-15 10:00", "西街道", "火灾事故", 0, 80000),
        ("2026-01-20 10:00", "西街道", "生产安全事故", 2, 50000),
        ("2026-01-31 23:00", "东街道", "生产安全事故", 0, 100000),
    ]


@pytest.mark.django_db
def test_a_street_officer_gets_only_its_street_and_formulas_are_escaped(cast, client_for, january):  # noqa: F811
    make_accident(cast, at(2026, 1, 6), address='=HYPERLINK("http://x","y")', summary="+1+1")
    book = _workbook(client_for(cast.street_officer))
    streets = [row[0] for row in _values(book["按街道"])[2:]]
    assert streets == ["东街道"]
    listing = _values(book["事故清单"])
    assert {row[1] for row in listing[1:]} == {"东街道"}
    escaped = next(row for row in listing[1:] if row[0] == "2026-01-06 10:00")
    assert escaped[2] == '\'=HYPERLINK("http://x","y")' and escaped[14] == "'+1+1"
    all_text = "".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row)
    assert "西街道" not in all_text
