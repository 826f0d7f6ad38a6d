"""The scoped reads of major hazard installations: the register, a unit's identification, a place's units and
the map's points."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from anjian.registry.models import ChemicalInventory, ChemicalUnit, Site
from anjian.risk import substances
from anjian.risk.installations.grading import Catalogue, UnitResult, evaluate_unit, lines_of
from anjian.risk.models import MajorHazardSource


def installations_for(user) -> QuerySet[MajorHazardSource]:
    """The register of major hazard installations the user may see, with what a row shows joined."""
    return MajorHazardSource.objects.visible_to(user).select_related(
        "site", "site__territory", "site__enterprise", "unit", "district"
    )


def visible_units(user) -> QuerySet[ChemicalUnit]:
    """Chemical units of the places the user may see (a unit is seen with its place)."""
    return ChemicalUnit.objects.filter(site__in=Site.objects.visible_to(user).values("pk"))


def unit_identification(unit: ChemicalUnit, catalogue: Catalogue | None = None) -> UnitResult:
    return evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue or Catalogue.load())


def site_units(site: Site) -> list[tuple[ChemicalUnit, UnitResult, MajorHazardSource | None]]:
    """Every unit of a place with its identification and its register row (non-major units too)."""
    catalogue = Catalogue.load()
    units = (
        site.chemical_units.prefetch_related(Prefetch("inventory", queryset=ChemicalInventory.objects.order_by("pk")))
        .select_related("major_hazard_source")
        .order_by("kind", "name")
    )
    rows = []
    for unit in units:
        try:
            source = unit.major_hazard_source
        except MajorHazardSource.DoesNotExist:
            source = None
        rows.append((unit, evaluate_unit(lines_of(unit), unit.people_within_500m, catalogue), source))
    return rows


def map_points(user) -> list[list]:
    """The map layer's points: [lat, lon, title, detail url, colour key] for each located installation."""
    points = []
    rows = installations_for(user).exclude(site__latitude__isnull=True).order_by("level", "-r_value", "pk")
    for row in rows:
        title = f"{row.site.name} · {row.unit.name} · {row.get_level_display()}"
        points.append(
            [
                float(row.site.latitude),
                float(row.site.longitude),
                title,
                reverse("risk:installation_detail", args=[row.unit_id]),
                substances.LEVEL_COLOURS[row.level],
            ]
        )
    return points
