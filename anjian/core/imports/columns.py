"""Column specs of an import and what follows from them: the keys its headers are known by (spaces, a
required-marker star and full-width brackets ignored), the template's header row and instructions. An app declares
its columns as a tuple of :class:`Column`; the Chinese headers are data (what users' spreadsheets say), not
translated strings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

INT_MAX = 2_147_483_647  # the largest value of an integer column on every database


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str  # what the app's cell parser makes of it: text, int, decimal, date, choice…
    required: bool = False
    max_length: int = 0
    minimum: Any = None
    maximum: Any = None
    places: int = 0  # decimals
    digits: int = 0  # max digits
    choices: tuple[tuple[str, str], ...] = ()  # (code, Chinese label)
    note: str = ""  # shown on the instructions sheet


def choices_of(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A column's (code, label) choices from a dict of labels."""
    return tuple((str(code), label) for code, label in labels.items())


def header_key(text: Any) -> str:
    """Headers match ignoring spaces, a required-marker star and full-width brackets."""
    value = str(text or "").strip().replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"\s+", "", value).strip("*")


def header_aliases(columns: Sequence[Column]) -> dict[str, int]:
    """Header key → column index; a header ending in a unit ("建筑面积(㎡)") is also known without it."""
    table: dict[str, int] = {}
    for index, column in enumerate(columns):
        table[header_key(column.header)] = index
        bare = re.sub(r"\(.*?\)$", "", column.header)
        table.setdefault(header_key(bare), index)
    return table


def template_header(sheet, columns: Sequence[Column], *, formats: dict[str, str]) -> None:
    """A template sheet's header row: bold, required columns shaded, widths from the headers, the number format of
    ``formats[column.kind]`` on the first 1,000 rows, the header frozen."""
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([c.header for c in columns])
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = bold
        if column.required:
            cell.fill = required
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 2)
        if column.kind in formats:
            for row in range(2, 1002):
                sheet.cell(row=row, column=cell.column).number_format = formats[column.kind]
    sheet.freeze_panes = "A2"


def column_notes(notes, columns: Sequence[Column]) -> None:
    """One instructions row per column: its note and the labels it accepts."""
    for column in columns:
        text = column.note
        if column.choices:
            text = f"{text}；可选：{'、'.join(label for _c, label in column.choices)}".lstrip("；")
        notes.append([column.header, text])
