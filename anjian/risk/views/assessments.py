"""Pages of risk grading: assess a place (a formset of risk points), the assessments and one assessment,
the district's colour bands and inspection frequencies, and the places overdue for inspection with their
export. Thin: selectors read in scope, services write; outside scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import paging, xlsx
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only
from anjian.core.scoping import get_visible_or_404
from anjian.inspections import services as inspection_services
from anjian.registry.models import Site
from anjian.risk import assessment_exports as exports
from anjian.risk import forms, selectors, services
from anjian.risk.filtersets import AssessmentFilterSet, OverdueSiteFilterSet

PAGE_SIZE = 50


def _paged(request, rows, template: str, context: dict) -> HttpResponse:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = paging.querystring(request)
    return render(
        request,
        template,
        {
            **context,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
        },
    )


# --- assessments ----------------------------------------------------------------------------------


@login_required
@business_users_only
def assessment_list(request: HttpRequest) -> HttpResponse:
    filterset = AssessmentFilterSet(
        request.GET or None, queryset=selectors.assessments_for(request.user), user=request.user
    )
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    return _paged(request, rows, "risk/assessment_list.html", {"form": filterset.form})


@login_required
@business_users_only
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_detail(request.user, pk)
    return render(
        request,
        "risk/assessment_detail.html",
        {
            "assessment": assessment,
            "site": assessment.site,
            "may_assess": services.may_assess(request.user, assessment.site),
        },
    )


def _point_dicts(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.has_changed()
    ]


@login_required
@business_users_only
def assessment_create(request: HttpRequest, site_pk: int) -> HttpResponse:
    """Assess a place: the assessment's date and method, and its risk points, each graded by LEC or LS."""
    site = get_visible_or_404(Site.objects.select_related("district", "territory"), request.user, pk=site_pk)
    if not services.may_assess(request.user, site):
        raise PermissionDenied(_("You cannot assess the risk of this place."))
    if request.method == "POST":
        form = forms.AssessmentForm(request.POST)
        formset = forms.RiskPointFormSet(request.POST, prefix="points")
        if form.is_valid() and formset.is_valid():
            try:
                assessment = services.assess_site(
                    actor=request.user,
                    site=site,
                    assessed_on=form.cleaned_data["assessed_on"],
                    points=_point_dicts(formset),
                    method_summary=form.cleaned_data["method_summary"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The assessment was recorded: %(level)s.") % {"level": assessment.get_level_display()},
                )
                return redirect(f"{reverse('registry:site_detail', args=[site.pk])}?tab=risk")
    else:
        form = forms.AssessmentForm()
        formset = forms.RiskPointFormSet(prefix="points")
    bands = services.district_bands(site.district_id)
    return render(
        request,
        "risk/assessment_form.html",
        {"site": site, "form": form, "formset": formset, "bands": bands},
    )


# --- district settings ----------------------------------------------------------------------------


def _settings_district(request: HttpRequest):
    """The district whose settings the page shows: the user's own, or (city staff) the one chosen."""
    districts = selectors.districts_for(request.user)
    chosen = request.GET.get("district") or request.POST.get("district")
    if chosen:
        try:
            return districts.get(pk=int(chosen)), districts
        except (ValueError, TypeError, districts.model.DoesNotExist):
            raise Http404 from None
    district = districts.first()
    if district is None:
        raise Http404
    return district, districts


@login_required
@business_users_only
def threshold_edit(request: HttpRequest) -> HttpResponse:
    """The district's colour bands for LEC and LS: read by everyone of the district, changed by its safety
    office (STANDARDS §2 defaults until then)."""
    district, districts = _settings_district(request)
    may_edit = services.settings_districts(request.user).filter(pk=district.pk).exists()
    bands = services.district_bands(district.pk)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the safety committee office of the district can change this."))
        form = forms.BandForm(request.POST, bands=bands)
        if form.is_valid():
            try:
                services.set_band_thresholds(actor=request.user, district=district, bands=form.bands())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The risk bands were saved; assessments were re-coloured."))
                return redirect(f"{reverse('risk:thresholds')}?district={district.pk}")
    else:
        form = forms.BandForm(bands=bands)
    return render(
        request,
        "risk/threshold_form.html",
        {"form": form, "district": district, "districts": districts, "may_edit": may_edit, "bands": bands},
    )


@login_required
@business_users_only
def frequency_edit(request: HttpRequest) -> HttpResponse:
    """The district's inspection frequency by current level (STANDARDS §2 defaults until changed)."""
    district, districts = _settings_district(request)
    may_edit = services.settings_districts(request.user).filter(pk=district.pk).exists()
    table = inspection_services.level_frequencies([district.pk])[district.pk]
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the safety committee office of the district can change this."))
        form = forms.FrequencyForm(request.POST)
        if form.is_valid():
            try:
                services.set_inspection_frequencies(actor=request.user, district=district, days=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The inspection frequencies were saved."))
                return redirect(f"{reverse('risk:frequency')}?district={district.pk}")
    else:
        form = forms.FrequencyForm(initial=table)
    return render(
        request,
        "risk/frequency_form.html",
        {"form": form, "district": district, "districts": districts, "may_edit": may_edit, "table": table},
    )


# --- places overdue for inspection ----------------------------------------------------------------


def _overdue_filterset(request: HttpRequest, data):
    return OverdueSiteFilterSet(data, queryset=selectors.overdue_sites(request.user), user=request.user)


@login_required
@business_users_only
def overdue_sites(request: HttpRequest) -> HttpResponse:
    filterset = _overdue_filterset(request, request.GET or None)
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    district_ids = list(selectors.districts_for(request.user).values_list("pk", flat=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tables = inspection_services.level_frequencies(district_ids)
    for site in page:
        site.interval_days = (tables.get(site.district_id) or {}).get(site.risk_level)
    querystring = paging.querystring(request)
    return render(
        request,
        "risk/overdue_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
        },
    )


@login_required
@business_users_only
def overdue_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the list shows: the user's scope, narrowed by the same filters."""
    filterset = _overdue_filterset(request, request.GET)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    district_ids = list(selectors.districts_for(request.user).values_list("pk", flat=True))
    handle, _count = exports.export_overdue_sites(
        actor=request.user,
        queryset=queryset,
        filters=filters,
        tables=inspection_services.level_frequencies(district_ids),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"逾期未检查场所-{stamp}.xlsx", content_type=xlsx.CONTENT_TYPE
    )
