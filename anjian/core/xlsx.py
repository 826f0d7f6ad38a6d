"""What every .xlsx export and import shares: formula escaping, the bold header row, the write-only list export,
the workbook as a spooled file or bytes, and the download response.

Exports are written with openpyxl's write-only mode into a temporary file (memory does not grow with the rows),
read their rows in chunks, and are in Chinese whatever the user's language (a working document handed on to
others). Text a spreadsheet would run as a formula is escaped (OWASP "CSV injection").
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import translation

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LANGUAGE = "zh-hans"
CHUNK = 1000
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SPOOL_MAX = 8 * 1024 * 1024


def escape_cell(value: Any) -> Any:
    """Prefix ' to text that starts like a formula (=, +, -, @, tab, CR): no formula injection."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def escape_row(values: Iterable[Any]) -> list[Any]:
    return [escape_cell(value) for value in values]


def append_header(sheet, texts: Iterable[Any]) -> None:
    """Append a bold header row to a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for text in texts:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def spooled(workbook, *, max_size: int = SPOOL_MAX):
    """The saved workbook as a temporary file at its start, ready for a FileResponse."""
    handle = tempfile.SpooledTemporaryFile(max_size=max_size)  # noqa: SIM115 - handed to the response
    workbook.save(handle)
    handle.seek(0)
    return handle


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_list_xlsx(
    *, sheet_title: str, headers: Iterable[Any], rows: Iterable[Any], row: Callable[[Any], Iterable[Any]]
):
    """One sheet: the bold headers, then ``row(item)`` escaped for each item, in the export language.

    ``rows`` is usually ``queryset.iterator(chunk_size=CHUNK)``; returns (spooled file, count)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    append_header(sheet, headers)
    count = 0
    with translation.override(EXPORT_LANGUAGE):
        for item in rows:
            sheet.append(escape_row(row(item)))
            count += 1
    return spooled(workbook), count


def attachment_header(filename: str) -> str:
    """The Content-Disposition value of a download (RFC 6266, non-ASCII names encoded)."""
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


def xlsx_response(data: bytes, filename: str):
    """Workbook bytes as a download."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response


def moment(value) -> str:
    """A date-time as exports show it (local time, to the minute); "" for none."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def yes(value: bool) -> str:
    return "是" if value else "否"


def record_export(*, actor, action: str, object_type: str, what: str, count: int, filters, **after) -> None:
    """Audit an export: who exported how many rows of what, with which filters (and anything else in ``after``)."""
    from anjian.core import audit

    audit.record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_repr=f"export of {count} {what}",
        after={"rows": count, "filters": filters, **after},
    )
