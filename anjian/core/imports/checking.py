"""The frame of every import: check every row of the file first, then write all of it in one transaction, or
nothing. An import calls :func:`check_then_write` with its own permission check, its check of the file (which
maps the header row with :func:`map_headers` and walks the rows with :func:`check_rows`) and its writer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from anjian.core.imports.cells import as_text, clean
from anjian.core.imports.columns import Column, header_key
from anjian.core.imports.reading import ImportFileError, Table, read_bytes
from anjian.core.imports.results import ImportResult, RowError
from anjian.core.scoping import ScopeLevel, scope_of

MAX_ROWS = getattr(settings, "ANJIAN_IMPORT_MAX_ROWS", 200_000)
PROGRESS_EVERY = 1000

ProgressFn = Callable[[int, int, str], None]


def importer_limits(actor) -> tuple[frozenset[int] | None, frozenset[str] | None]:
    """What narrows an importer's rows within the district: a street or park officer's territories and a
    department's mandated sectors; None where nothing does (city and district staff, the command line)."""
    scope = scope_of(actor)
    territory_ids = scope.territory_ids if scope.level is ScopeLevel.TERRITORY else None
    sector_codes = scope.sector_codes if scope.level is ScopeLevel.DEPARTMENT else None
    return territory_ids, sector_codes


def has_headers(headers: Sequence[Any]) -> bool:
    return any(clean(h) is not None for h in headers)


def require_headers(headers: Sequence[Any]) -> None:
    if not has_headers(headers):
        raise ImportFileError(_("The file has no header row: use the template."), "no_header")


def map_headers(
    headers: list[Any], aliases: dict[str, int], columns: Sequence[Column], result: ImportResult, *, sheet: str = ""
) -> list[tuple[int, int]]:
    """[(position in file, column index)]; unknown, duplicate and missing required headers are errors, named by
    column letter, prefixed by ``sheet`` for a sheet other than the main one."""
    from openpyxl.utils import get_column_letter

    mapping: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    prefix = f"{sheet} · " if sheet else ""
    last = max((i for i, h in enumerate(headers) if clean(h) is not None), default=-1)
    for position, header in enumerate(headers[: last + 1]):
        key = header_key(header)
        letter = prefix + get_column_letter(position + 1)
        if not key:
            result.add(RowError(1, letter, "", _("The column has no header."), "header"))
            continue
        index = aliases.get(key)
        if index is None:
            result.add(
                RowError(1, letter, as_text(header), _("Unknown column header; use the template's headers."), "header")
            )
        elif index in seen:
            result.add(RowError(1, letter, as_text(header), _("The column appears twice."), "header"))
        else:
            seen[index] = position
            mapping.append((position, index))
    for index, column in enumerate(columns):
        if column.required and index not in seen:
            result.add(
                RowError(
                    1,
                    prefix + column.header,
                    "",
                    _("The required column “%(h)s” is missing.") % {"h": column.header},
                    "header",
                )
            )
    return mapping


def check_rows(
    table: Table, *, check_row: Callable[[int, Sequence[Any]], None], progress: ProgressFn | None, no_rows: str
) -> int:
    """Hand every row of the table to ``check_row`` (number, values), skipping blank lines; the number of rows.

    The file is refused beyond MAX_ROWS rows, or without any (``no_rows`` says so); progress is reported every
    PROGRESS_EVERY rows as the first half of the work (writing is the second)."""
    count = 0
    estimate = table.estimate
    for number, raw in table.rows:
        if not any(raw) or all(clean(c) is None for c in raw):
            continue  # blank lines at the end of a sheet are not rows
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into several files.") % {"max": MAX_ROWS},
                "too_many_rows",
            )
        check_row(number, raw)
        if progress and count % PROGRESS_EVERY == 0:
            estimate = max(estimate, count)
            progress(count, estimate * 2, _("Checking row %(n)s…") % {"n": count})
    if count == 0:
        raise ImportFileError(no_rows, "no_rows")
    return count


def check_then_write(
    result: ImportResult,
    source: BinaryIO | bytes | str,
    *,
    authorize: Callable[[], None],
    check: Callable[[bytes], Any],
    write: Callable[[Any], None],
    progress: ProgressFn | None = None,
) -> ImportResult:
    """``authorize()`` (raises PermissionDenied), then ``check(data)`` returns what ``write`` needs, or nothing when
    ``result`` holds errors; ``write(plan)`` writes all of it in one transaction. A refusal, an unreadable file and
    every bad row end in ``result``'s errors, with nothing written."""
    data = read_bytes(source)
    result.sha256 = hashlib.sha256(data).hexdigest()
    filename = result.filename
    try:
        authorize()
        plan = check(data)
    except PermissionDenied as error:
        result.add(RowError(None, "", filename, str(error), "permission"))
        return result
    except ImportFileError as error:
        result.add(RowError(None, "", filename, error.message, error.code))
        return result
    finally:
        del data
    if result.error_count or not plan:
        return result
    if progress:
        progress(result.rows, result.rows * 2, _("Writing %(n)s rows to the database…") % {"n": result.rows})
    try:
        write(plan)
    except PermissionDenied as error:  # a safety net of the writer (scope re-checked on what was written)
        result.add(RowError(None, "", filename, str(error), "permission"))
        return result
    result.ok = True
    if progress:
        progress(result.rows * 2, result.rows * 2, _("Done."))
    return result
