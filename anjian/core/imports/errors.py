"""The downloadable error sheet of a refused import: one line per bad row (row, column, value, reason), the
values escaped so that no cell runs as a formula. Every import offers it for its result."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core import xlsx
from anjian.core.imports.results import ImportResult


def error_sheet(result: ImportResult) -> bytes:
    """The downloadable list of errors: row, column, value, reason."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for error in result.errors:
        sheet.append(xlsx.escape_row((error.row, error.column, error.value, error.reason)))
    if result.error_count > len(result.errors):
        sheet.append(["", "", "", _("… and %(n)s more errors.") % {"n": result.error_count - len(result.errors)}])
    return xlsx.workbook_bytes(workbook)
