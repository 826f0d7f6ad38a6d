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


def normalise(
    values: dict[int, Decimal | None], direction: str = IndicatorDirection.POSITIVE
) -> dict[int, Decimal | None]:
    """Min–max to 0–100 across the compared areas (two decimals). All equal → 0 for every area: the indicator
    does not tell the areas apart, so it must not add to any score (50 would lift every area alike and hide
    that the indicator said nothing). A negative indicator (more is safer) is turned round.

    An area without data (None) stays None: it takes no part in the minimum and the maximum, and gets no
    normalised value (never the best one)."""
    known = {key: value for key, value in values.items() if value is not None}
    missing = {key: None for key, value in values.items() if value is None}
    if not known:
        return missing
    low, high = min(known.values()), max(known.values())
    if high == low:
        return {**{key: Decimal("0.00") for key in known}, **missing}
    span = high - low
    if direction == IndicatorDirection.NEGATIVE:
        return {**{key: q2((high - value) * 100 / span) for key, value in known.items()}, **missing}
    return {**{key: q2((value - low) * 100 / span) for key, value in known.items()}, **missing}


def reweighting(terms: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The factor that spreads the weight of the terms without data over the others: Σ all wᵢ / Σ available wᵢ
    (exactly 1 when every term has data). None when no term has data (or the available weights are 0)."""
    total = sum((weight for weight, _value in terms), Decimal(0))
    available = sum((weight for weight, value in terms if value is not None), Decimal(0))
    if available <= 0:
        return None
    return Decimal(1) if available == total else total / available


def weighted(terms: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The weighted sum of (weight, value) terms re-weighted over the terms that have a value:
    Σ wᵢ·vᵢ × Σ all wᵢ / Σ available wᵢ (with the weights summing to 1, the weighted mean of the available terms).
    None when no term has a value: the area has no data, and no score."""
    factor = reweighting(terms)
    if factor is None:
        return None
    return sum((weight * value for weight, value in terms if value is not None), Decimal(0)) * factor


def competition_ranks(scores: dict[int, Decimal | None]) -> dict[int, int | None]:
    """Rank 1 = highest score; equal scores share a rank and the ranks after them are skipped (1, 2, 2, 4). An
    area without a score (no data) is not ranked (None)."""
    ordered = sorted((score for score in scores.values() if score is not None), reverse=True)
    first_position = {}
    for position, score in enumerate(ordered, start=1):
        first_position.setdefault(score, position)
    return {key: None if score is None else first_position[score] for key, score in scores.items()}


@dataclass
class Line:
    """One term of a score: an indicator of a unit score, or a unit of the overall score."""

    code: str
    label: str
    value: Decimal | None  # the indicator's value (None for a unit term, or when the area has no data)
    value_unit: str
    normalised: Decimal | None  # None: no data (left out of the normalisation and of the score)
    weight: Decimal
    contribution: Decimal | None  # weight × normalised (× the re-weighting factor when some terms have no data)
    is_unit: bool = False

    @property
    def missing(self) -> bool:
        return self.normalised is None

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "label": str(self.label),
            "value": None if self.value is None else str(q2(self.value)),
            "value_unit": str(self.value_unit),
            "normalised": None if self.normalised is None else str(self.normalised),
            "weight": str(self.weight),
            "contribution": None if self.contribution is None else str(self.contribution),
            "no_data": self.missing,
        }


@dataclass
class Row:
    area: OrgUnit
    score: Decimal | None  # None: no data for any term (无数据), not ranked
    rank: int | None
    of: int  # the areas ranked (those with a score)
    lines: list[Line]
    population_missing: bool = False

    @property
    def no_data(self) -> bool:
        return self.score is None

    @property
    def reweighted(self) -> bool:
        """Some terms had no data: the score is re-weighted over the available ones."""
        return self.score is not None and any(line.missing for line in self.lines)

    def explanation(self) -> dict:
        return {
            "lines": [line.as_json() for line in self.lines],
            "population_missing": self.population_missing,
            "no_data": self.no_data,
            "reweighted": self.reweighted,
        }


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


def _table(
    unit: UnitSpec | None, areas: Areas, scores: dict[int, Decimal | None], lines: dict[int, list[Line]]
) -> Table:
    ranks = competition_ranks(scores)
    order = {area.pk: index for index, area in enumerate(areas.units)}
    ranked = sum(1 for score in scores.values() if score is not None)
    rows = [
        Row(
            area=area,
            score=scores[area.pk],
            rank=ranks[area.pk],
            of=ranked,
            lines=lines[area.pk],
            population_missing=not areas.population.get(area.pk),
        )
        for area in areas.units
    ]
    # The areas without data come last, after every ranked area.
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, order[row.area.pk]))
    return Table(unit=unit, rows=rows)


def compute_ranking(*, parent: OrgUnit, as_of: datetime.datetime | None = None, specs=None) -> Ranking:
    """Score and rank the districts of a city, or the streets and parks of a district: one aggregate query per
    distinct indicator, whatever the number of areas and records."""
    areas = areas_of(parent=parent, as_of=as_of)
    specs = unit_specs(areas.city_id) if specs is None else specs
    cache: dict[tuple, dict[int, Decimal]] = {}
    names = sector_names() if any(spec.sectors for unit in specs for spec in unit.indicators) else {}
    unit_tables: list[Table] = []
    unit_scores: dict[str, dict[int, Decimal | None]] = {}
    for unit in specs:
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
            # An indicator an area has no data for stays None (无数据), never 0.
            values = {area_id: cache[key].get(area_id, Decimal(0)) for area_id in areas.ids}
            normalised = normalise(values, spec.direction)
            label = _indicator_label(indicator, spec, names)
            for area_id in areas.ids:
                lines[area_id].append(
                    Line(
                        code=spec.code,
                        label=label,
                        value=values[area_id],
                        value_unit=indicator.unit_label,
                        normalised=normalised[area_id],
                        weight=spec.weight,
                        contribution=None,
                    )
                )
        scores = {area_id: _score(lines[area_id]) for area_id in areas.ids}
        unit_scores[unit.code] = scores
        unit_tables.append(_table(unit, areas, scores, lines))
    overall_lines: dict[int, list[Line]] = {area_id: [] for area_id in areas.ids}
    for area_id in areas.ids:
        for unit in specs:
            overall_lines[area_id].append(
                Line(
                    code=unit.code,
                    label=unit.name,
                    value=None,
                    value_unit="",
                    normalised=unit_scores[unit.code][area_id],
                    weight=unit.weight,
                    contribution=None,
                    is_unit=True,
                )
            )
    overall_scores = {area_id: _score(overall_lines[area_id]) for area_id in areas.ids}
    return Ranking(areas=areas, units=unit_tables, overall=_table(None, areas, overall_scores, overall_lines))


def _score(lines: list[Line]) -> Decimal | None:
    """The score of an area from its terms, re-weighted over the terms with data; each line's contribution is
    filled in (weight × normalised × the re-weighting factor), so the contributions add up to the score. None
    when no term has data."""
    terms = [(line.weight, line.normalised) for line in lines]
    factor = reweighting(terms)
    if factor is None:
        return None
    for line in lines:
        if line.normalised is not None:
            line.contribution = q2(line.weight * line.normalised * factor)
    return q2(weighted(terms))


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
