"""The four-colour risk map page (四色图) and the export of its counts table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anjian.core import xlsx
from anjian.core.permissions import business_users_only, require_business
from anjian.registry.choices import RiskLevel
from anjian.risk import maps
from anjian.risk.models import MajorHazardLevel


def column_labels() -> list[str]:
    return [_("Major risk"), _("High risk"), _("Moderate risk"), _("Low risk"), _("Unassessed")]


def _filterset(request: HttpRequest) -> maps.RiskMapFilterSet:
    require_business(request.user)
    return maps.map_filterset(request.user, request.GET)


@login_required
@require_GET
@business_users_only
def risk_map(request: HttpRequest) -> HttpResponse:
    """The map itself is drawn by static/js/risk-map.js from one request to /api/risk-map/ with the same
    filters; the page renders the counts tables, so they print and read without JavaScript."""
    filterset = _filterset(request)
    places = maps.map_places(filterset)
    sector = filterset.form.cleaned_data.get("sector") if filterset.is_valid() else None
    counts = maps.counts_by_territory(places)
    querystring = request.GET.urlencode()
    suffix = f"?{querystring}" if querystring else ""
    levels = [(value, label, counts["total"][value]) for value, label in RiskLevel.choices]
    areas = maps.street_areas(request.user, filterset)
    # Each street's risk index and rank beside its counts (the shading on the map says the same in colour).
    index = {feature["properties"]["id"]: feature["properties"] for feature in areas["features"]}
    for row in counts["rows"]:
        row["index"] = index.get(row["territory_id"]) or {}
    show_index = any(row["index"].get("rank") for row in counts["rows"])
    return render(
        request,
        "risk/map.html",
        {
            "form": filterset.form,
            "filtered": bool(filterset.is_bound and any(v for v in request.GET.values())),
            "counts": counts,
            "sectors": maps.counts_by_sector(places, sector=sector),
            "columns": list(zip(maps.COLUMNS, column_labels(), strict=True)),
            "legend": [*levels, (maps.UNASSESSED, _("Unassessed"), counts["total"][maps.UNASSESSED])],
            "areas": areas,
            "show_index": show_index,
            "points_url": reverse("risk-map-list") + suffix,
            "export_url": reverse("risk:map_export") + suffix,
            "generated_at": timezone.localtime(),
            "labels": {
                "levels": [str(label) for _value, label in maps.level_choices()],
                "installation": _("Major hazard installation"),
                "installation_levels": dict(MajorHazardLevel.choices),
                "installations": _("%(n)s installations"),
                "detail_url": reverse("registry:site_detail", args=[0]),
            },
        },
    )


@login_required
@require_GET
def map_export(request: HttpRequest) -> HttpResponse:
    """Exactly the counts the page shows: the user's scope narrowed by the same filters, as a workbook."""
    filterset = _filterset(request)
    handle = maps.export_counts(actor=request.user, filterset=filterset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"风险四色图统计-{stamp}.xlsx", content_type=xlsx.CONTENT_TYPE
    )
