"""The pages of an import: upload form, job page and its progress fragment, template download, error sheet and
retry. An app declares one :class:`ImportPages` with its engine, rules, URL namespace and templates, and routes
the views it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from anjian.core import jobs, xlsx
from anjian.core.forms import StyledFormMixin
from anjian.core.imports.reading import MAX_FILE_BYTES
from anjian.core.models import Job
from anjian.core.permissions import page_guard


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx workbook or a .csv file (UTF-8 or GBK) with the template's headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=None, empty_label=None)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.only_district = districts.first() if len(districts) == 1 else None
        if self.only_district is not None:
            # One possible district (everyone below city level): nothing to choose.
            self.fields["district"].widget = forms.HiddenInput()
            self.fields["district"].required = False
            self.fields["district"].initial = self.only_district.pk

    def clean_district(self):
        district = self.cleaned_data.get("district") or self.only_district
        if district is None:
            raise forms.ValidationError(_("Choose the district."))
        return district

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several files.") % {"mb": MAX_FILE_BYTES // 2**20}
            )
        return upload


@dataclass(frozen=True)
class ImportPages:
    """The upload page, job page, progress fragment, template and error sheet of one import, so that the pages'
    logic exists once for every import."""

    namespace: str
    job_kind: str
    may_import: Callable[[Any], bool]
    districts: Callable[[Any], Any]  # the districts the user may import into (a queryset)
    own_district: Callable[[Any], Any]  # the district whose streets the user's template lists, or None
    runs_in_background: Callable[[bytes, str], bool]
    run_job: Callable[[Job], Any]
    task: Any  # the Celery task that runs a job in the background (.delay(job_id))
    build_template: Callable[..., bytes]
    template_filename: str
    error_filename: str  # with {pk}
    form_template: str
    job_template: str
    progress_template: str

    def _require_importer(self, user) -> None:
        if not self.may_import(user):
            raise Http404

    def _job_or_404(self, request: HttpRequest, pk: int) -> Job:
        """The user's own job (anyone else's is 404), a silent running one marked interrupted first."""
        self._require_importer(request.user)
        job = get_object_or_404(Job.objects.visible_to(request.user).filter(kind=self.job_kind), pk=pk)
        return jobs.recover(job)

    def _job_context(self, job: Job) -> dict:
        result = job.result or {}
        return {
            "job": job,
            "result": result,
            "errors": result.get("errors", []),
            "more_errors": max(0, result.get("error_count", 0) - len(result.get("errors", []))),
            "import_ns": self.namespace,
            "progress_template": self.progress_template,
        }

    def import_form(self, request: HttpRequest) -> HttpResponse:
        self._require_importer(request.user)
        form = ImportForm(request.POST or None, request.FILES or None, districts=self.districts(request.user))
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            upload.seek(0)
            job = jobs.create_job(
                actor=request.user,
                kind=self.job_kind,
                params={"district": form.cleaned_data["district"].pk, "language": translation.get_language()},
                upload=upload,
            )
            if self.runs_in_background(data, upload.name):
                # Without a broker (the embedded default) Celery runs this eagerly, inside this request.
                self.task.delay(job.pk)
            else:
                self.run_job(job)
            return redirect(f"{self.namespace}:import_job", pk=job.pk)
        recent = Job.objects.visible_to(request.user).filter(kind=self.job_kind)[:10]
        return render(request, self.form_template, {"form": form, "recent_jobs": recent, "import_ns": self.namespace})

    def import_template(self, request: HttpRequest) -> HttpResponse:
        self._require_importer(request.user)
        return xlsx.xlsx_response(self.build_template(district=self.own_district(request.user)), self.template_filename)

    def import_job(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.job_template, self._job_context(self._job_or_404(request, pk)))

    def import_job_status(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The progress fragment that the job page polls (HTMX) until the job is finished."""
        return render(request, self.progress_template, self._job_context(self._job_or_404(request, pk)))

    def import_retry(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Queue an interrupted (or unexpectedly failed) import again with the same file. Safe: an import writes
        everything in one transaction or nothing, and the claim lets only one run through."""
        job = self._job_or_404(request, pk)
        if jobs.requeue(job, actor=request.user):
            # Without a broker (the embedded default) Celery runs this eagerly, inside this request.
            self.task.delay(job.pk)
        return redirect(f"{self.namespace}:import_job", pk=job.pk)

    def import_errors(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job_or_404(request, pk)
        if not job.error_file:
            raise Http404
        return FileResponse(
            job.error_file.open("rb"),
            as_attachment=True,
            filename=self.error_filename.format(pk=job.pk),
            content_type=xlsx.CONTENT_TYPE,
        )

    def views(self) -> tuple[Callable, ...]:
        """The form, template, job, job status, error sheet and retry views, login required; the retry POST only,
        the others but the form GET only."""
        get_only = (self.import_template, self.import_job, self.import_job_status, self.import_errors)
        # The importer's rule guards every page, so a link to the import is shown to importers only (may_open).
        guard = page_guard(self.may_import)
        return (
            login_required(guard(self.import_form)),
            *(login_required(require_GET(guard(view))) for view in get_only),
            login_required(require_POST(guard(self.import_retry))),
        )
