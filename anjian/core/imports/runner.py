"""Running an import as a job (core/jobs.py): small files in the request, large ones in the background, with
progress, heartbeat, the error sheet on failure and a retry after an interruption. Every import's upload page,
Celery task and retry go through :func:`run_import_job`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core import jobs
from anjian.core.imports.checking import PROGRESS_EVERY
from anjian.core.imports.errors import error_sheet
from anjian.core.imports.reading import ImportFileError, Source
from anjian.core.imports.results import ImportResult
from anjian.core.models import Job, JobFailure

INLINE_MAX_BYTES = getattr(settings, "ANJIAN_IMPORT_INLINE_MAX_BYTES", 1024 * 1024)
INLINE_MAX_ROWS = getattr(settings, "ANJIAN_IMPORT_INLINE_MAX_ROWS", 2000)
ERRORS_ON_PAGE = 200


def runs_in_background(data: bytes, filename: str, *, open_file: Callable[[bytes, str], Source]) -> bool:
    """Large files (> 1 MB or > 2,000 rows) go to a background job; small ones run in the request."""
    if len(data) > INLINE_MAX_BYTES:
        return True
    try:
        source = open_file(data, filename)
    except ImportFileError:
        return False  # answered at once by the inline run
    try:
        return source.main.estimate > INLINE_MAX_ROWS
    finally:
        source.close()


def run_import_job(
    job: Job,
    *,
    run_import: Callable[..., ImportResult],
    arguments: Callable[[Job], dict[str, Any]],
    success_message: Callable[[ImportResult], str],
    logger_name: str,
) -> ImportResult | None:
    """The job run every import shares: ``run_import`` as the job's creator with ``arguments(job)`` (the district…),
    in the language of the upload, with progress reports and a heartbeat; the job's success is recorded inside the
    import's write transaction (a worker killed in between leaves both or neither); the first errors and the
    error sheet on failure, a clear message and a log entry on anything unexpected. A run that lost its job
    (declared interrupted, or taken over by a redelivered task) stops and writes nothing."""
    if not jobs.start(job, message=_("Reading the file…")):
        return None
    logger = logging.getLogger(logger_name)
    language = job.params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language), jobs.beating(job):
        try:
            kwargs = arguments(job)
            with job.input_file.open("rb") as handle:
                data = handle.read()
            last = [0]
            written = [False]

            def progress(done: int, total: int, message: str) -> None:
                # After the success was recorded (with the rows), the job is finished: the last "Done." is moot.
                if written[0]:
                    return
                if done - last[0] >= PROGRESS_EVERY or done >= total or done < last[0]:
                    last[0] = done
                    jobs.report_progress(job, done=done, total=total, message=message)

            def record_success(result: ImportResult) -> None:
                jobs.succeed(job, result={**result.summary(), "ok": True}, message=success_message(result))
                written[0] = True

            result = run_import(
                actor=job.created_by,
                **kwargs,
                source=data,
                filename=job.input_name,
                progress=progress,
                job=job,
                on_written=record_success,
            )
        except jobs.ClaimLost:
            logger.warning("import job %s: this run lost its claim and stopped; nothing was written", job.pk)
            return None
        except Exception:
            # Logged for the operators; the user gets a clear page, never a 500 (the transaction rolled back).
            logger.exception("import job %s failed", job.pk)
            jobs.fail(job, message=_("The import failed unexpectedly; nothing was written."), failure=JobFailure.ERROR)
            return None
        if not result.ok:
            summary = result.summary()
            summary["errors"] = [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason, "code": e.code}
                for e in result.errors[:ERRORS_ON_PAGE]
            ]
            jobs.fail(
                job,
                message=_("%(n)s errors found; nothing was imported.") % {"n": result.error_count},
                result=summary,
                error_file=ContentFile(error_sheet(result)),
            )
    return result
