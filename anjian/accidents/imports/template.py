"""The empty template of the accidents' import: the accidents sheet and an instructions sheet (the rules, the
columns with their labels, the sectors and the streets of the user's district)."""

from __future__ import annotations

from anjian.accidents.imports.columns import COLUMNS, MAIN_SHEET
from anjian.core import xlsx
from anjian.core.imports.columns import column_notes, template_header
from anjian.core.imports.reading import INSTRUCTIONS_SHEET
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector


def build_template(*, district: OrgUnit | None) -> bytes:
    """The empty template: the accidents sheet and an instructions sheet (labels, sectors, streets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = MAIN_SHEET
    # Text format keeps ids and credit codes from becoming numbers.
    template_header(sheet, COLUMNS, formats={"text": "@", "datetime": "yyyy-mm-dd hh:mm"})

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 80
    headings = []

    def heading(text: str) -> None:
        notes.append([text])
        headings.append(notes.max_row)

    heading("填写说明")
    notes.append(["", "每行一起事故。任何一行有错误时，整个文件都不会导入，并可下载错误清单。"])
    notes.append(
        ["", "事故等级按《生产安全事故报告和调查处理条例》第三条由死亡、重伤人数和直接经济损失自动计算，无需填写。"]
    )
    notes.append(["", "报告时间晚于发生时间1小时的自动标记为迟报。"])
    notes.append(["", "同一发生时间、同一场所（或同一地址）的事故视为重复，不会导入。"])
    notes.append([])
    heading("列")
    column_notes(notes, COLUMNS)
    notes.append([])
    heading("行业领域")
    for sector in Sector.objects.all():
        notes.append([sector.name, sector.code])
    if district is not None:
        notes.append([])
        heading(f"{district.name}的街镇、园区")
        for unit in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).order_by(
            "kind", "order", "id"
        ):
            notes.append([unit.name, unit.get_kind_display()])
    for number in headings:
        notes.cell(row=number, column=1).font = bold
    return xlsx.workbook_bytes(workbook)
