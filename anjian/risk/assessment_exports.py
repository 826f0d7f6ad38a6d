"""Export of the places overdue for inspection to .xlsx (STANDARDS §2: risk drives inspection).

As the hazard export: exactly the scoped, filtered queryset of the page; openpyxl write-only into a temporary
file; rows read in chunks with what they show joined (queries do not grow with the rows); text that a
spreadsheet would run as a formula escaped; Chinese headers and values whatever the user's language.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from anjian.core import audit, audit_labels
from anjian.registry.exports import escape_cell

audit_labels.register({"risk.overdue.export": gettext_lazy("Exported places overdue for inspection")})

CHUNK = 1000
SHEET = "逾期未检查场所"
HEADERS = ("场所", "地址", "街道（园区）", "当前风险等级", "等级说明", "检查频次（天）", "最近一次检查")
EXPORT_LANGUAGE = "zh-hans"


def overdue_row(site, tables: dict[int, dict[str, int]]) -> list[Any]:
    interval = (tables.get(site.district_id) or {}).get(site.risk_level)
    values = [
        site.name,
        site.address,
        site.territory.name if site.territory_id else "",
        str(site.get_risk_level_display()) if site.risk_level else "未评估",
        site.risk_reason,
        interval if interval is not None else "",
        timezone.localtime(site.last_inspected).strftime("%Y-%m-%d") if site.last_inspected else "从未检查",
    ]
    return [escape_cell(value) for value in values]


def write_overdue_xlsx(*, queryset, tables):
    """Write the places of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
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
        for site in queryset.iterator(chunk_size=CHUNK):
            sheet.append(overdue_row(site, tables))
            count += 1
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - handed to the response
    workbook.save(handle)
    handle.seek(0)
    return handle, count


def export_overdue_sites(*, actor, queryset, filters: dict[str, Any], tables):
    """Export what the actor's scope and filters select, and audit who exported how many."""
    handle, count = write_overdue_xlsx(queryset=queryset, tables=tables)
    audit.record(
        actor=actor,
        action="risk.overdue.export",
        object_type="registry.site",
        object_repr=f"export of {count} places overdue for inspection",
        after={"rows": count, "filters": filters},
    )
    return handle, count
