"""Import and export pages of the registry: upload, job progress and result, template, error sheet, export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from anjian.core import xlsx
from anjian.core.imports.pages import ImportPages
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


def own_district(user):
    """The district whose streets the user's template lists: their own, none for city staff."""
    return OrgUnit.objects.filter(pk=scope_of(user).district_id).first()


SITE_IMPORT = ImportPages(
    namespace="registry",
    job_kind=imports.JOB_KIND,
    may_import=can_import,
    districts=import_districts,
    own_district=own_district,
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
