"""The assessment units of the city risk ranking as the computation reads them: a city's own units and indicators
with their weights, or the seeded defaults while its administrator has saved none."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from anjian.accidents.choices import AccidentCategory
from anjian.risk.models import IndicatorDirection, RiskUnit


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
