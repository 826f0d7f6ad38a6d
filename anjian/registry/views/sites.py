"""Pages of the places: list, detail with tabs, create and edit, status, map and its points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from anjian.core import paging
from anjian.core.forms import apply_validation_error
from anjian.core.permissions import business_users_only, can_supervise, is_supervisor, page_guard
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.registry import access, map_layers, masking, selectors, services, tabs
from anjian.registry.choices import RiskLevel, SiteStatus
from anjian.registry.filtersets import SiteFilterSet
from anjian.registry.forms import ChemicalFormSet, EnterpriseForm, SiteForm, StatusForm
from anjian.registry.models import Site

PAGE_SIZE = 50


def _filterset(request: HttpRequest) -> SiteFilterSet:
    return SiteFilterSet(request.GET or None, queryset=selectors.sites_for(request.user), user=request.user)


def _visible_site(request: HttpRequest, pk: int) -> Site:
    site = selectors.sites_for(request.user).filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


def _editable_site(request: HttpRequest, pk: int) -> Site:
    """Out of scope and read-only both answer 404: nothing tells the caller what exists."""
    if not is_supervisor(request.user):
        raise Http404
    site = selectors.sites_for(request.user).filter(pk__in=Site.objects.editable_by(request.user).values("pk"))
    site = site.filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


@login_required
@business_users_only
def site_list(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = paging.querystring(request)
    return render(
        request,
        "registry/site_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
        },
    )


def _save_site(request: HttpRequest, form: SiteForm, enterprise_form: EnterpriseForm, site: Site | None):
    """Hand the validated forms to the services; a service's refusal goes back onto the forms."""
    try:
        with transaction.atomic():
            if site is None:
                return services.create_site(
                    actor=request.user,
                    fields=form.site_fields(),
                    sectors=form.sector_pairs(),
                    enterprise=enterprise_form.data_for_service(),
                )
            return services.update_site(
                actor=request.user,
                site=site,
                fields=form.site_fields(),
                sectors=form.sector_pairs(),
                enterprise=enterprise_form.data_for_service(),
            )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages_ in error.message_dict.items():
                target = form if field in form.fields else None
                if target is None and field in enterprise_form.fields:
                    target = enterprise_form
                (target or form).add_error(field if target else None, messages_)
        else:
            apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _form_page(request, form, enterprise_form, site=None) -> HttpResponse:
    return render(
        request,
        "registry/site_form.html",
        {
            "form": form,
            "enterprise_form": enterprise_form,
            "site": site,
            "creating": site is None,
            "masked": not masking.sees_personal_data(request.user),
        },
    )


@login_required
@page_guard(is_supervisor)
def site_create(request: HttpRequest) -> HttpResponse:
    personal = masking.sees_personal_data(request.user)
    form = SiteForm(request.POST or None, user=request.user)
    enterprise_form = EnterpriseForm(request.POST or None, personal=personal)
    if request.method == "POST":
        form_ok = form.is_valid()
        if enterprise_form.is_valid() and form_ok:
            site = _save_site(request, form, enterprise_form, None)
            if site is not None:
                messages.success(request, _("The place was registered."))
                return redirect("registry:site_detail", pk=site.pk)
    return _form_page(request, form, enterprise_form)


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _editable_site(request, pk)
    personal = masking.sees_personal_data(request.user)
    form = SiteForm(request.POST or None, instance=site, user=request.user)
    enterprise_form = EnterpriseForm(request.POST or None, personal=personal, enterprise=site.enterprise)
    if request.method == "POST":
        form_ok = form.is_valid()
        if enterprise_form.is_valid() and form_ok:
            stored = _editable_site(request, pk)  # the ModelForm wrote onto `site`; the service starts afresh
            saved = _save_site(request, form, enterprise_form, stored)
            if saved is not None:
                messages.success(request, _("The place was saved."))
                return redirect("registry:site_detail", pk=saved.pk)
    return _form_page(request, form, enterprise_form, site)


def _detail_page(request: HttpRequest, site: Site, status_form: StatusForm | None = None) -> HttpResponse:
    user = request.user
    visible_tabs = tabs.tabs_for(user, site)
    active = next((t for t in visible_tabs if t.key == request.GET.get("tab")), visible_tabs[0])
    can_write = can_supervise(user, site)
    if status_form is None and can_write:
        status_form = StatusForm(site=site)
    scope = scope_of(user)
    context = {
        "site": site,
        "tabs": visible_tabs,
        "active_tab": active,
        "contacts": masking.enterprise_contacts(site.enterprise, user),
        "masked": not masking.sees_personal_data(user),
        "can_write": can_write,
        "status_form": status_form if can_write and status_form.fields["to_status"].choices else None,
        "can_dispute": scope.level in (ScopeLevel.DEPARTMENT, ScopeLevel.TERRITORY) and not scope.read_only,
    }
    if active.context is not None:
        context.update(active.context(request, site))
    return render(request, "registry/site_detail.html", context)


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _visible_site(request, pk))


@login_required
def site_status(request: HttpRequest, pk: int) -> HttpResponse:
    site = _editable_site(request, pk)
    if request.method != "POST":
        return redirect("registry:site_detail", pk=site.pk)
    form = StatusForm(request.POST, site=site)
    if form.is_valid():
        try:
            services.change_status(
                actor=request.user,
                site=site,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The status was changed."))
            return redirect("registry:site_detail", pk=site.pk)
    return _detail_page(request, site, status_form=form)


def _map_layers(user) -> list[dict]:
    """The extra layers (accidents, major hazard installations…) this user may switch on, for the page's script."""
    return [
        {
            "key": layer.key,
            "label": str(layer.label),
            "url": reverse(layer.url_name),
            "default_on": layer.default_on,
            "legend": [[key, str(label), colour] for key, label, colour in layer.legend],
        }
        for layer in map_layers.layers_for(user)
    ]


@login_required
@business_users_only
def site_map(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    territories = access.territory_choices(request.user).exclude(boundary__isnull=True)
    boundaries = [
        {"type": "Feature", "geometry": unit.boundary, "properties": {"name": unit.name, "id": unit.pk}}
        for unit in territories.only("id", "name", "boundary")
        if unit.boundary
    ]
    return render(
        request,
        "registry/site_map.html",
        {
            "form": filterset.form,
            "querystring": paging.querystring(request),
            "boundaries": {"type": "FeatureCollection", "features": boundaries},
            "risk_levels": RiskLevel.choices,
            "layers": _map_layers(request.user),
            "labels": {
                "status": dict(SiteStatus.choices),
                "risk": dict(RiskLevel.choices),
                "unassessed": _("Unassessed"),
                "open": _("Open"),
            },
        },
    )


@login_required
@business_users_only
def site_map_points(request: HttpRequest) -> JsonResponse:
    """Compact rows [id, lat, lon, name, risk_level, status] of the filtered places with coordinates: one query."""
    filterset = _filterset(request)
    rows = (
        filterset.qs.select_related(None)
        .prefetch_related(None)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("id", "latitude", "longitude", "name", "risk_level", "status")
    )
    points = [[pk, float(lat), float(lon), name, risk, status] for pk, lat, lon, name, risk, status in rows]
    response = JsonResponse({"points": points}, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def site_chemicals(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the production and storage units of a hazardous-chemicals place and what they hold."""
    site = _editable_site(request, pk)
    if not site.site_sectors.filter(sector_id="hazchem").exists():
        raise Http404
    if request.method == "POST":
        formset = ChemicalFormSet(request.POST)
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                services.set_chemical_inventory(actor=request.user, site=site, rows=rows)
            except ValidationError as error:
                for message in error.messages:
                    formset._non_form_errors = formset.error_class([*formset.non_form_errors(), message])
            except PermissionDenied as error:
                formset._non_form_errors = formset.error_class([str(error)])
            else:
                messages.success(request, _("The chemical inventory was saved."))
                return redirect(f"{reverse('registry:site_detail', args=[site.pk])}?tab=chemicals")
    else:
        initial = [
            {
                "unit_name": unit.name,
                "unit_kind": unit.kind,
                "people_within_500m": unit.people_within_500m,
                "substance": item.substance,
                "cas_number": item.cas_number,
                "hazard_category": item.hazard_category,
                "max_quantity_t": item.max_quantity_t,
            }
            for unit in site.chemical_units.prefetch_related("inventory").order_by("kind", "name")
            for item in unit.inventory.all()
        ]
        formset = ChemicalFormSet(initial=initial)
    return render(request, "registry/site_chemicals.html", {"site": site, "formset": formset})
