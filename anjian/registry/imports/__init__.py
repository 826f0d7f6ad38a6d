"""Import of supervised places from Excel (.xlsx) and CSV files (issue: registry, item 3).

One engine for the upload page, the background task and ``manage.py import_sites``, built on the import engine of
:mod:`anjian.core.imports`:

1. read the file (xlsx by content, CSV in UTF-8 with or without BOM, or GB18030/GBK as
   Chinese Excel writes it);
2. check EVERY row (:mod:`.checking`) — types, the credit code's check character, streets, sectors and
   subtypes, coordinates inside the street's boundary, duplicates within the file, the
   importer's jurisdiction — and the places it would update (:mod:`.matching`), before anything is written;
3. if any row is bad, write nothing and return the errors (row, column, value, reason),
   from which :func:`anjian.core.imports.errors.error_sheet` builds the downloadable error sheet;
4. otherwise write everything in ONE transaction, in bulk (:mod:`.writing`): enterprises upserted by
   credit code, places matched by external id (外部编号) or by credit code + name and
   updated instead of duplicated, sectors, status history, chemical inventories, and
   one audit record for the whole import.

The columns are :mod:`.columns` (shared with the export), the template :mod:`.template`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.utils.translation import gettext as _

from anjian.core.imports import runner
from anjian.core.imports.checking import ProgressFn, check_then_write
from anjian.core.imports.results import ImportResult
from anjian.organizations.models import OrgUnit
from anjian.registry.imports.checking import check_file, open_file
from anjian.registry.imports.columns import CHEMICAL_HEADERS, HEADERS
from anjian.registry.imports.matching import plan_import
from anjian.registry.imports.template import build_template
from anjian.registry.imports.writing import SiteImportResult, write_plan
from anjian.registry.services import check_importer

__all__ = ["CHEMICAL_HEADERS", "HEADERS", "JOB_KIND", "build_template", "import_sites", "run_job"]

JOB_KIND = "registry.site_import"


def import_sites(
    *,
    actor,
    district: OrgUnit,
    source: BinaryIO | bytes | str,
    filename: str = "",
    progress: ProgressFn | None = None,
    job=None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> SiteImportResult:
    """Check every row of the file, then write all of it in one transaction, or nothing (issue item 3).

    ``actor`` None is the command line without --user: no scope limits, like the services. ``on_written`` runs
    inside the write transaction once every row is written (a job records its success there: both commit or
    neither); if it raises, nothing is written.
    """
    result = SiteImportResult(filename=filename)

    def authorize() -> None:
        check_importer(actor, district, _("You cannot import places."))

    def check(data: bytes):
        checked = check_file(
            actor=actor, district=district, data=data, filename=filename, result=result, progress=progress
        )
        if result.error_count:
            return None
        return plan_import(actor=actor, district=district, checked=checked, result=result)

    def write(plan) -> None:
        write_plan(actor=actor, district=district, plan=plan, result=result, job=job, on_written=on_written)

    return check_then_write(result, source, authorize=authorize, check=check, write=write, progress=progress)


def runs_in_background(data: bytes, filename: str) -> bool:
    """Large files (> 1 MB or > 2,000 rows) go to a background job; small ones run in the request."""
    return runner.runs_in_background(data, filename, open_file=open_file)


def run_job(job) -> ImportResult | None:
    """Run a queued import job to its end: counts on success, errors and the error sheet on failure."""
    return runner.run_import_job(
        job,
        run_import=import_sites,
        arguments=lambda job: {"district": OrgUnit.objects.get(pk=job.params["district"])},
        success_message=lambda result: (
            _("%(created)s places created, %(updated)s updated.")
            % {"created": result.created, "updated": result.updated}
        ),
        logger_name=__name__,
    )
