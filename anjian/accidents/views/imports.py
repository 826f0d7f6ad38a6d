"""Import of historical accidents: upload, job progress and result, template, error sheet.

The registry's import pages are the pattern: the same form, the same rule for who may import and into which
district, the same job rows; only the engine (anjian/accidents/imports.py) and the result differ.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from anjian.accidents import imports
from anjian.accounts.choices import Role
from anjian.core import jobs
from anjian.core.models import Job
from anjian.core.scoping import scope_of
from anjian.organizations.models import OrgUnit
from anjian.registry.views.imports import XLSX, ImportForm, _attachment, can_import, import_districts


def may_import_accidents(user) -> bool:
    """Staff with write scope (not leaders, not enterprises, not the 三员 administrators), as record_accident."""
    return can_import(user) and getattr(user, "role", "") != Role.ENTERPRISE


def _require_importer(user) -> None:
    if not may_import_accidents(user):
        raise Http404


@login_required
def import_form(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, districts=import_districts(request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        upload.seek(0)
        job = jobs.create_job(
            actor=request.user,
            kind=imports.JOB_KIND,
            params={"district": form.cleaned_data["district"].pk, "language": translation.get_language()},
            upload=upload,
        )
        if imports.runs_in_background(data, upload.name):
            # Without a broker (the embedded default) Celery runs this eagerly, inside this request.
            imports.run_accident_import.delay(job.pk)
        else:
            imports.run_job(job)
        return redirect("accidents:import_job", pk=job.pk)
    recent = Job.objects.visible_to(request.user).filter(kind=imports.JOB_KIND)[:10]
    return render(request, "accidents/import_form.html", {"form": form, "recent_jobs": recent})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    district = OrgUnit.objects.filter(pk=scope_of(request.user).district_id).first()
    response = HttpResponse(imports.build_template(district=district), content_type=XLSX)
    response["Content-Disposition"] = _attachment("事故导入模板.xlsx")
    return response


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    _require_importer(request.user)
    return get_object_or_404(Job.objects.visible_to(request.user).filter(kind=imports.JOB_KIND), pk=pk)


def _job_context(job: Job) -> dict:
    result = job.result or {}
    return {
        "job": job,
        "result": result,
        "errors": result.get("errors", []),
        "more_errors": max(0, result.get("error_count", 0) - len(result.get("errors", []))),
    }


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "accidents/import_job.html", _job_context(_job_or_404(request, pk)))


@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the job page polls (HTMX) until the job is finished."""
    return render(request, "accidents/import_progress.html", _job_context(_job_or_404(request, pk)))


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if not job.error_file:
        raise Http404
    return FileResponse(
        job.error_file.open("rb"), as_attachment=True, filename=f"事故导入错误-{job.pk}.xlsx", content_type=XLSX
    )
