"""Word (.docx) helpers for the platform's official documents: an A4 page with the margins of GB/T 9704, the
fonts of Chinese official writing, paragraphs, bordered tables, the date as documents write it, and the bytes.

Use them for any document handed out of the platform (a rectification notice, a situation briefing): the
document's own module keeps only its fixed Chinese wording and layout, which stay the same whatever language
the user reads the pages in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"


def cn_date(value: datetime.date) -> str:
    """2026年5月1日: the date as official documents write it (no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


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


def add_table(document, header: Sequence, rows: Iterable[Sequence], *, size: float, widths: Sequence | None = None):
    """A bordered table centred on the page: a bold header row, then ``rows``, every cell in the body font at
    ``size``; ``widths`` (e.g. ``Cm(3)``) fixes the width of each column."""
    rows = list(rows)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, text in enumerate(header):
        _fill(table.rows[0].cells[index], text, size=size, bold=True)
    for row_index, row in enumerate(rows, start=1):
        cells = table.rows[row_index].cells
        for index, value in enumerate(row):
            _fill(cells[index], value, size=size)
    if widths is not None:
        for row in table.rows:
            for index, width in enumerate(widths):
                row.cells[index].width = width
    return table


def _fill(cell, text, *, size: float, bold: bool = False) -> None:
    cell.text = ""
    set_font(cell.paragraphs[0].add_run(str(text)), size=size, bold=bold)


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
