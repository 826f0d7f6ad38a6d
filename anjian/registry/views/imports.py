"""Import and export pages of the registry: upload, job progress and result, template, error sheet, export."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from anjian.core import jobs
from anjian.core.forms import StyledFormMixin
from anjian.core.models import Job
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import exports, imports, selectors
from anjian.registry.filtersets import SiteFilterSet
from anjian.registry.tasks import run_site_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import(user) -> bool:
    """Staff with write scope: not read-only (leaders), not enterprise accounts, not the 三员 administrators."""
    scope = scope_of(user)
    return not scope.sees_nothing and not scope.read_only and scope.level is not ScopeLevel.ENTERPRISE


def _require_importer(user) -> None:
    if not can_import(user):
        raise Http404


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


@login_required
def import_form(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    districts = import_districts(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, districts=districts)
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
            run_site_import.delay(job.pk)
        else:
            imports.run_job(job)
        return redirect("registry:import_job", pk=job.pk)
    recent = Job.objects.visible_to(request.user).filter(kind=imports.JOB_KIND)[:10]
    return render(request, "registry/import_form.html", {"form": form, "recent_jobs": recent})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    district = OrgUnit.objects.filter(pk=scope_of(request.user).district_id).first()
    response = HttpResponse(imports.build_template(district=district), content_type=XLSX)
    response["Content-Disposition"] = _attachment("场所导入模板.xlsx")
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
    job = _job_or_404(request, pk)
    return render(request, "registry/import_job.html", _job_context(job))


@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the job page polls (HTMX) until the job is finished."""
    job = _job_or_404(request, pk)
    return render(request, "registry/_import_progress.html", _job_context(job))


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if not job.error_file:
        raise Http404
    return FileResponse(
        job.error_file.open("rb"), as_attachment=True, filename=f"导入错误-{job.pk}.xlsx", content_type=XLSX
    )


@login_required
@require_GET
def site_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the list shows: the user's scope, narrowed by the same filters (SiteFilterSet)."""
    if scope_of(request.user).sees_nothing:
        raise Http404  # like the list: no business data for the three administrators
    filterset = SiteFilterSet(request.GET, queryset=selectors.sites_for(request.user), user=request.user)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    handle, _count = exports.export_sites(actor=request.user, queryset=queryset, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"监管对象-{stamp}.xlsx", content_type=XLSX)


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)
