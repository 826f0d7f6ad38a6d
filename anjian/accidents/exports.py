"""Export of the accident list to .xlsx.

The workbook holds exactly what the user's scope and the list's filters select (the view passes the
AccidentFilterSet's queryset), is written in openpyxl's write-only mode into a temporary file, reads the
accidents in chunks with every column joined (queries do not grow with the rows), and escapes text a
spreadsheet would run as a formula. Headers and values are in Chinese: the file is handed on to others.
"""

from __future__ import annotations

from typing import Any

from anjian.core import xlsx
from anjian.core.xlsx import moment, yes

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


def accident_row(accident) -> list[Any]:
    investigation = getattr(accident, "investigation", None)
    return [
        accident.pk,
        moment(accident.occurred_at),
        moment(accident.reported_at),
        yes(accident.late_report),
        str(accident.get_category_display()),
        yes(accident.kept_apart),
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


def write_accidents_xlsx(*, queryset):
    """Write the accidents of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
    return xlsx.write_list_xlsx(
        sheet_title=SHEET,
        headers=HEADERS,
        rows=queryset.with_list_columns().iterator(chunk_size=xlsx.CHUNK),
        row=accident_row,
    )


def export_accidents(*, actor, queryset, filters: dict[str, Any]):
    """Export what the actor's scope and filters select, and audit who exported how many with which filters."""
    handle, count = write_accidents_xlsx(queryset=queryset)
    xlsx.record_export(
        actor=actor,
        action="accidents.accident.export",
        object_type="accidents.accident",
        what="accidents",
        count=count,
        filters=filters,
    )
    return handle, count
