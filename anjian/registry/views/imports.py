"""Import and export pages of the registry: upload, job progress and result, template, error sheet, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from anjian.core import jobs, xlsx
from anjian.core.forms import StyledFormMixin
from anjian.core.models import Job
from anjian.core.permissions import is_supervisor, require_business
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import exports, imports, selectors
from anjian.registry.filtersets import SiteFilterSet
from anjian.registry.tasks import run_site_import

XLSX = xlsx.CONTENT_TYPE


def can_import(user) -> bool:
    """Staff with write scope: not read-only (leaders), not enterprise accounts, not the 三员 administrators."""
    return is_supervisor(user)


def import_districts(user):
    """The districts a user may import into: the city's for city staff, otherwise their own."""
    scope = scope_of(user)
    districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True).order_by("order", "id")
    if scope.level is ScopeLevel.CITY:
        return districts.filter(city_id=scope.city_id)
    return districts.filter(pk=scope.district_id)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx workbook or a .csv file (UTF-8 or GBK) with the template's headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=OrgUnit.objects.none(), empty_label=None)

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
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several files.")
                % {"mb": imports.MAX_FILE_BYTES // 2**20}
            )
        return upload


@dataclass(frozen=True)
class ImportPages:
    """The upload page, job page, progress fragment, template and error sheet of one import.

    The places' import below is the first; the accidents' import builds its own with its engine, URL namespace,
    templates and file names, so that the pages' logic exists once."""

    namespace: str
    job_kind: str
    may_import: Callable[[Any], bool]
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
        form = ImportForm(request.POST or None, request.FILES or None, districts=import_districts(request.user))
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
        district = OrgUnit.objects.filter(pk=scope_of(request.user).district_id).first()
        return xlsx.xlsx_response(self.build_template(district=district), self.template_filename)

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
            content_type=XLSX,
        )

    def views(self) -> tuple[Callable, ...]:
        """The form, template, job, job status, error sheet and retry views, login required; the retry POST only,
        the others but the form GET only."""
        get_only = (self.import_template, self.import_job, self.import_job_status, self.import_errors)
        return (
            login_required(self.import_form),
            *(login_required(require_GET(view)) for view in get_only),
            login_required(require_POST(self.import_retry)),
        )


SITE_IMPORT = ImportPages(
    namespace="registry",
    job_kind=imports.JOB_KIND,
    may_import=can_import,
    runs_in_background=imports.runs_in_background,
    run_job=imports.run_job,
    task=run_site_import,
    build_template=imports.build_template,
    template_filename="场所导入模板.xlsx",
    error_filename="导入错误-{pk}.xlsx",
    form_template="registry/import_form.html",
    job_template="registry/import_job.html",
    progress_template="registry/_import_progress.html",
)
import_form, import_template, import_job, import_job_status, import_errors, import_retry = SITE_IMPORT.views()


@login_required
@require_GET
def site_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the list shows: the user's scope, narrowed by the same filters (SiteFilterSet)."""
    require_business(request.user)  # like the list: no business data for the three administrators
    filterset = SiteFilterSet(request.GET, queryset=selectors.sites_for(request.user), user=request.user)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    handle, _count = exports.export_sites(actor=request.user, queryset=queryset, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"监管对象-{stamp}.xlsx", content_type=XLSX)
