"""Export of the accident list to .xlsx.

The workbook holds exactly what the user's scope and the list's filters select (the view passes the
AccidentFilterSet's queryset), is written in openpyxl's write-only mode into a temporary file, reads the
accidents in chunks with every column joined (queries do not grow with the rows), and escapes text a
spreadsheet would run as a formula. Headers and values are in Chinese: the file is handed on to others.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.utils import timezone, translation

from anjian.core import audit
from anjian.registry.exports import escape_cell

CHUNK = 1000
SHEET = "事故清单"
HEADERS = (
    "编号",
    "发生时间",
    "报告时间",
    "是否迟报",
    "类别",
    "是否单列（简易程序）",
    "事故类型（GB 6441）",
    "事故等级",
    "区",
    "街道（园区）",
    "场所",
    "地址",
    "行业领域",
    "死亡人数",
    "重伤人数",
    "轻伤人数",
    "失踪人数",
    "直接经济损失（元）",
    "事故简况",
    "调查状态",
    "调查期限",
)
EXPORT_LANGUAGE = "zh-hans"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes(value: bool) -> str:
    return "是" if value else "否"


def accident_row(accident) -> list[Any]:
    investigation = getattr(accident, "investigation", None)
    values = [
        accident.pk,
        _moment(accident.occurred_at),
        _moment(accident.reported_at),
        _yes(accident.late_report),
        str(accident.get_category_display()),
        _yes(accident.kept_apart),
        str(accident.get_accident_type_display()),
        str(accident.get_grade_display()),
        accident.district.name,
        accident.territory.name if accident.territory_id else "",
        accident.site.name if accident.site_id else "",
        accident.address,
        accident.sector.name if accident.sector_id else "",
        accident.deaths,
        accident.serious_injuries,
        accident.minor_injuries,
        accident.missing,
        float(accident.direct_loss),
        accident.summary,
        str(investigation.get_status_display()) if investigation else "未调查",
        investigation.deadline.isoformat() if investigation else "",
    ]
    return [escape_cell(value) for value in values]


def write_accidents_xlsx(*, queryset):
    """Write the accidents of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    with translation.override(EXPORT_LANGUAGE):
        for accident in queryset.with_list_columns().iterator(chunk_size=CHUNK):
            sheet.append(accident_row(accident))
            count += 1
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - handed to the response
    workbook.save(handle)
    handle.seek(0)
    return handle, count


def export_accidents(*, actor, queryset, filters: dict[str, Any]):
    """Export what the actor's scope and filters select, and audit who exported how many with which filters."""
    handle, count = write_accidents_xlsx(queryset=queryset)
    audit.record(
        actor=actor,
        action="accidents.accident.export",
        object_type="accidents.accident",
        object_repr=f"export of {count} accidents",
        after={"rows": count, "filters": filters},
    )
    return handle, count
