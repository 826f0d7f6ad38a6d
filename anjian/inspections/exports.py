"""Export of hazards to .xlsx (issue 4, item 8).

The workbook holds exactly what the user's scope and the list's filters select (the view passes the
HazardFilterSet's queryset), is written with openpyxl's write-only mode into a temporary file (memory does
not grow with the rows), reads the hazards in chunks with everything a row shows joined (the number of
queries does not grow with the rows), and escapes text a spreadsheet would run as a formula. Headers and
values are in Chinese whatever the user's language: the file is a working document handed on to others.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from anjian.core import audit_labels, xlsx
from anjian.core.xlsx import moment, yes

audit_labels.register({"inspections.hazard.export": gettext_lazy("Exported hazards")})

SHEET = "隐患清单"
HEADERS = (
    "隐患编号",
    "隐患",
    "场所",
    "街道（园区）",
    "行业",
    "等级",
    "状态",
    "整改期限",
    "是否逾期",
    "是否挂牌督办",
    "企业自查",
    "发现时间",
    "隐患描述",
    "重大隐患判定依据",
    "法律依据",
    "发现人",
    "发现单位",
    "销号时间",
)


def hazard_row(hazard) -> list[Any]:
    site = hazard.site
    reporter = hazard.reported_by
    return [
        hazard.number or "",
        hazard.title,
        site.name,
        site.territory.name if site.territory_id else "",
        hazard.sector.name if hazard.sector_id else "",
        str(hazard.get_grade_display()),
        str(hazard.get_status_display()),
        hazard.deadline.isoformat() if hazard.deadline else "",
        yes(hazard.is_overdue),
        yes(hazard.is_escalated),
        yes(hazard.self_reported),
        moment(hazard.reported_at),
        hazard.description,
        hazard.criterion_label,
        hazard.legal_basis,
        (reporter.real_name or reporter.username) if reporter else "",
        hazard.reporting_unit.name if hazard.reporting_unit_id else "",
        moment(hazard.closed_at),
    ]


def write_hazards_xlsx(*, queryset):
    """Write the hazards of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
    rows = queryset.select_related("reported_by").prefetch_related(None)
    return xlsx.write_list_xlsx(
        sheet_title=SHEET, headers=HEADERS, rows=rows.iterator(chunk_size=xlsx.CHUNK), row=hazard_row
    )


def export_hazards(*, actor, queryset, filters: dict[str, Any]):
    """Export what the actor's scope and filters select, and audit who exported how many with which filters."""
    handle, count = write_hazards_xlsx(queryset=queryset)
    xlsx.record_export(
        actor=actor,
        action="inspections.hazard.export",
        object_type="inspections.hazard",
        what="hazards",
        count=count,
        filters=filters,
    )
    return handle, count
