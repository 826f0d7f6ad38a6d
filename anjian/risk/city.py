"""City safety risk assessment (城市安全风险评估): which areas carry the most risk, per assessment unit and overall.

The areas compared are the districts of a city (the city ranking) or the streets and parks of one district (the
district's street ranking). For each area the indicators of every unit are computed from the records with one
aggregate query per indicator, grouped by district or by territory (never a loop over places), then

* normalised min–max to 0–100 across the compared areas (a "negative" indicator, where more means safer, is
  turned round); when every area has the same value the indicator does not tell them apart, so it gives each
  area 0: it adds nothing to any score instead of lifting all of them by the same 50;
* weighted within the unit (the weights of a unit sum to 1), so a unit score is 0–100;
* weighted across units into the overall score (unit weights sum to 1).

A higher score means a higher risk; rank 1 is the highest risk; equal scores share a rank and the next rank is
skipped (competition ranking: 1, 2, 2, 4).

Records counted as at ``as_of`` (the end of a year for a yearly snapshot, now for the live ranking): accidents
in the three years up to it; hazards reported by then and not yet closed then; places, their current colour and
major hazard installations as the registry holds them now (the registry keeps no history of those).

This module holds the indicator registry, the computation, the selectors and the services of this part.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents.choices import AccidentCategory
from anjian.accidents.models import Accident
from anjian.accounts.choices import Role
from anjian.core import audit, xlsx
from anjian.core.scoping import ScopeLevel, edits_city_reference_data, scope_of
from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade
from anjian.inspections.models import Hazard
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.choices import RiskLevel, SiteStatus
from anjian.registry.models import Site
from anjian.risk import ahp
from anjian.risk.models import (
    IndicatorDirection,
    MajorHazardSource,
    RiskIndicator,
    RiskScheme,
    RiskSnapshot,
    RiskUnit,
    WeightingMethod,
)

TWO_PLACES = Decimal("0.01")
WEIGHT_TOLERANCE = Decimal("0.001")  # weights entered with four decimals may miss 1 by rounding
ACCIDENT_YEARS = 3  # deaths are counted over three years so one bad accident does not swing a ranking alone
ACTIVE_PLACE_STATUSES = (SiteStatus.OPERATING, SiteStatus.SUSPENDED)
# GB 18218 levels weighted for the installations indicator: 一级 counts 4 … 四级 counts 1.
INSTALLATION_LEVEL_WEIGHTS = {"1": 4, "2": 3, "3": 2, "4": 1}

CITY_LEVEL = "city"  # the districts of a city are compared
DISTRICT_LEVEL = "district"  # the streets and parks of a district are compared


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


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


# --- the configuration as the computation reads it ----------------------------------------------------------


@dataclass
class IndicatorSpec:
    code: str
    weight: Decimal
    direction: str = IndicatorDirection.POSITIVE
    sectors: list[str] = field(default_factory=list)
    pk: int | None = None


@dataclass
class UnitSpec:
    code: str
    name: str
    weight: Decimal
    sectors: list[str]
    accident_categories: list[str]
    indicators: list[IndicatorSpec]
    pk: int | None = None

    def sectors_for(self, indicator: IndicatorSpec) -> list[str]:
        return indicator.sectors or self.sectors


def _spec(unit: dict) -> UnitSpec:
    return UnitSpec(
        code=unit["code"],
        name=unit["name"],
        weight=Decimal(unit["weight"]),
        sectors=list(unit["sectors"]),
        accident_categories=list(unit.get("accident_categories", [])),
        indicators=[
            IndicatorSpec(code=code, weight=Decimal(weight), sectors=list(sectors))
            for code, weight, sectors in unit["indicators"]
        ],
    )


# The seeded units (the list); a city uses them until its administrator saves its own.
# Each indicator: (code of INDICATORS, weight within the unit, sectors narrowing the unit's). Counts are taken
# per resident so that a populous district is not ranked riskier for its size alone.
DEFAULT_UNITS: list[dict] = [
    {
        "code": "crowded_places",
        "name": "人员密集场所",
        "weight": "0.25",
        "sectors": ["crowded_place", "three_in_one", "commercial", "large_event"],
        "accident_categories": [AccidentCategory.FIRE],
        "indicators": [
            ("red_orange_places_per_10k", "0.35", []),
            ("open_major_hazards_per_10k", "0.25", []),
            ("overdue_hazards_per_10k", "0.15", []),
            ("deaths_per_100k", "0.25", []),
        ],
    },
    {
        "code": "public_facilities",
        "name": "城市公共设施",
        "weight": "0.15",
        "sectors": ["municipal", "city_gas", "high_rise", "special_equipment"],
        "accident_categories": [],
        "indicators": [
            ("red_orange_places_per_10k", "0.30", []),
            ("places_per_10k", "0.20", ["high_rise"]),
            ("open_major_hazards_per_10k", "0.30", []),
            ("deaths_per_100k", "0.20", []),
        ],
    },
    {
        "code": "industry_hazchem",
        "name": "工业企业和危险化学品",
        "weight": "0.25",
        "sectors": ["hazchem", "industry_trade", "fireworks"],
        "accident_categories": [],
        "indicators": [
            ("major_hazard_installations_per_10k", "0.30", []),
            ("red_orange_places_per_10k", "0.20", []),
            ("open_major_hazards_per_10k", "0.20", []),
            ("overdue_hazards_per_10k", "0.10", []),
            ("deaths_per_100k", "0.20", []),
        ],
    },
    {
        "code": "road_traffic",
        "name": "道路交通",
        "weight": "0.15",
        "sectors": ["road_traffic"],
        "accident_categories": [AccidentCategory.ROAD_TRAFFIC],
        "indicators": [
            ("deaths_per_100k", "0.60", []),
            ("places_per_10k", "0.20", []),
            ("open_major_hazards_per_10k", "0.20", []),
        ],
    },
    {
        "code": "construction",
        "name": "建设施工",
        "weight": "0.10",
        "sectors": ["construction"],
        "accident_categories": [],
        "indicators": [
            ("places_per_10k", "0.30", []),
            ("red_orange_places_per_10k", "0.20", []),
            ("open_major_hazards_per_10k", "0.30", []),
            ("deaths_per_100k", "0.20", []),
        ],
    },
    {
        "code": "natural_hazards",
        "name": "自然灾害",
        "weight": "0.10",
        "sectors": ["waterlogging_point", "dilapidated_house", "self_built_house"],
        "accident_categories": [],
        "indicators": [
            ("places_per_10k", "0.40", ["waterlogging_point"]),
            ("places_per_10k", "0.40", ["dilapidated_house", "self_built_house"]),
            ("open_major_hazards_per_10k", "0.20", []),
        ],
    },
]


def default_specs() -> list[UnitSpec]:
    return [_spec(unit) for unit in DEFAULT_UNITS]


def unit_specs(city_id: int) -> list[UnitSpec]:
    """The city's active units with their indicators (two queries), or the seeded defaults if it has none."""
    units = list(RiskUnit.objects.filter(city_id=city_id).prefetch_related("indicators"))
    if not units:
        return default_specs()
    return [
        UnitSpec(
            code=unit.code,
            name=unit.name,
            weight=unit.weight,
            sectors=list(unit.sectors),
            accident_categories=list(unit.accident_categories),
            indicators=[
                IndicatorSpec(
                    code=ind.code, weight=ind.weight, direction=ind.direction, sectors=list(ind.sectors), pk=ind.pk
                )
                for ind in unit.indicators.all()
            ],
            pk=unit.pk,
        )
        for unit in units
        if unit.is_active
    ]


# --- the indicators ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A computable indicator: ``compute(areas, unit, indicator)`` → value per area id (missing = 0)."""

    code: str
    label: object  # lazy string
    unit_label: object  # what the value counts
    compute: Callable[[Areas, UnitSpec, IndicatorSpec], dict[int, Decimal]]
    uses_sectors: bool = True
    uses_categories: bool = False  # only the accident indicators read the unit's accident categories


def _per(counts: dict[int, int | Decimal], areas: Areas, per: int) -> dict[int, Decimal]:
    """Counts turned into a rate per ``per`` residents; an area with no recorded population has rate 0 (the
    explanation says its population is missing)."""
    result = {}
    for area_id in areas.ids:
        population = areas.population.get(area_id) or 0
        count = counts.get(area_id, 0)
        result[area_id] = Decimal(count) * per / population if population else Decimal(0)
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


# --- normalisation, scores, ranks ----------------------------------------------------------------------------


def normalise(values: dict[int, Decimal], direction: str = IndicatorDirection.POSITIVE) -> dict[int, Decimal]:
    """Min–max to 0–100 across the compared areas (two decimals). All equal → 0 for every area: the indicator
    does not tell the areas apart, so it must not add to any score (50 would lift every area alike and hide
    that the indicator said nothing). A negative indicator (more is safer) is turned round."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high == low:
        return {key: Decimal("0.00") for key in values}
    span = high - low
    if direction == IndicatorDirection.NEGATIVE:
        return {key: q2((high - value) * 100 / span) for key, value in values.items()}
    return {key: q2((value - low) * 100 / span) for key, value in values.items()}


def competition_ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Rank 1 = highest score; equal scores share a rank and the ranks after them are skipped (1, 2, 2, 4)."""
    ordered = sorted(scores.values(), reverse=True)
    first_position = {}
    for position, score in enumerate(ordered, start=1):
        first_position.setdefault(score, position)
    return {key: first_position[score] for key, score in scores.items()}


@dataclass
class Line:
    """One term of a score: an indicator of a unit score, or a unit of the overall score."""

    code: str
    label: str
    value: Decimal | None  # the indicator's value (None for a unit term)
    value_unit: str
    normalised: Decimal
    weight: Decimal
    contribution: Decimal

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "label": str(self.label),
            "value": None if self.value is None else str(q2(self.value)),
            "value_unit": str(self.value_unit),
            "normalised": str(self.normalised),
            "weight": str(self.weight),
            "contribution": str(self.contribution),
        }


@dataclass
class Row:
    area: OrgUnit
    score: Decimal
    rank: int
    of: int
    lines: list[Line]
    population_missing: bool = False

    def explanation(self) -> dict:
        return {"lines": [line.as_json() for line in self.lines], "population_missing": self.population_missing}


@dataclass
class Table:
    """The ranking of the areas for one unit, or overall (``unit`` None)."""

    unit: UnitSpec | None
    rows: list[Row]  # by rank, then the tree's order

    def row_for(self, area_id: int) -> Row | None:
        return next((row for row in self.rows if row.area.pk == area_id), None)

    @property
    def key(self) -> str:
        return self.unit.code if self.unit else "overall"

    @property
    def title(self) -> str:
        return self.unit.name if self.unit else str(gettext_lazy("Overall"))


@dataclass
class Ranking:
    areas: Areas
    units: list[Table]
    overall: Table

    @property
    def tables(self) -> list[Table]:
        return [self.overall, *self.units]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def _table(unit: UnitSpec | None, areas: Areas, scores: dict[int, Decimal], lines: dict[int, list[Line]]) -> Table:
    ranks = competition_ranks(scores)
    order = {area.pk: index for index, area in enumerate(areas.units)}
    rows = [
        Row(
            area=area,
            score=scores[area.pk],
            rank=ranks[area.pk],
            of=len(areas.units),
            lines=lines[area.pk],
            population_missing=not areas.population.get(area.pk),
        )
        for area in areas.units
    ]
    rows.sort(key=lambda row: (row.rank, order[row.area.pk]))
    return Table(unit=unit, rows=rows)


def compute_ranking(*, parent: OrgUnit, as_of: datetime.datetime | None = None, specs=None) -> Ranking:
    """Score and rank the districts of a city, or the streets and parks of a district: one aggregate query per
    distinct indicator, whatever the number of areas and records."""
    areas = areas_of(parent=parent, as_of=as_of)
    specs = unit_specs(areas.city_id) if specs is None else specs
    cache: dict[tuple, dict[int, Decimal]] = {}
    names = sector_names() if any(spec.sectors for unit in specs for spec in unit.indicators) else {}
    unit_tables: list[Table] = []
    unit_scores: dict[str, dict[int, Decimal]] = {}
    for unit in specs:
        scores = {area_id: Decimal(0) for area_id in areas.ids}
        lines: dict[int, list[Line]] = {area_id: [] for area_id in areas.ids}
        for spec in unit.indicators:
            indicator = INDICATORS.get(spec.code)
            if indicator is None:
                continue
            # The same indicator over the same records is computed once (units share road traffic deaths…).
            categories = tuple(sorted(unit.accident_categories)) if indicator.uses_categories else ()
            sectors = tuple(sorted(unit.sectors_for(spec))) if indicator.uses_sectors else ()
            key = (spec.code, sectors, categories)
            if key not in cache:
                cache[key] = indicator.compute(areas, unit, spec) if areas.ids else {}
            values = {area_id: cache[key].get(area_id, Decimal(0)) for area_id in areas.ids}
            normalised = normalise(values, spec.direction)
            label = _indicator_label(indicator, spec, names)
            for area_id in areas.ids:
                contribution = q2(spec.weight * normalised[area_id])
                scores[area_id] += spec.weight * normalised[area_id]
                lines[area_id].append(
                    Line(
                        code=spec.code,
                        label=label,
                        value=values[area_id],
                        value_unit=indicator.unit_label,
                        normalised=normalised[area_id],
                        weight=spec.weight,
                        contribution=contribution,
                    )
                )
        scores = {area_id: q2(score) for area_id, score in scores.items()}
        unit_scores[unit.code] = scores
        unit_tables.append(_table(unit, areas, scores, lines))
    overall_scores = {}
    overall_lines: dict[int, list[Line]] = {area_id: [] for area_id in areas.ids}
    for area_id in areas.ids:
        total = Decimal(0)
        for unit in specs:
            score = unit_scores[unit.code][area_id]
            total += unit.weight * score
            overall_lines[area_id].append(
                Line(
                    code=unit.code,
                    label=unit.name,
                    value=None,
                    value_unit="",
                    normalised=score,
                    weight=unit.weight,
                    contribution=q2(unit.weight * score),
                )
            )
        overall_scores[area_id] = q2(total)
    return Ranking(areas=areas, units=unit_tables, overall=_table(None, areas, overall_scores, overall_lines))


def _indicator_label(indicator: Indicator, spec: IndicatorSpec, names: dict[str, str]) -> str:
    """The indicator's name, with the sectors it narrows to when they differ from the unit's."""
    if spec.sectors and indicator.uses_sectors:
        return f"{indicator.label}（{'、'.join(names.get(code, code) for code in spec.sectors)}）"
    return str(indicator.label)


def sector_names() -> dict[str, str]:
    return {sector.code: str(sector) for sector in Sector.objects.all()}


# --- for the four-colour map (H7) ------------------------------------------------------------------------------


def street_index(*, district: OrgUnit) -> dict[int, dict]:
    """The overall risk score of each street and park of a district, live from the records:
    ``{org_unit_id: {"score": Decimal 0–100, "rank": int, "of": int}}`` (rank 1 = highest risk).

    The caller decides who may see it: a street officer may be shown only its own street's entry."""
    ranking = compute_ranking(parent=district)
    return {row.area.pk: {"score": row.score, "rank": row.rank, "of": row.of} for row in ranking.overall.rows}


# --- who sees what (selectors) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What of the city risk ranking a user reads.

    City staff: every district and every district's streets. District users (safety office, leaders,
    departments, inspectors of the district): the ranking of the city's districts, which the city publishes,
    and their own district's streets. A street or park: the districts' ranking and its own row of its district's
    street ranking, never the other streets' rows. Enterprises and the three administrators: nothing."""

    city_id: int
    district_id: int | None  # None: the whole city
    territory_ids: frozenset[int] = frozenset()  # set for a street or park: only these rows
    can_configure: bool = False
    can_snapshot_city: bool = False
    can_snapshot_district: bool = False

    @property
    def sees_all_streets(self) -> bool:
        return not self.territory_ids

    def may_see_district_streets(self, district: OrgUnit) -> bool:
        return district.city_id == self.city_id and self.district_id in (None, district.pk)

    def may_see_area(self, area: OrgUnit) -> bool:
        if area.kind == OrgUnitKind.DISTRICT:
            return area.city_id == self.city_id
        if area.kind in TERRITORIAL_KINDS:
            if self.territory_ids:
                return area.pk in self.territory_ids
            return area.city_id == self.city_id and self.district_id in (None, area.district_id)
        return False


def access_for(user) -> Access | None:
    scope = scope_of(user)
    if scope.level is ScopeLevel.CITY:
        return Access(
            city_id=scope.city_id,
            district_id=None,
            can_configure=edits_city_reference_data(user),
            can_snapshot_city=user.role == Role.CITY_ADMIN,
        )
    if scope.level in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT) and scope.district_id:
        return Access(
            city_id=scope.city_id,
            district_id=scope.district_id,
            can_snapshot_district=user.role == Role.SAFETY_OFFICE,
        )
    if scope.level is ScopeLevel.TERRITORY and scope.district_id:
        return Access(city_id=scope.city_id, district_id=scope.district_id, territory_ids=scope.territory_ids)
    return None


def visible_rows(table: Table, access: Access) -> list[Row]:
    """The rows a user may read of a street ranking: a street sees its own row only (with its rank of all)."""
    if access.sees_all_streets or (table.rows and table.rows[0].area.kind == OrgUnitKind.DISTRICT):
        return table.rows
    return [row for row in table.rows if row.area.pk in access.territory_ids]


def access_or_404(user) -> Access:
    access = access_for(user)
    if access is None:
        raise Http404
    return access


def visible_district_or_404(access: Access, pk) -> OrgUnit:
    """A district whose street ranking the user reads (their own, or any of the city for city staff)."""
    try:
        district = OrgUnit.objects.get(pk=int(pk), kind=OrgUnitKind.DISTRICT)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may_see_district_streets(district):
        raise Http404
    return district


def visible_area_or_404(access: Access, pk) -> tuple[OrgUnit, OrgUnit]:
    """A district or street whose explanation the user reads, and the unit its ranking is within."""
    try:
        area = OrgUnit.objects.select_related("city", "district").get(
            pk=int(pk), kind__in=[OrgUnitKind.DISTRICT, *TERRITORIAL_KINDS]
        )
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may_see_area(area):
        raise Http404
    return area, (area.city if area.kind == OrgUnitKind.DISTRICT else area.district)


def trend(*, area_ids: list[int], unit_id: int | None = None) -> dict[int, list[dict]]:
    """Year by year overall (or one unit's) score and rank of the areas, from the snapshots (one query)."""
    rows = (
        RiskSnapshot.objects.filter(area_id__in=area_ids, unit_id=unit_id)
        .order_by("year")
        .values("area_id", "year", "score", "rank", "of")
    )
    result: dict[int, list[dict]] = {area_id: [] for area_id in area_ids}
    for row in rows:
        result[row["area_id"]].append(row)
    return result


def snapshot_years(*, city_id: int) -> list[int]:
    return list(
        RiskSnapshot.objects.filter(city_id=city_id).order_by("-year").values_list("year", flat=True).distinct()
    )


# --- export ----------------------------------------------------------------------------------------------

EXPORT_HEADERS = ("排名", "区域", "得分", "参评个数")


def _workbook(result: Ranking, access: Access):
    """The workbook in Chinese whatever the user's language (a working document handed on), formulas escaped."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(xlsx.EXPORT_LANGUAGE):
        for table in result.tables:
            sheet = workbook.create_sheet(title=str(table.title)[:31])
            rows = visible_rows(table, access)
            labels = [line.label for line in rows[0].lines] if rows else []
            sheet.append([*EXPORT_HEADERS, *[f"{label}（贡献）" for label in labels]])
            for row in rows:
                values = [row.rank, row.area.name, float(row.score), row.of]
                values += [float(line.contribution) for line in row.lines]
                sheet.append(xlsx.escape_row(values))
        sheet = workbook.create_sheet(title="说明")
        sheet.append(
            ["得分越高风险越高，第1名风险最高；各指标在参评区域间按最小—最大值归一化到0–100，各区域相同的指标记0。"]
        )
    return xlsx.spooled(workbook)


def export_ranking(*, actor, district_id=None):
    """The districts' ranking, or a district's streets (a street officer: its own row), as .xlsx; audited."""
    access = access_or_404(actor)
    parent = visible_district_or_404(access, district_id) if district_id else OrgUnit.objects.get(pk=access.city_id)
    handle = _workbook(compute_ranking(parent=parent), access)
    audit.record(actor=actor, action="risk.ranking.export", obj=parent, after={"area": parent.name})
    return handle, parent


# --- services: the configuration ------------------------------------------------------------------------------


def _require_configurer(actor, city: OrgUnit) -> None:
    access = access_for(actor)
    if access is None or not access.can_configure or access.city_id != city.pk:
        raise PermissionDenied(_("Only the city administrator configures the city's risk assessment units."))


def _audit_units(actor, city: OrgUnit, action: str, before, after) -> None:
    audit.record(actor=actor, action=action, obj=city, before=before, after=after)


def _weights_state(city: OrgUnit) -> dict:
    return {
        unit.code: {"weight": str(unit.weight), "indicators": {str(i.pk): str(i.weight) for i in unit.indicators.all()}}
        for unit in RiskUnit.objects.filter(city=city).prefetch_related("indicators")
    }


def persist_default_units(*, city: OrgUnit) -> list[RiskUnit]:
    """The seeded units written for a city that has none yet (called inside the first change or snapshot)."""
    existing = list(RiskUnit.objects.select_for_update().filter(city=city))
    if existing:
        return existing
    units = []
    for order, spec in enumerate(DEFAULT_UNITS, start=1):
        unit = RiskUnit.objects.create(
            city=city,
            code=spec["code"],
            name=spec["name"],
            order=order,
            weight=Decimal(spec["weight"]),
            sectors=list(spec["sectors"]),
            accident_categories=[str(c) for c in spec["accident_categories"]],
        )
        RiskIndicator.objects.bulk_create(
            RiskIndicator(unit=unit, code=code, weight=Decimal(weight), sectors=list(sectors), order=index)
            for index, (code, weight, sectors) in enumerate(spec["indicators"], start=1)
        )
        units.append(unit)
    RiskScheme.objects.get_or_create(city=city)
    return units


@transaction.atomic
def adopt_default_units(*, actor, city: OrgUnit) -> list[RiskUnit]:
    """The city administrator takes the seeded units as the city's own, to change them."""
    _require_configurer(actor, city)
    units = persist_default_units(city=city)
    audit.record(actor=actor, action="risk.units.adopt", obj=city, after={"units": [u.code for u in units]})
    return units


def parse_weights(raw: dict, keys: list) -> dict:
    """Weights entered directly: each 0–1, together 1 (within 0.001, for four-decimal rounding)."""
    weights = {}
    errors = []
    for key in keys:
        value = raw.get(str(key), raw.get(key))
        try:
            weight = Decimal(str(value).strip())
        except (InvalidOperation, ValueError, TypeError):
            errors.append(_("Enter every weight as a number between 0 and 1."))
            break
        if not weight.is_finite() or weight < 0 or weight > 1:
            errors.append(_("Enter every weight as a number between 0 and 1."))
            break
        weights[key] = weight.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if not errors and abs(sum(weights.values()) - 1) > WEIGHT_TOLERANCE:
        errors.append(_("The weights must add up to 1; they add up to %(sum)s.") % {"sum": sum(weights.values())})
    if errors:
        raise ValidationError(errors)
    return weights


@transaction.atomic
def set_unit_weights(*, actor, city: OrgUnit, weights: dict | None = None, matrix=None) -> RiskScheme:
    """Weights of the units: entered directly (``weights`` by unit code) or derived from an AHP matrix whose rows
    and columns follow the units' order; an inconsistent matrix (CR ≥ 0.1) is refused and nothing changes."""
    _require_configurer(actor, city)
    units = [unit for unit in persist_default_units(city=city) if unit.is_active]
    before = _weights_state(city)
    scheme, _created = RiskScheme.objects.select_for_update().get_or_create(city=city)
    if matrix is not None:
        if len(matrix) != len(units):
            raise ValidationError(_("The matrix must compare the %(n)s active units.") % {"n": len(units)})
        result = ahp.weights(matrix)
        new = dict(zip([unit.code for unit in units], result.weights, strict=True))
        scheme.unit_weighting = WeightingMethod.AHP
        scheme.unit_matrix = [[str(value) for value in row] for row in matrix]
        scheme.unit_matrix_order = [unit.code for unit in units]
        scheme.consistency_ratio = Decimal(f"{result.cr:.4f}")
    else:
        new = parse_weights(weights or {}, [unit.code for unit in units])
        scheme.unit_weighting = WeightingMethod.DIRECT
        scheme.unit_matrix = scheme.unit_matrix_order = scheme.consistency_ratio = None
    for unit in units:
        unit.weight = new[unit.code]
    RiskUnit.objects.bulk_update(units, ["weight"])
    scheme.updated_by = actor
    scheme.updated_at = timezone.now()
    scheme.save()
    _audit_units(actor, city, "risk.units.weights", before, _weights_state(city))
    return scheme


@transaction.atomic
def set_indicator_weights(*, actor, unit: RiskUnit, weights: dict | None = None, matrix=None) -> RiskUnit:
    """Weights of a unit's indicators (``weights`` by indicator id), directly or by AHP, as for the units."""
    unit = RiskUnit.objects.select_for_update().get(pk=unit.pk)
    _require_configurer(actor, unit.city)
    before = _weights_state(unit.city)
    indicators = list(unit.indicators.all())
    if not indicators:
        raise ValidationError(_("The unit has no indicators to weight."))
    if matrix is not None:
        if len(matrix) != len(indicators):
            raise ValidationError(_("The matrix must compare the unit's %(n)s indicators.") % {"n": len(indicators)})
        result = ahp.weights(matrix)
        new = dict(zip([i.pk for i in indicators], result.weights, strict=True))
        unit.indicator_weighting = WeightingMethod.AHP
        unit.indicator_matrix = [[str(value) for value in row] for row in matrix]
        unit.indicator_matrix_order = [i.pk for i in indicators]
        unit.consistency_ratio = Decimal(f"{result.cr:.4f}")
    else:
        new = parse_weights(weights or {}, [i.pk for i in indicators])
        unit.indicator_weighting = WeightingMethod.DIRECT
        unit.indicator_matrix = unit.indicator_matrix_order = unit.consistency_ratio = None
    for indicator in indicators:
        indicator.weight = new[indicator.pk]
    RiskIndicator.objects.bulk_update(indicators, ["weight"])
    unit.save()
    _audit_units(actor, unit.city, "risk.units.weights", before, _weights_state(unit.city))
    return unit


@transaction.atomic
def save_unit(*, actor, city: OrgUnit, code: str, name: str, sectors, accident_categories, is_active: bool = True):
    """Add a unit or change one (by code): its name, sectors and accident categories. A new unit starts with
    weight 0, so the unit weights must be set again before it counts."""
    _require_configurer(actor, city)
    persist_default_units(city=city)
    known_sectors = set(Sector.objects.values_list("code", flat=True))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the unit.")
    if not (code or "").strip():
        errors["code"] = _("Give the unit a code.")
    unknown = [s for s in sectors if s not in known_sectors]
    if unknown:
        errors["sectors"] = _("Unknown sector: %(codes)s.") % {"codes": "、".join(unknown)}
    if [c for c in accident_categories if c not in AccidentCategory.values]:
        errors["accident_categories"] = _("Unknown accident category.")
    if errors:
        raise ValidationError(errors)
    unit, created = RiskUnit.objects.get_or_create(
        city=city,
        code=code.strip(),
        defaults={"name": name.strip(), "order": RiskUnit.objects.filter(city=city).count() + 1},
    )
    before = {} if created else {"name": unit.name, "sectors": unit.sectors, "categories": unit.accident_categories}
    unit.name = name.strip()
    unit.sectors = list(sectors)
    unit.accident_categories = list(accident_categories)
    unit.is_active = is_active
    unit.save()
    audit.record(
        actor=actor,
        action="risk.unit.save",
        obj=unit,
        before=before,
        after={"name": unit.name, "sectors": unit.sectors, "categories": unit.accident_categories},
        org_unit=city,
    )
    return unit


@transaction.atomic
def add_indicator(*, actor, unit: RiskUnit, code: str, sectors=(), direction=IndicatorDirection.POSITIVE):
    """Add a computable indicator to a unit, with weight 0 (the unit's weights are then set again)."""
    _require_configurer(actor, unit.city)
    if code not in INDICATORS:
        raise ValidationError({"code": _("Choose an indicator from the list.")})
    if direction not in IndicatorDirection.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    known_sectors = set(Sector.objects.values_list("code", flat=True))
    if any(s not in known_sectors for s in sectors):
        raise ValidationError({"sectors": _("Unknown sector.")})
    indicator = RiskIndicator.objects.create(
        unit=unit, code=code, sectors=list(sectors), direction=direction, weight=0, order=unit.indicators.count() + 1
    )
    audit.record(actor=actor, action="risk.indicator.add", obj=indicator, after={"code": code}, org_unit=unit.city)
    return indicator


@transaction.atomic
def remove_indicator(*, actor, indicator: RiskIndicator) -> None:
    _require_configurer(actor, indicator.unit.city)
    audit.record(
        actor=actor,
        action="risk.indicator.remove",
        obj=indicator,
        before={"code": indicator.code},
        org_unit=indicator.unit.city,
    )
    indicator.delete()


# --- services: yearly snapshots --------------------------------------------------------------------------------


def year_end(year: int) -> datetime.datetime:
    """The moment a year's snapshot is taken as at: the last instant of 31 December, or now for this year."""
    now = timezone.now()
    if year >= timezone.localdate().year:
        return now
    return timezone.make_aware(datetime.datetime(year, 12, 31, 23, 59, 59))


def _store(ranking: Ranking, *, year: int, units_by_code: dict[str, RiskUnit], actor) -> int:
    areas = ranking.areas
    city_id = areas.city_id
    rows = []
    for table in ranking.tables:
        unit = units_by_code.get(table.unit.code) if table.unit else None
        if table.unit and unit is None:
            continue
        for row in table.rows:
            rows.append(
                RiskSnapshot(
                    year=year,
                    city_id=city_id,
                    district_id=row.area.pk if areas.level == CITY_LEVEL else areas.parent.pk,
                    area=row.area,
                    unit=unit,
                    score=row.score,
                    rank=row.rank,
                    of=row.of,
                    explanation=row.explanation(),
                    taken_by=actor,
                )
            )
    RiskSnapshot.objects.filter(year=year, area_id__in=areas.ids).delete()
    RiskSnapshot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def take_snapshots(*, actor, year: int, city: OrgUnit | None = None, district: OrgUnit | None = None) -> int:
    """Record a year's ranking (taken at year end by the beat, or on demand): the city administrator records the
    city's districts and every district's streets; a district's safety office records its own streets. A second
    snapshot of the same year replaces the first. Returns the number of rows written."""
    if year < 2000 or year > timezone.localdate().year:
        raise ValidationError(_("Choose a year up to this year."))
    if actor is not None:
        access = access_for(actor)
        if city is not None and (access is None or not access.can_snapshot_city or access.city_id != city.pk):
            raise PermissionDenied(_("Only the city administrator records the city's ranking."))
        if district is not None and (
            access is None
            or not (access.can_snapshot_city or access.can_snapshot_district)
            or not access.may_see_district_streets(district)
        ):
            raise PermissionDenied(_("Only the district's safety office records its street ranking."))
    root_city = city or district.city
    units = persist_default_units(city=root_city)
    units_by_code = {unit.code: unit for unit in units if unit.is_active}
    as_of = year_end(year)
    parents = [district] if district is not None else [city, *areas_of(parent=city).units]
    written = sum(
        _store(compute_ranking(parent=parent, as_of=as_of), year=year, units_by_code=units_by_code, actor=actor)
        for parent in parents
    )
    audit.record(
        actor=actor,
        action="risk.ranking.snapshot",
        obj=city or district,
        after={"year": year, "rows": written},
        org_unit=city or district,
    )
    return written


# --- start-up: navigation, audit names, the briefing's section --------------------------------------------------


def _briefing_has_data(context) -> bool:
    access = access_for(context.user)
    return access is not None and OrgUnit.objects.filter(parent_id=access.city_id, kind=OrgUnitKind.DISTRICT).exists()


def _briefing_write(document, context) -> None:
    """The districts' ranking (published by the city) and, for a district, its own place and its streets'."""
    from anjian.accidents import briefing

    access = access_for(context.user)
    result = compute_ranking(parent=OrgUnit.objects.get(pk=access.city_id))
    own = result.overall.row_for(access.district_id) if access.district_id else None
    if own is not None:
        briefing.add_paragraph(
            document,
            f"按城市安全风险评估，{own.area.name}综合风险得分{own.score}，在全市{own.of}个区中排第{own.rank}名"
            "（得分越高风险越高，第1名风险最高）。",
        )
    else:
        briefing.add_paragraph(document, "全市各区城市安全风险综合得分及排名如下（得分越高风险越高，第1名风险最高）。")
    briefing.add_table(
        document,
        ["排名", "区", "综合得分", *[table.title for table in result.units]],
        [
            [str(row.rank), row.area.name, str(row.score), *[str(t.row_for(row.area.pk).score) for t in result.units]]
            for row in result.overall.rows
        ],
    )
    if access.district_id:
        streets = compute_ranking(parent=OrgUnit.objects.get(pk=access.district_id))
        rows = visible_rows(streets.overall, access)
        if rows:
            briefing.add_paragraph(document, "本区各街道（园区）城市安全风险综合得分及排名：")
            briefing.add_table(
                document,
                ["排名", "街道（园区）", "综合得分"],
                [[f"{row.rank}/{row.of}", row.area.name, str(row.score)] for row in rows],
            )


def register() -> None:
    """Called from the risk app's registration: the ranking's navigation item, audit names, briefing section."""
    from importlib.util import find_spec

    from anjian.core import audit_labels, navigation

    audit_labels.register(
        {
            "risk.units.weights": gettext_lazy("Risk assessment weights changed"),
            "risk.units.adopt": gettext_lazy("Default risk assessment units adopted"),
            "risk.unit.save": gettext_lazy("Risk assessment unit saved"),
            "risk.indicator.add": gettext_lazy("Risk indicator added"),
            "risk.indicator.remove": gettext_lazy("Risk indicator removed"),
            "risk.ranking.snapshot": gettext_lazy("Risk ranking recorded for a year"),
            "risk.ranking.export": gettext_lazy("Exported the risk ranking"),
        }
    )
    navigation.register(
        navigation.NavItem(
            key="risk_ranking",
            label=gettext_lazy("Risk ranking"),
            url_name="risk:ranking",
            order=145,
            visible=lambda user: access_for(user) is not None,
        )
    )
    if find_spec("anjian.accidents.briefing") is not None:
        from anjian.accidents import briefing

        briefing.register_section(
            briefing.BriefingSection(
                key="risk_ranking",
                order=40,
                title=gettext_lazy("Risk ranking"),
                has_data=_briefing_has_data,
                write=_briefing_write,
            )
        )
