"""The empty template of the places' import: the places sheet, the chemicals sheet and an instructions sheet that
lists the columns, the sectors with their subtypes and the streets of the user's district."""

from __future__ import annotations

from anjian.core import xlsx
from anjian.core.imports.columns import column_notes, template_header
from anjian.core.imports.reading import INSTRUCTIONS_SHEET
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import standards
from anjian.registry.imports.columns import CHEMICAL_COLUMNS, CHEMICAL_SHEET, COLUMNS, MAIN_SHEET


def build_template(*, district: OrgUnit | None) -> bytes:
    """The empty template: the places sheet, the chemicals sheet and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = MAIN_SHEET
    # Text format keeps credit codes, ids and mobiles from becoming numbers.
    formats = dict.fromkeys(("text", "credit", "mobile", "person", "cas"), "@")
    for sheet_obj, columns in ((sheet, COLUMNS), (workbook.create_sheet(CHEMICAL_SHEET), CHEMICAL_COLUMNS)):
        template_header(sheet_obj, columns, formats=formats)

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 70
    notes.append(["填写说明"])
    notes["A1"].font = bold
    notes.append(["", "每行一个监管对象。任何一行有错误时，整个文件都不会导入，并可下载错误清单。"])
    notes.append(["", "再次导入同一场所时按“外部编号”更新；没有外部编号时按“统一社会信用代码 + 场所名称”更新。"])
    notes.append(["", "“危化品储存”表可选：按生产/储存单元填写物质、CAS号和最大储量；导入时替换该场所原有的储存清单。"])
    notes.append([])
    notes.append(["列", "说明"])
    column_notes(notes, COLUMNS)
    notes.append([])
    notes.append(["行业领域", "细分类型"])
    for sector in Sector.objects.all():
        options = "、".join(label for _c, label in standards.SUBTYPES.get(sector.code, []))
        notes.append([sector.name, options])
    if district is not None:
        notes.append([])
        notes.append([f"{district.name}的街镇、园区"])
        for unit in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).order_by(
            "kind", "order", "id"
        ):
            notes.append([unit.name, unit.get_kind_display()])
    for row in notes.iter_rows():
        if row[0].value in {"列", "行业领域", "填写说明"} or str(row[0].value or "").endswith("的街镇、园区"):
            for cell in row:
                cell.font = bold
    return xlsx.workbook_bytes(workbook)
