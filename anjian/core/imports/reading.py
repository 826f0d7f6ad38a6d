"""Reading an uploaded table from untrusted bytes: an .xlsx workbook (chosen by content, not by name) or a CSV file
in UTF-8 (with or without BOM), GB18030/GBK as Chinese Excel writes it, or UTF-16. Use :func:`open_source` for
every import; it yields the rows lazily, so a 100,000-row file is never held as cells."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILE_BYTES = getattr(settings, "ANJIAN_IMPORT_MAX_BYTES", 60 * 1024 * 1024)
INSTRUCTIONS_SHEET = "填写说明"  # every template's instructions sheet: never read as data


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, not Excel, bad encoding, wrong headers…)."""

    def __init__(self, message: str, code: str = "file"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    headers: list[Any]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, values)
    estimate: int = 0


@dataclass
class Source:
    main: Table
    sheets: dict[str, Table] = field(default_factory=dict)  # the other named sheets the import asked for
    close: Callable[[], None] = lambda: None


def read_bytes(source: BinaryIO | bytes | str) -> bytes:
    """The file's bytes, from bytes, a path or an open file."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def open_source(data: bytes, filename: str, *, main_sheet: str, other_sheets: Sequence[str] = ()) -> Source:
    """Choose the reader by content, not by name: a renamed binary must not reach the CSV parser.

    In a workbook the main table is the sheet named ``main_sheet``, else the first sheet that is neither one of
    ``other_sheets`` nor the instructions; ``other_sheets`` that are present are read too (``Source.sheets``)."""
    if not data:
        raise ImportFileError(_("The file is empty (0 bytes)."), "empty_file")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it into several files.") % {"mb": MAX_FILE_BYTES // 2**20},
            "too_large",
        )
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        return _open_xlsx(data, main_sheet, other_sheets)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("Old Excel 97-2003 files (.xls) are not supported: save the file as .xlsx and upload it again."),
            "xls",
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), "not_excel")
    if not name.endswith((".csv", ".txt")) and name:
        raise ImportFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), "file_type")
    return _open_csv(data)


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), "not_excel")


def _open_xlsx(data: bytes, main_sheet: str, other_sheets: Sequence[str]) -> Source:
    """Open a workbook from untrusted bytes. openpyxl parses its XML with defusedxml (a dependency), so a DTD
    with entities (an XML bomb, an external entity reaching for local files) is refused, not expanded.

    Every failure of the reader means one thing to the user, "not a valid workbook", wherever it is found: at
    opening, or in a sheet's rows long after the first (openpyxl reads them lazily while the rows are checked).
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any corrupt zip or workbook (BadZipFile, KeyError, ValueError, DefusedXmlException…)
        raise _not_a_workbook() from None
    sheets = {ws.title.strip(): ws for ws in workbook.worksheets}
    main = sheets.get(main_sheet)
    if main is None:
        candidates = [ws for title, ws in sheets.items() if title not in {*other_sheets, INSTRUCTIONS_SHEET}]
        if not candidates:
            workbook.close()
            raise ImportFileError(_("The workbook has no sheet of places."), "no_sheet")
        main = candidates[0]

    def read(ws) -> Iterator[tuple]:
        rows = ws.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception:
                # Only the reader's own errors land here (the consumer's run outside this try): a corrupt or
                # hostile sheet inside a valid zip, a forbidden entity, a broken deflate stream…
                raise _not_a_workbook() from None
            yield values

    def table(ws) -> Table:
        rows = read(ws)
        headers = list(next(rows, None) or [])
        try:
            estimate = max((ws.max_row or 1) - 1, 0) if ws.max_row else 0
        except Exception:  # a dimension the reader cannot parse
            raise _not_a_workbook() from None
        return Table(headers=headers, rows=enumerate(rows, start=2), estimate=estimate)

    try:
        main_table = table(main)
        others = {title: table(sheets[title]) for title in other_sheets if title in sheets}
        return Source(main=main_table, sheets=others, close=workbook.close)
    except ImportFileError:
        workbook.close()
        raise


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise GB18030, the superset of GBK that Chinese Excel writes."""
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            with contextlib.suppress(UnicodeDecodeError):  # not UTF-16 after all: refused below
                return data.decode("utf-16")
        raise ImportFileError(_("The file is not a text (CSV) file."), "not_text")
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: try what Chinese Excel writes
        return data.decode("utf-8-sig")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's encoding could not be read: save it as CSV in UTF-8 or GBK, or as .xlsx."), "encoding"
        ) from None


def _open_csv(data: bytes) -> Source:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        headers = []
    except csv.Error:
        raise ImportFileError(_("The file is not a valid CSV file."), "not_text") from None

    def rows():
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file is malformed near row %(row)s.") % {"row": reader.line_num}, "not_text"
            ) from error

    return Source(main=Table(headers=headers, rows=rows(), estimate=max(text.count("\n") - 1, 0)))
