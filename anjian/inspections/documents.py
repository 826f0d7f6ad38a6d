"""The rectification notice (安全生产隐患整改通知书) as a Word document (issue 4, item 6).

An official document has a fixed Chinese wording and layout whatever language the user reads the pages in,
so its text is written here in Chinese, not through translation strings: title, number, addressee, the
inspection it follows, the hazard table (序号、隐患、部位、等级、依据), the legal basis, the deadline
("限于 YYYY年M月D日前整改完毕"), the requirements, the issuing unit and date, and the signature lines.
"""

from __future__ import annotations

import datetime
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from anjian.inspections.choices import HazardGrade

TITLE = "安全生产隐患整改通知书"
TABLE_HEADERS = ("序号", "隐患", "部位", "等级", "依据")
GRADE_LABELS = {HazardGrade.GENERAL: "一般事故隐患", HazardGrade.MAJOR: "重大事故隐患"}
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"


def cn_date(value: datetime.date) -> str:
    """2026年5月1日: the date as official documents write it (no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


def notice_filename(notice) -> str:
    return f"整改通知书-{notice.number}.docx"


# The Word helpers below serve every official document (the accidents' briefing uses them too).


def set_font(run, *, name: str = BODY_FONT, size: float = 14, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes the font of Chinese characters from the East Asian slot, not from the Latin name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def add_text(
    document, text: str = "", *, align=None, name: str = BODY_FONT, size: float = 14, bold=False, indent=False
):
    """A paragraph of ``text`` (none: an empty line), first line indented two characters when ``indent``."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(4)
    if text:
        set_font(paragraph.add_run(text), name=name, size=size, bold=bold)
    return paragraph


def official_document(*, title: str, author: str, body_size: float):
    """An empty A4 document with the margins of GB/T 9704 and the body font as its Normal style."""
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def document_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    set_font(cell.paragraphs[0].add_run(text), size=12, bold=bold)


def _inspection_date(hazard) -> datetime.date:
    moment = hazard.inspection.started_at if hazard.inspection_id else hazard.reported_at
    return timezone.localtime(moment).date()


def notice_rows(notice) -> list[tuple[str, str, str, str, str]]:
    """The hazard table of the notice: one row per hazard it orders rectified."""
    hazard = notice.hazard
    basis = "；".join(part for part in (hazard.criterion_label, hazard.legal_basis or notice.legal_basis) if part)
    title = (
        hazard.title
        if not hazard.description or hazard.description == hazard.title
        else (f"{hazard.title}（{hazard.description}）")
    )
    return [("1", title, hazard.location or "—", GRADE_LABELS.get(hazard.grade, hazard.grade), basis)]


def notice_document(notice) -> bytes:
    """The notice as .docx bytes. ``notice.hazard`` is expected with its place, enterprise and inspection."""
    hazard = notice.hazard
    site = hazard.site
    addressee = site.enterprise.name if site.enterprise_id else site.name

    document = official_document(
        title=f"安全生产隐患整改通知书 {notice.number}", author=notice.issuing_unit.name, body_size=14
    )

    issuer = add_text(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_font(issuer.add_run(notice.issuing_unit.name), name=TITLE_FONT, size=16, bold=True)
    title = add_text(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_font(title.add_run(TITLE), name=TITLE_FONT, size=22, bold=True)
    add_text(document, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER)

    add_text(document, f"{addressee}：")
    place = f"{site.name}（{site.address}）" if site.address else site.name
    add_text(
        document,
        f"{cn_date(_inspection_date(hazard))}，经对你单位{place}进行安全生产检查，发现存在下列事故隐患：",
        indent=True,
    )

    rows = notice_rows(notice)
    table = document.add_table(rows=1 + len(rows), cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, header in enumerate(TABLE_HEADERS):
        _cell(table.rows[0].cells[index], header, bold=True)
    for row_index, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            _cell(table.rows[row_index].cells[index], value)
    for row in table.rows:
        for index, width in enumerate((Cm(1.3), Cm(5.6), Cm(3.0), Cm(2.6), Cm(3.1))):
            row.cells[index].width = width

    add_text(
        document,
        f"依据{notice.legal_basis}的规定，现责令你单位对上述事故隐患进行整改，"
        f"限于 {cn_date(notice.deadline)}前整改完毕，并将整改情况书面报告我单位复查。",
        indent=True,
    )
    if hazard.grade == HazardGrade.MAJOR:
        add_text(
            document,
            "上述隐患属重大事故隐患，你单位应当制定并实施整改方案（目标和任务、方法和措施、经费和物资、"
            "机构和人员、时限和要求、安全措施和应急预案），在隐患排除前或者排除过程中无法保证安全的，"
            "应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。",
            indent=True,
        )
    if notice.requirements.strip():
        add_text(document, f"整改要求：{notice.requirements.strip()}", indent=True)
    add_text(
        document,
        "整改期间，你单位应当采取必要的安全防范措施，防止事故发生。逾期未整改或者整改不合格的，将依法处理。",
        indent=True,
    )

    add_text(document)
    add_text(document, notice.issuing_unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(document, cn_date(timezone.localtime(notice.issued_at).date()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_text(document)
    add_text(document, "检查人员（签名）：____________　　日期：____年__月__日")
    add_text(document, "被检查单位负责人（签名）：____________　　日期：____年__月__日")
    add_text(document, "本通知书一式两份，一份交被检查单位，一份存档。", size=12)

    return document_bytes(document)
