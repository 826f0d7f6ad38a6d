"""Import of historical accidents: upload, job progress and result, template, error sheet.

The import pages of every import serve (anjian.core.imports.pages.ImportPages), with the registry's rule for who
may import into which district; only the engine (anjian/accidents/imports/), the rule for who may import and the
result shown differ.
"""

from __future__ import annotations

from anjian.accidents import imports
from anjian.core.imports.pages import ImportPages
from anjian.core.permissions import is_enterprise
from anjian.registry.views.imports import can_import, import_districts, own_district


def may_import_accidents(user) -> bool:
    """Staff with write scope (not leaders, not enterprises, not the 三员 administrators), as record_accident."""
    return can_import(user) and not is_enterprise(user)


ACCIDENT_IMPORT = ImportPages(
    namespace="accidents",
    job_kind=imports.JOB_KIND,
    may_import=may_import_accidents,
    districts=import_districts,
    own_district=own_district,
    runs_in_background=imports.runs_in_background,
    run_job=imports.run_job,
    task=imports.run_accident_import,
    build_template=imports.build_template,
    template_filename="事故导入模板.xlsx",
    error_filename="事故导入错误-{pk}.xlsx",
    form_template="accidents/import_form.html",
    job_template="accidents/import_job.html",
    progress_template="accidents/import_progress.html",
)
import_form, import_template, import_job, import_job_status, import_errors, import_retry = ACCIDENT_IMPORT.views()
