"""Pages of the major hazard installations (GB 18218-2018): the register with its filters and .xlsx export, a
unit's identification with every line's working, the map layer's points, and the substance catalogue with its
corrections. Also ``register_installations()``: the navigation item, the place's tab, the map layer, the audit
labels and the receiver of ``chemical_inventory_changed``.

Views are thin: the selectors of :mod:`anjian.risk.installations` read in scope, its services write. A unit or
installation outside the user's scope is a 404; the three administrators have none of these pages.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import paging, xlsx
from anjian.core.forms import StyledFormMixin, apply_validation_error
from anjian.core.permissions import business_users_only, is_business
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.registry.standards import HAZARD_CATEGORY_CHOICES
from anjian.risk import installations, substances
from anjian.risk.models import HazardousSubstance, MajorHazardLevel, MajorHazardSource

PAGE_SIZE = 50


def _filtered(request: HttpRequest):
    filterset = installations.InstallationFilterSet(
        request.GET or None, queryset=installations.installations_for(request.user), user=request.user
    )
    # An invalid filter shows its error and no rows: never "everything" by mistake.
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    return filterset, rows


@login_required
@business_users_only
def installation_list(request: HttpRequest) -> HttpResponse:
    """重大危险源台账: the installations in the user's scope, highest level first."""
    filterset, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = paging.querystring(request)
    return render(
        request,
        "risk/installation_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
            "level_colours": substances.LEVEL_COLOURS,
        },
    )


@login_required
@business_users_only
def installation_export(request: HttpRequest) -> HttpResponse:
    """Exactly what the register shows: the user's scope narrowed by the same filters."""
    filterset, rows = _filtered(request)
    filters = {key: request.GET.getlist(key) for key in request.GET if key in filterset.filters}
    handle, _count = installations.export_installations(actor=request.user, queryset=rows, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"重大危险源台账-{stamp}.xlsx", content_type=xlsx.CONTENT_TYPE
    )


@login_required
@business_users_only
def installation_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's identification (major or not): each line's q, Q, q/Q, β and β·q/Q, then S, α, R and level."""
    unit = get_object_or_404(
        installations.visible_units(request.user).select_related("site", "site__territory", "site__enterprise"),
        pk=unit_id,
    )
    result = installations.unit_identification(unit)
    try:
        source = unit.major_hazard_source
    except MajorHazardSource.DoesNotExist:
        source = None
    return render(
        request,
        "risk/installation_detail.html",
        {
            "unit": unit,
            "site": unit.site,
            "result": result,
            "source": source,
        },
    )


@login_required
@business_users_only
def installation_map_points(request: HttpRequest) -> JsonResponse:
    """The map layer "重大危险源": {"points": [[lat, lon, title, detail_url, colour_key], ...]} in the user's scope."""
    return JsonResponse({"points": installations.map_points(request.user)})


# --- the substance catalogue -------------------------------------------------------------------------------


@login_required
@business_users_only
def substance_list(request: HttpRequest) -> HttpResponse:
    """The GB 18218-2018 catalogue with the source of every value, searchable; Tables 2 and 4 beside it."""
    filterset = installations.SubstanceFilterSet(
        request.GET or None, queryset=HazardousSubstance.objects.select_related("edited_by")
    )
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    querystring = paging.querystring(request)
    categories = [
        (code, label, substances.TABLE2_Q[code], substances.category_beta(code))
        for code, label in HAZARD_CATEGORY_CHOICES
    ]
    return render(
        request,
        "risk/substance_list.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "querystring": querystring,
            "querystring_without_page": (querystring + "&") if querystring else "",
            "may_edit": edits_city_reference_data(request.user),
            "categories": categories,
            "check_note": substances.CHECK_NOTE,
        },
    )


class SubstanceForm(StyledFormMixin, forms.Form):
    """A correction of one catalogue entry; the service validates and audits it."""

    aliases = forms.CharField(
        label=gettext_lazy("Aliases (separated by 、 or ;)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cas_number = forms.CharField(label=gettext_lazy("CAS number"), max_length=12, required=False)
    critical_quantity_t = forms.DecimalField(
        label=gettext_lazy("Critical quantity Q (t)"), max_digits=12, decimal_places=3, min_value=Decimal("0.001")
    )
    hazard_category = forms.ChoiceField(
        label=gettext_lazy("Hazard category (GB 18218)"),
        required=False,
        choices=[("", "—"), *HAZARD_CATEGORY_CHOICES],
    )
    beta = forms.DecimalField(
        label=gettext_lazy("Correction factor β (blank: the category's β)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
    )
    source = forms.CharField(label=gettext_lazy("Source of the values"), max_length=300, required=False)


@login_required
@business_users_only
def substance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct one entry (the city administrator: the catalogue is city-wide reference data); the change is
    audited and the places holding the substance are identified again. Others read it: 403 here."""
    substance = get_object_or_404(HazardousSubstance, pk=pk)
    if not edits_city_reference_data(request.user):
        raise PermissionDenied(REFERENCE_DATA_REFUSAL)
    if request.method == "POST":
        form = SubstanceForm(request.POST)
        if form.is_valid():
            try:
                installations.update_substance(actor=request.user, substance=substance, data=form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The catalogue entry was corrected."))
                return redirect("risk:substance_list")
    else:
        form = SubstanceForm(
            initial={name: getattr(substance, name) for name in installations.SUBSTANCE_FIELDS},
        )
    return render(request, "risk/substance_edit.html", {"substance": substance, "form": form})


# --- start-up registration ---------------------------------------------------------------------------------

AUDIT_LABELS = {
    "risk.substance.update": gettext_lazy("Hazardous substance catalogue corrected"),
    "risk.installation.export": gettext_lazy("Exported major hazard installations"),
}

LEGEND = (
    ("red", MajorHazardLevel.FIRST.label, "#d63939"),
    ("orange", MajorHazardLevel.SECOND.label, "#f76707"),
    ("yellow", MajorHazardLevel.THIRD.label, "#f59f00"),
    ("blue", MajorHazardLevel.FOURTH.label, "#206bc4"),
)


def _has_hazchem(user, site) -> bool:
    return is_business(user) and any(row.sector_id == "hazchem" for row in site.site_sectors.all())


def _tab_context(request, site) -> dict:
    return {"unit_rows": installations.site_units(site), "level_colours": substances.LEVEL_COLOURS}


def register_installations() -> None:
    """Everything this part adds at start-up (called from registration.register_all)."""
    from anjian.core import audit_labels, navigation
    from anjian.core.signals import chemical_inventory_changed
    from anjian.registry import map_layers, tabs

    audit_labels.register(AUDIT_LABELS)
    navigation.register(
        navigation.NavItem(
            key="major_hazards",
            label=gettext_lazy("Major hazard installations"),
            url_name="risk:installation_list",
            group="risk",
            order=300,
        )
    )
    tabs.register(
        tabs.SiteTab(
            key="major_hazards",
            label=gettext_lazy("Major hazard installations"),
            template_name="risk/tabs/installations.html",
            order=45,
            visible=_has_hazchem,
            context=_tab_context,
        )
    )
    map_layers.register(
        map_layers.MapLayer(
            key="major_hazards",
            label=gettext_lazy("Major hazard installations"),
            url_name="risk:installation_map_points",
            visible=is_business,
            default_on=False,
            legend=LEGEND,
            order=200,
        )
    )
    chemical_inventory_changed.connect(
        installations.on_chemical_inventory_changed, dispatch_uid="risk.identify_major_hazards"
    )
