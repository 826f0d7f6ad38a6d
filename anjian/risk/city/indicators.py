"""The areas compared by the city risk ranking and the indicators computed for them: each indicator is one
aggregate query over the records, grouped by district or by territory, never a loop over places."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anjian.accidents.choices import AccidentCategory
from anjian.accidents.models import Accident
from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade
from anjian.inspections.models import Hazard
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import RiskLevel, SiteStatus
from anjian.registry.models import Site
from anjian.risk.city.units import IndicatorSpec, UnitSpec
from anjian.risk.models import MajorHazardSource

ACCIDENT_YEARS = 3  # deaths are counted over three years so one bad accident does not swing a ranking alone
ACTIVE_PLACE_STATUSES = (SiteStatus.OPERATING, SiteStatus.SUSPENDED)
# GB 18218 levels weighted for the installations indicator: 一级 counts 4 … 四级 counts 1.
INSTALLATION_LEVEL_WEIGHTS = {"1": 4, "2": 3, "3": 2, "4": 1}

CITY_LEVEL = "city"  # the districts of a city are compared
DISTRICT_LEVEL = "district"  # the streets and parks of a district are compared


# --- what is compared ---------------------------------------------------------------------------------------


@dataclass
class Areas:
    """The areas compared and what the indicators need of them."""

    level: str  # CITY_LEVEL or DISTRICT_LEVEL
    parent: OrgUnit  # the city, or the district
    units: list[OrgUnit]  # districts, or streets and parks, in the tree's order
    population: dict[int, int]  # residents per area (a district's are its streets' and parks')
    as_of: datetime.datetime

    @property
    def ids(self) -> list[int]:
        return [area.pk for area in self.units]

    @property
    def city_id(self) -> int:
        return self.parent.pk if self.level == CITY_LEVEL else self.parent.city_id

    def records(self, queryset, *, district_path: str, territory_path: str):
        """The records of the compared areas, grouped by area (``values("area")``)."""
        path = district_path if self.level == CITY_LEVEL else territory_path
        return queryset.filter(**{f"{path}__in": self.ids}).values(area=F(path))


def areas_of(*, parent: OrgUnit, as_of: datetime.datetime | None = None) -> Areas:
    """The districts of a city, or the streets and parks of a district, with their resident population."""
    as_of = as_of or timezone.now()
    if parent.kind == OrgUnitKind.CITY:
        units = list(OrgUnit.objects.filter(parent=parent, kind=OrgUnitKind.DISTRICT, is_active=True))
        rows = (
            OrgUnit.objects.filter(district__in=[u.pk for u in units], kind__in=TERRITORIAL_KINDS, is_active=True)
            .values("district_id")
            .annotate(total=Sum("population"))
        )
        population = {row["district_id"]: row["total"] or 0 for row in rows}
        return Areas(CITY_LEVEL, parent, units, population, as_of)
    if parent.kind == OrgUnitKind.DISTRICT:
        units = list(OrgUnit.objects.filter(district=parent, kind__in=TERRITORIAL_KINDS, is_active=True))
        return Areas(DISTRICT_LEVEL, parent, units, {u.pk: u.population or 0 for u in units}, as_of)
    raise ValueError("areas are compared within a city or a district")


# --- the indicators -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A computable indicator: ``compute(areas, unit, indicator)`` → value per area id; None where the area has
    no data for it (a rate per resident of an area whose population is not recorded)."""

    code: str
    label: object  # lazy string
    unit_label: object  # what the value counts
    compute: Callable[[Areas, UnitSpec, IndicatorSpec], dict[int, Decimal | None]]
    uses_sectors: bool = True
    uses_categories: bool = False  # only the accident indicators read the unit's accident categories


def _per(counts: dict[int, int | Decimal | None], areas: Areas, per: int) -> dict[int, Decimal | None]:
    """Counts turned into a rate per ``per`` residents. An area with no recorded population has no rate (None,
    shown as 无数据): a rate of 0 would make it look the safest."""
    result: dict[int, Decimal | None] = {}
    for area_id in areas.ids:
        population = areas.population.get(area_id) or 0
        count = counts.get(area_id) or 0
        result[area_id] = Decimal(count) * per / population if population else None
    return result


def _place_counts(areas: Areas, sectors: list[str], extra: Q | None = None) -> dict[int, int]:
    queryset = Site.objects.filter(status__in=ACTIVE_PLACE_STATUSES, site_sectors__sector_id__in=sectors)
    if extra is not None:
        queryset = queryset.filter(extra)
    rows = areas.records(queryset, district_path="district_id", territory_path="territory_id").annotate(
        n=Count("pk", distinct=True)
    )
    return {row["area"]: row["n"] for row in rows}


def places(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    counts = _place_counts(areas, unit.sectors_for(indicator))
    return {area_id: Decimal(counts.get(area_id, 0)) for area_id in areas.ids}


def places_per_10k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    return _per(_place_counts(areas, unit.sectors_for(indicator)), areas, 10_000)


def red_orange_places_per_10k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    counts = _place_counts(areas, unit.sectors_for(indicator), Q(risk_level__in=[RiskLevel.RED, RiskLevel.ORANGE]))
    return _per(counts, areas, 10_000)


def _open_at(as_of: datetime.datetime) -> Q:
    """Open at ``as_of``: reported by then and closed after it (or not closed at all)."""
    return Q(reported_at__lte=as_of) & (Q(closed_at__gt=as_of) | Q(closed_at__isnull=True, status__in=OPEN_STATUSES))


def _hazard_counts(areas: Areas, sectors: list[str], extra: Q) -> dict[int, int]:
    # A hazard counts for its own sector; one recorded without a sector counts for its place's sectors.
    sector_q = Q(sector_id__in=sectors) | Q(sector__isnull=True, site__site_sectors__sector_id__in=sectors)
    queryset = Hazard.objects.filter(_open_at(areas.as_of) & extra).filter(sector_q)
    rows = areas.records(queryset, district_path="district_id", territory_path="site__territory_id").annotate(
        n=Count("pk", distinct=True)
    )
    return {row["area"]: row["n"] for row in rows}


def open_major_hazards(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    counts = _hazard_counts(areas, unit.sectors_for(indicator), Q(grade=HazardGrade.MAJOR))
    return {area_id: Decimal(counts.get(area_id, 0)) for area_id in areas.ids}


def overdue_hazards(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    """Open past the deadline (逾期), any grade; for a past date, those owed then (still owed, or closed after)."""
    day = timezone.localtime(areas.as_of).date()
    owed = Q(status__in=DEADLINE_STATUSES) | Q(closed_at__gt=areas.as_of)
    counts = _hazard_counts(areas, unit.sectors_for(indicator), Q(deadline__lt=day) & owed)
    return {area_id: Decimal(counts.get(area_id, 0)) for area_id in areas.ids}


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def accident_q(unit: UnitSpec, sectors: list[str]) -> Q:
    """The unit's accidents: its categories (road traffic, fire), and production accidents of its sectors."""
    q = Q(category__in=unit.accident_categories) if unit.accident_categories else Q(pk__in=[])
    if sectors:
        q |= Q(category=AccidentCategory.PRODUCTION, sector_id__in=sectors)
    return q


def deaths_per_100k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    since = years_before(areas.as_of, ACCIDENT_YEARS)
    queryset = Accident.objects.filter(
        accident_q(unit, unit.sectors_for(indicator)), occurred_at__gt=since, occurred_at__lte=areas.as_of
    )
    rows = areas.records(queryset, district_path="district_id", territory_path="territory_id").annotate(n=Sum("deaths"))
    return _per({row["area"]: row["n"] or 0 for row in rows}, areas, 100_000)


def major_hazard_installations(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    """GB 18218 installations weighted by level: 一级 4, 二级 3, 三级 2, 四级 1."""
    weight = Case(
        *[When(level=level, then=Value(points)) for level, points in INSTALLATION_LEVEL_WEIGHTS.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = areas.records(
        MajorHazardSource.objects.all(), district_path="district_id", territory_path="site__territory_id"
    ).annotate(n=Sum(weight))
    counts = {row["area"]: row["n"] or 0 for row in rows}
    return {area_id: Decimal(counts.get(area_id, 0)) for area_id in areas.ids}


def open_major_hazards_per_10k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    return _per(open_major_hazards(areas, unit, indicator), areas, 10_000)


def overdue_hazards_per_10k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    return _per(overdue_hazards(areas, unit, indicator), areas, 10_000)


def major_hazard_installations_per_10k(areas: Areas, unit: UnitSpec, indicator: IndicatorSpec) -> dict[int, Decimal]:
    return _per(major_hazard_installations(areas, unit, indicator), areas, 10_000)


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        Indicator(
            "red_orange_places_per_10k",
            gettext_lazy("Red and orange places per 10,000 residents"),
            gettext_lazy("places per 10,000 residents"),
            red_orange_places_per_10k,
        ),
        Indicator(
            "places_per_10k",
            gettext_lazy("Places per 10,000 residents"),
            gettext_lazy("places per 10,000 residents"),
            places_per_10k,
        ),
        Indicator("places", gettext_lazy("Number of places"), gettext_lazy("places"), places),
        Indicator(
            "open_major_hazards", gettext_lazy("Open major hazards"), gettext_lazy("hazards"), open_major_hazards
        ),
        Indicator("overdue_hazards", gettext_lazy("Overdue hazards"), gettext_lazy("hazards"), overdue_hazards),
        Indicator(
            "open_major_hazards_per_10k",
            gettext_lazy("Open major hazards per 10,000 residents"),
            gettext_lazy("hazards per 10,000 residents"),
            open_major_hazards_per_10k,
        ),
        Indicator(
            "overdue_hazards_per_10k",
            gettext_lazy("Overdue hazards per 10,000 residents"),
            gettext_lazy("hazards per 10,000 residents"),
            overdue_hazards_per_10k,
        ),
        Indicator(
            "deaths_per_100k",
            gettext_lazy("Deaths per 100,000 residents in three years"),
            gettext_lazy("deaths per 100,000 residents"),
            deaths_per_100k,
            uses_categories=True,
        ),
        Indicator(
            "major_hazard_installations",
            gettext_lazy("Major hazard installations weighted by level (level 1 counts 4 … level 4 counts 1)"),
            gettext_lazy("weighted installations"),
            major_hazard_installations,
            uses_sectors=False,
        ),
        Indicator(
            "major_hazard_installations_per_10k",
            gettext_lazy("Major hazard installations weighted by level per 10,000 residents"),
            gettext_lazy("weighted installations per 10,000 residents"),
            major_hazard_installations_per_10k,
            uses_sectors=False,
        ),
    ]
}
