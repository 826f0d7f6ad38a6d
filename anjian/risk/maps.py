"""Reads of the four-colour risk map (四色图, STANDARDS §2): the places coloured by their current level, the counts
per street or park × level and per sector × level, the streets shaded by their risk index, and the major hazard
installations (GB 18218, STANDARDS §3) marked on top.

Everything starts from what the user may see (``Site.objects.visible_to``) and is narrowed by one FilterSet
shared by the page, the API and the export, so the map, the counts table and the workbook always agree. Each
read is one set-based query whatever the number of places (the map must stay fluid with 10,000 of them).
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import StyledFilterSet
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import access
from anjian.registry.choices import RiskLevel, SiteStatus
from anjian.registry.models import Site, SiteSector
from anjian.risk.models import MajorHazardSource

# The columns of every count, worst first; a place never assessed is shown grey as "unassessed", never as blue.
LEVELS = (RiskLevel.RED.value, RiskLevel.ORANGE.value, RiskLevel.YELLOW.value, RiskLevel.BLUE.value)
UNASSESSED = "none"
COLUMNS = (*LEVELS, UNASSESSED)
# The index of a point's colour in the compact rows sent to the browser (see static/js/risk-map.js).
COLUMN_INDEX = {level: index for index, level in enumerate(LEVELS)} | {"": len(LEVELS)}
# A closed or demolished place carries no risk any more; the map shows the places that operate or are suspended.
ON_MAP = (SiteStatus.OPERATING, SiteStatus.SUSPENDED)
SHADES = 5  # classes of the street shading, from the lowest risk index to the highest


LEVEL_CHOICES = [*RiskLevel.choices, (UNASSESSED, _("Unassessed"))]


def level_choices() -> list[tuple[str, str]]:
    return list(LEVEL_CHOICES)


class RiskMapFilterSet(StyledFilterSet):
    """Filters of the four-colour map, its counts, /api/risk-map/ and the export — one class for all."""

    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), method="by_sector", empty_label=_("All sectors")
    )
    level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=LEVEL_CHOICES, method="by_level", empty_label=_("All levels")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"), queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS), empty_label=_("All")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT), empty_label=_("All")
    )

    class Meta:
        model = Site
        fields = ["sector", "level", "territory", "district"]

    def __init__(self, data=None, queryset=None, *, user=None, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        scope = scope_of(user)
        # Only what the user can choose is offered: a street has one street, an enterprise none to choose,
        # and only city staff see several districts. No unit outside the scope leaks through a <select>.
        if scope.level in (ScopeLevel.TERRITORY, ScopeLevel.ENTERPRISE, ScopeLevel.NONE):
            del self.filters["territory"]
        else:
            self.filters["territory"].queryset = access.territory_choices(user)
        if scope.level is ScopeLevel.CITY:
            self.filters["district"].queryset = OrgUnit.objects.filter(
                kind=OrgUnitKind.DISTRICT, city_id=scope.city_id
            ).order_by("order", "id")
        else:
            del self.filters["district"]

    @extend_schema_field(OpenApiTypes.STR)
    def by_sector(self, queryset, name, value):
        # Exists, not a join: a place is counted once whatever its sectors.
        return queryset.filter(Exists(SiteSector.objects.filter(site_id=OuterRef("pk"), sector_id=value.pk)))

    def by_level(self, queryset, name, value):
        return queryset.filter(risk_level="" if value == UNASSESSED else value)


def map_filterset(user, data=None) -> RiskMapFilterSet:
    return RiskMapFilterSet(
        data if data is not None else {}, queryset=Site.objects.visible_to(user).filter(status__in=ON_MAP), user=user
    )


def map_places(filterset: RiskMapFilterSet):
    """The places the user may see that the filters select (nothing when a filter value is invalid)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def points(places) -> list[list]:
    """Compact rows ``[id, lat, lon, colour index, name]`` of the places with coordinates: one query.

    Coordinates are rounded to 5 decimals (about 1 m), which keeps 10,000 points to a few hundred kilobytes.
    """
    rows = (
        places.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("id")
        .values_list("id", "latitude", "longitude", "risk_level", "name")
    )
    return [
        [pk, round(float(lat), 5), round(float(lon), 5), COLUMN_INDEX.get(level, len(LEVELS)), name]
        for pk, lat, lon, level, name in rows
    ]


def _level_counts(prefix: str = "") -> dict:
    field = f"{prefix}risk_level"
    counts = {level: Count("pk", filter=Q(**{field: level})) for level in LEVELS}
    counts[UNASSESSED] = Count("pk", filter=Q(**{field: ""}))
    return counts


def _row(label: str, values: dict, **extra) -> dict:
    row = {"name": label, **{column: values.get(column, 0) for column in COLUMNS}, **extra}
    row["total"] = sum(row[column] for column in COLUMNS)
    return row


def _total(rows: list[dict], label) -> dict:
    return _row(str(label), {column: sum(row[column] for row in rows) for column in COLUMNS})


def counts_by_territory(places) -> dict:
    """Street or park × level, with a row for places whose street or park is not settled, and the totals: one
    query. The totals are the number of places the filters select (with or without coordinates)."""
    aggregated = (
        places.order_by()
        .values("territory_id", "territory__name", "territory__order")
        .annotate(**_level_counts())
        .order_by("territory__order", "territory_id")
    )
    rows, unsettled = [], None
    for entry in aggregated:
        if entry["territory_id"] is None:
            unsettled = _row(str(_("Street or park not settled")), entry, territory_id=None)
        else:
            rows.append(_row(entry["territory__name"], entry, territory_id=entry["territory_id"]))
    if unsettled is not None:
        rows.append(unsettled)
    return {"columns": list(COLUMNS), "rows": rows, "total": _total(rows, _("Total"))}


def counts_by_sector(places, *, sector: Sector | None = None) -> dict:
    """Sector × level: one query. A place of several sectors counts in each of them, so these rows may add up to
    more than the number of places (the table says so)."""
    site_sectors = SiteSector.objects.filter(site_id__in=places.order_by().values("pk"))
    if sector is not None:
        site_sectors = site_sectors.filter(sector_id=sector.pk)
    english = (get_language() or "").startswith("en")
    aggregated = (
        site_sectors.order_by()
        .values("sector_id", "sector__name", "sector__name_en", "sector__order")
        .annotate(**_level_counts("site__"))
        .order_by("sector__order", "sector_id")
    )
    rows = [
        _row(entry["sector__name_en" if english else "sector__name"], entry, sector=entry["sector_id"])
        for entry in aggregated
    ]
    return {"columns": list(COLUMNS), "rows": rows}


def installations(user, places) -> list[list]:
    """Places of the map holding a major hazard installation (GB 18218), one row per place with its highest
    level: ``[site id, lat, lon, level "1"…"4", place name, number of installations]``. One query."""
    rows = (
        MajorHazardSource.objects.visible_to(user)
        .filter(site_id__in=places.order_by().values("pk"), site__latitude__isnull=False)
        .order_by()
        .values("site_id", "site__latitude", "site__longitude", "site__name")
        .annotate(level=Min("level"), units=Count("pk"))
        .order_by("level", "site_id")
    )
    return [
        [r["site_id"], round(float(r["site__latitude"]), 5), round(float(r["site__longitude"]), 5), r["level"],
         r["site__name"], r["units"]]
        for r in rows
    ]  # fmt: skip


def _territories_for(user, filterset: RiskMapFilterSet):
    """The streets and parks drawn under the points: the user's own for a street officer, those of its places
    for an enterprise, every one of the district (or city) otherwise, narrowed by the filters."""
    scope = scope_of(user)
    units = OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS, boundary__isnull=False)
    if scope.sees_nothing:
        return units.none()
    if scope.level is ScopeLevel.ENTERPRISE:
        units = units.filter(pk__in=Site.objects.visible_to(user).values("territory_id"))
    else:
        units = units.filter(pk__in=access.territory_choices(user).values("pk"))
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    if data.get("territory"):
        units = units.filter(pk=data["territory"].pk)
    if data.get("district"):
        units = units.filter(district_id=data["district"].pk)
    return units.order_by("district_id", "order", "id")


def shade_of(score) -> int | None:
    """Class 0 (lowest) … SHADES-1 (highest) of a street's risk index on its 0–100 scale, in equal bands of 20:
    a district whose streets all score 0 is shaded lightly, not ranked darkest by a shared first rank."""
    if score is None:
        return None
    return min(SHADES - 1, max(0, int(float(score) * SHADES // 100)))


def street_areas(user, filterset: RiskMapFilterSet) -> dict:
    """GeoJSON of the streets and parks, each with its risk index and rank in its district (city safety risk
    assessment, anjian.risk.city) and a shading class. An enterprise sees its places' streets, unshaded."""
    from anjian.risk import city  # the city assessment of the same module, read only here

    units = list(_territories_for(user, filterset).only("id", "name", "district_id", "boundary"))
    shaded = scope_of(user).level is not ScopeLevel.ENTERPRISE
    indexes: dict[int, dict] = {}
    if shaded:
        districts = OrgUnit.objects.filter(pk__in={unit.district_id for unit in units}).order_by("id")
        for district in districts:
            indexes.update(city.street_index(district=district))
    features = []
    for unit in units:
        index = indexes.get(unit.pk) or {}
        score = index.get("score")
        features.append(
            {
                "type": "Feature",
                "geometry": unit.boundary,
                "properties": {
                    "id": unit.pk,
                    "name": unit.name,
                    "score": float(score) if score is not None else None,
                    "rank": index.get("rank"),
                    "of": index.get("of"),
                    "shade": shade_of(score),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def risk_map(user, filterset: RiskMapFilterSet) -> dict:
    """Everything the map shows for these filters: the points, the counts, the installations. The points and the
    counts come from the same queryset, so the table always matches the map."""
    places = map_places(filterset)
    sector = filterset.form.cleaned_data.get("sector") if filterset.is_valid() else None
    by_territory = counts_by_territory(places)
    drawn = points(places)
    return {
        "points": drawn,
        "counts": by_territory,
        "sectors": counts_by_sector(places, sector=sector),
        "installations": installations(user, places),
        "without_coordinates": by_territory["total"]["total"] - len(drawn),
    }


# --- export ---------------------------------------------------------------------------------------------------

# Headers in Chinese whatever the user's language: the workbook is a working document handed on to others.
EXPORT_HEADERS = {
    RiskLevel.RED.value: "重大风险（红）",
    RiskLevel.ORANGE.value: "较大风险（橙）",
    RiskLevel.YELLOW.value: "一般风险（黄）",
    RiskLevel.BLUE.value: "低风险（蓝）",
    UNASSESSED: "未评估",
}


def _filters_text(filterset: RiskMapFilterSet) -> str:
    if not filterset.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        label = str(filterset.form.fields[name].label)
        shown = dict(level_choices()).get(value, value) if name == "level" else value
        parts.append(f"{label}：{shown}")
    return "；".join(parts)


def write_counts_xlsx(*, user, filterset: RiskMapFilterSet):
    """The counts table as a workbook: a sheet per street or park × level (with totals) and one per sector × level.
    Text cells are escaped so that no name runs as a formula."""
    from django.utils import timezone, translation
    from openpyxl import Workbook

    from anjian.core import xlsx
    from anjian.core.xlsx import escape_cell

    with translation.override(xlsx.EXPORT_LANGUAGE):
        places = map_places(filterset)
        sector = filterset.form.cleaned_data.get("sector") if filterset.is_valid() else None
        by_territory = counts_by_territory(places)
        by_sector = counts_by_sector(places, sector=sector)
        filters = _filters_text(filterset)
    columns = [EXPORT_HEADERS[column] for column in COLUMNS]
    workbook = Workbook(write_only=True)
    streets = workbook.create_sheet("按街道园区")
    streets.append(["风险四色图 场所数量统计（按街道、园区）"])
    streets.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}", escape_cell(f"筛选条件：{filters or '无'}")])
    streets.append(["街道（园区）", *columns, "合计"])
    for row in by_territory["rows"]:
        name = row["name"] if row["territory_id"] is not None else "属地未明确"
        streets.append([escape_cell(name), *(row[column] for column in COLUMNS), row["total"]])
    total = by_territory["total"]
    streets.append(["合计", *(total[column] for column in COLUMNS), total["total"]])
    sectors = workbook.create_sheet("按行业领域")
    sectors.append(["风险四色图 场所数量统计（按行业领域；一个场所属于多个行业时在每个行业中各计一次）"])
    sectors.append(["行业领域", *columns, "合计"])
    for row in by_sector["rows"]:
        sectors.append([escape_cell(row["name"]), *(row[column] for column in COLUMNS), row["total"]])
    return xlsx.spooled(workbook, max_size=4 * 1024 * 1024), by_territory["total"]["total"], filters


def export_counts(*, actor, filterset: RiskMapFilterSet):
    """Export the counts the actor's scope and filters select, and audit who exported them with which filters."""
    from anjian.core import audit

    handle, places, filters = write_counts_xlsx(user=actor, filterset=filterset)
    audit.record(
        actor=actor,
        action="risk.map.export",
        object_type="registry.site",
        object_repr=f"four-colour map counts of {places} places",
        after={"places": places, "filters": filters},
    )
    return handle
