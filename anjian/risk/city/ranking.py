"""The city risk ranking computed: indicators normalised across the compared areas, weighted into unit scores and
the overall score, ranked (competition ranking), with each score's terms kept to explain it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from anjian.organizations.models import OrgUnit, Sector
from anjian.risk.city.indicators import INDICATORS, Areas, Indicator, areas_of
from anjian.risk.city.units import IndicatorSpec, UnitSpec, unit_specs
from anjian.risk.models import IndicatorDirection

TWO_PLACES = Decimal("0.01")


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


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


# --- for the four-colour map (H7) ----------------------------------------------------------------------------


def street_index(*, district: OrgUnit) -> dict[int, dict]:
    """The overall risk score of each street and park of a district, live from the records:
    ``{org_unit_id: {"score": Decimal 0–100, "rank": int, "of": int}}`` (rank 1 = highest risk).

    The caller decides who may see it: a street officer may be shown only its own street's entry."""
    ranking = compute_ranking(parent=district)
    return {row.area.pk: {"score": row.score, "rank": row.rank, "of": row.of} for row in ranking.overall.rows}
