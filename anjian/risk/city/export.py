"""The city risk ranking as an .xlsx workbook, with the rows the user may read, audited."""

from __future__ import annotations

from django.utils import translation

from anjian.core import audit, xlsx
from anjian.organizations.models import OrgUnit
from anjian.risk.city.access import Access, access_or_404, visible_district_or_404, visible_rows
from anjian.risk.city.ranking import Ranking, compute_ranking

EXPORT_HEADERS = ("排名", "区域", "得分", "参评个数")
NO_DATA = "无数据"
MISSING_NOTE = (
    "无数据：区域缺少某项指标的数据（如未登记常住人口，按人口计算的指标无法计算）时，该指标记为无数据，"
    "不参与归一化；该区域的得分按其有数据的指标重新加权（有数据指标的加权和 × 全部权重之和 ÷ 有数据指标的权重之和）；"
    "没有任何数据的区域不计得分、不参与排名。"
)


def _workbook(result: Ranking, access: Access):
    """The workbook in Chinese whatever the user's language (a working document handed on), formulas escaped."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(xlsx.EXPORT_LANGUAGE):
        for table in result.tables:
            sheet = workbook.create_sheet(title=str(table.title)[:31])
            rows = visible_rows(table, access)
            labels = [line.label for line in rows[0].lines] if rows else []
            sheet.append([*EXPORT_HEADERS, *[f"{label}（贡献）" for label in labels]])
            for row in rows:
                values = [
                    row.rank if row.rank is not None else NO_DATA,
                    row.area.name,
                    float(row.score) if row.score is not None else NO_DATA,
                    row.of,
                ]
                values += [float(line.contribution) if line.contribution is not None else NO_DATA for line in row.lines]
                sheet.append(xlsx.escape_row(values))
        sheet = workbook.create_sheet(title="说明")
        sheet.append(
            ["得分越高风险越高，第1名风险最高；各指标在参评区域间按最小—最大值归一化到0–100，各区域相同的指标记0。"]
        )
        sheet.append([MISSING_NOTE])
    return xlsx.spooled(workbook)


def export_ranking(*, actor, district_id=None):
    """The districts' ranking, or a district's streets (a street officer: its own row), as .xlsx; audited."""
    access = access_or_404(actor)
    parent = visible_district_or_404(access, district_id) if district_id else OrgUnit.objects.get(pk=access.city_id)
    handle = _workbook(compute_ranking(parent=parent), access)
    audit.record(actor=actor, action="risk.ranking.export", obj=parent, after={"area": parent.name})
    return handle, parent
