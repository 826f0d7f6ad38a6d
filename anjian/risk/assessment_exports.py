"""Export of the places overdue for inspection to .xlsx (STANDARDS §2: risk drives inspection).

As the hazard export: exactly the scoped, filtered queryset of the page; openpyxl write-only into a temporary
file; rows read in chunks with what they show joined (queries do not grow with the rows); text that a
spreadsheet would run as a formula escaped; Chinese headers and values whatever the user's language.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from anjian.core import audit_labels, xlsx

audit_labels.register({"risk.overdue.export": gettext_lazy("Exported places overdue for inspection")})

SHEET = "逾期未检查场所"
HEADERS = ("场所", "地址", "街道（园区）", "当前风险等级", "等级说明", "检查频次（天）", "最近一次检查")


def overdue_row(site, tables: dict[int, dict[str, int]]) -> list[Any]:
    interval = (tables.get(site.district_id) or {}).get(site.risk_level)
    return [
        site.name,
        site.address,
        site.territory.name if site.territory_id else "",
        str(site.get_risk_level_display()) if site.risk_level else "未评估",
        site.risk_reason,
        interval if interval is not None else "",
        timezone.localtime(site.last_inspected).strftime("%Y-%m-%d") if site.last_inspected else "从未检查",
    ]


def write_overdue_xlsx(*, queryset, tables):
    """Write the places of the queryset (already scoped and filtered) to a temporary file; (file, count)."""
    return xlsx.write_list_xlsx(
        sheet_title=SHEET,
        headers=HEADERS,
        rows=queryset.iterator(chunk_size=xlsx.CHUNK),
        row=lambda site: overdue_row(site, tables),
    )


def export_overdue_sites(*, actor, queryset, filters: dict[str, Any], tables):
    """Export what the actor's scope and filters select, and audit who exported how many."""
    handle, count = write_overdue_xlsx(queryset=queryset, tables=tables)
    xlsx.record_export(
        actor=actor,
        action="risk.overdue.export",
        object_type="registry.site",
        what="places overdue for inspection",
        count=count,
        filters=filters,
    )
    return handle, count
