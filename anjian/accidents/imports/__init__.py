"""Import of historical accidents from Excel (.xlsx) and CSV files (issue "Accidents, statistics and briefings",
item 5).

The import engine (:mod:`anjian.core.imports`) reads the file (by content; CSV in UTF-8 or GBK), maps the
headers, parses numbers, runs the job and writes the error sheet; this module adds the accident columns and rules:

1. every row is checked first — times, reported ≥ occurred, non-negative whole numbers of people, known
   category/sector/GB 6441 labels, the street in the district and in the importer's scope, the place visible to
   the importer, coordinates inside the street's boundary, duplicates within the file and against the accidents
   already recorded (same time of occurrence at the same place or address);
2. each row goes through :func:`anjian.accidents.services.clean_accident`, the same rules, grade (STANDARDS §4)
   and late-report flag (条例 第九条) as an accident recorded on the page — there is no second copy of them;
3. a file with any error writes nothing and yields the error sheet (行号/列/值/错误原因);
4. otherwise all rows are inserted in bulk in ONE transaction with ONE audit record.

The Chinese column headers and labels are data (what users' spreadsheets say), not translated strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents.imports.checking import Row, check_file, open_file
from anjian.accidents.imports.columns import COLUMNS
from anjian.accidents.imports.template import build_template
from anjian.accidents.models import Accident
from anjian.core import audit, audit_labels
from anjian.core.imports import runner
from anjian.core.imports.checking import ProgressFn, check_then_write
from anjian.core.imports.results import ImportResult
from anjian.core.imports.writer import BATCH, chunks
from anjian.organizations.models import OrgUnit
from anjian.registry.services import check_importer

__all__ = ["COLUMNS", "JOB_KIND", "build_template", "import_accidents", "run_accident_import", "run_job"]

JOB_KIND = "accidents.accident_import"

audit_labels.register({"accidents.accident.import": gettext_lazy("Imported accidents")})


@dataclass
class AccidentImportResult(ImportResult):
    def counts(self) -> dict[str, int]:
        # The places' import's counts, always naught here: the audit records and job results of every import
        # keep one shape.
        return dict.fromkeys(("enterprises_created", "enterprises_updated", "chemical_units"), 0)


def import_accidents(
    *,
    actor,
    district: OrgUnit,
    source: BinaryIO | bytes | str,
    filename: str = "",
    progress: ProgressFn | None = None,
    job=None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row, then insert all of them in one transaction, or nothing.

    ``actor`` None is the command line without --user: no scope limits, like the services. ``on_written`` runs
    inside the write transaction once every row is written (see the registry's import_sites)."""
    result = AccidentImportResult(filename=filename)

    def authorize() -> None:
        check_importer(actor, district, _("Only a supervising officer records accidents."))

    def check(data: bytes) -> list[Row]:
        return check_file(
            actor=actor, district=district, data=data, filename=filename, result=result, progress=progress
        )

    def write(rows: list[Row]) -> None:
        _write(actor=actor, district=district, rows=rows, result=result, job=job, on_written=on_written)

    return check_then_write(result, source, authorize=authorize, check=check, write=write, progress=progress)


def _write(*, actor, district, rows: list[Row], result: ImportResult, job, on_written=None) -> None:
    """All rows in one transaction, in bulk; one audit record for the whole file."""
    now = timezone.now()
    with transaction.atomic():
        created_ids: list[int] = []
        for chunk in chunks(rows, BATCH):
            objects = [Accident(created_by=actor, created_at=now, **row.values) for row in chunk]
            objects = Accident.objects.bulk_create(objects, batch_size=BATCH)
            ids = [obj.pk for obj in objects]
            if actor is not None:
                # A safety net behind the row checks: every accident must be in the importer's scope.
                for part in chunks(ids):
                    if Accident.objects.editable_by(actor).filter(pk__in=part).count() != len(part):
                        raise PermissionDenied(_("This accident is outside your jurisdiction."))
            created_ids.extend(ids)
        result.created = len(created_ids)
        # One record for the file, not one per row (see the registry's import): it names the file by its
        # SHA-256 and the job, whose page lists the counts.
        audit.record(
            actor=actor,
            action="accidents.accident.import",
            obj=job,
            object_type="" if job else "accidents.import",
            object_repr=(result.filename or "-")[:300],
            after={
                **result.summary(),
                "ok": True,
                "district": district.pk,
                "job": getattr(job, "pk", None),
                "first_id": min(created_ids),
                "last_id": max(created_ids),
            },
        )
        if on_written is not None:
            on_written(result)


# --- jobs ----------------------------------------------------------------------------------------------


def runs_in_background(data: bytes, filename: str) -> bool:
    """Large files (> 1 MB or > 2,000 rows) go to a background job; small ones run in the request."""
    return runner.runs_in_background(data, filename, open_file=open_file)


def run_job(job) -> ImportResult | None:
    """Run a queued import job to its end: counts on success, errors and the error sheet on failure."""
    return runner.run_import_job(
        job,
        run_import=import_accidents,
        arguments=lambda job: {"district": OrgUnit.objects.get(pk=job.params["district"])},
        success_message=lambda result: _("%(n)s accidents imported.") % {"n": result.created},
        logger_name=__name__,
    )


# acks_late and reject_on_worker_lost: see anjian/registry/tasks.py.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_accident_import(self, job_id: int) -> dict:
    """Run one queued accident import (the task gets only the id; the job row holds the file and parameters)."""
    from anjian.core import jobs

    result = jobs.run_task(self, job_id, kinds=[JOB_KIND], run=run_job)
    return result.summary() if result is not None else {}
