"""City safety risk assessment (城市安全风险评估): which areas carry the most risk, per assessment unit and overall.

The areas compared are the districts of a city (the city ranking) or the streets and parks of one district (the
district's street ranking). For each area the indicators of every unit are computed from the records with one
aggregate query per indicator, grouped by district or by territory (never a loop over places), then

* normalised min–max to 0–100 across the compared areas (a "negative" indicator, where more means safer, is
  turned round); when every area has the same value the indicator does not tell them apart, so it gives each
  area 0: it adds nothing to any score instead of lifting all of them by the same 50;
* weighted within the unit (the weights of a unit sum to 1), so a unit score is 0–100;
* weighted across units into the overall score (unit weights sum to 1).

Missing data is "no data" (无数据), never 0: a rate per resident of an area whose population is not recorded is
None. It is left out of the normalisation (neither the minimum nor the maximum), and the area's score is
re-weighted over the terms it has: Σ wᵢ·nᵢ over the available terms × Σ all wᵢ / Σ available wᵢ (the weighted
mean of what is known); a unit without any data is left out of the overall score the same way, and an area with
no data at all has no score and no rank (listed last as 无数据).

A higher score means a higher risk; rank 1 is the highest risk; equal scores share a rank and the next rank is
skipped (competition ranking: 1, 2, 2, 4).

Records counted as at ``as_of`` (the end of a year for a yearly snapshot, now for the live ranking): accidents
in the three years up to it; hazards reported by then and not yet closed then; places, their current colour and
major hazard installations as the registry holds them now (the registry keeps no history of those).

The package, one module per topic: :mod:`~.units` (the configuration as the computation reads it),
:mod:`~.indicators` (the areas and the indicators), :mod:`~.ranking` (the computation), :mod:`~.access` (who
reads what), :mod:`~.configuration` and :mod:`~.snapshots` (the services), :mod:`~.export`, :mod:`~.registration`.
The pages, the API, the map and the commands use the names below.
"""

from __future__ import annotations

from anjian.risk.city.access import (
    Access,
    access_for,
    access_or_404,
    reads_ranking,
    reads_ranking_method,
    visible_area_or_404,
    visible_district_or_404,
    visible_rows,
)
from anjian.risk.city.configuration import (
    WEIGHT_TOLERANCE,
    add_indicator,
    adopt_default_units,
    parse_weights,
    persist_default_units,
    remove_indicator,
    save_unit,
    set_indicator_weights,
    set_unit_weights,
)
from anjian.risk.city.export import (
    EXPORT_HEADERS,
    export_ranking,
)
from anjian.risk.city.indicators import (
    ACCIDENT_YEARS,
    ACTIVE_PLACE_STATUSES,
    CITY_LEVEL,
    DISTRICT_LEVEL,
    INDICATORS,
    INSTALLATION_LEVEL_WEIGHTS,
    Areas,
    Indicator,
    accident_q,
    areas_of,
    deaths_per_100k,
    major_hazard_installations,
    major_hazard_installations_per_10k,
    open_major_hazards,
    open_major_hazards_per_10k,
    overdue_hazards,
    overdue_hazards_per_10k,
    places,
    places_per_10k,
    red_orange_places_per_10k,
    years_before,
)
from anjian.risk.city.ranking import (
    TWO_PLACES,
    Line,
    Ranking,
    Row,
    Table,
    competition_ranks,
    compute_ranking,
    normalise,
    q2,
    reweighting,
    sector_names,
    street_index,
    weighted,
)
from anjian.risk.city.registration import (
    register,
)
from anjian.risk.city.snapshots import (
    snapshot_years,
    take_snapshots,
    trend,
    year_end,
)
from anjian.risk.city.units import (
    DEFAULT_UNITS,
    IndicatorSpec,
    UnitSpec,
    default_specs,
    unit_specs,
)

__all__ = [
    "ACCIDENT_YEARS",
    "ACTIVE_PLACE_STATUSES",
    "CITY_LEVEL",
    "DEFAULT_UNITS",
    "DISTRICT_LEVEL",
    "EXPORT_HEADERS",
    "INDICATORS",
    "INSTALLATION_LEVEL_WEIGHTS",
    "TWO_PLACES",
    "WEIGHT_TOLERANCE",
    "Access",
    "Areas",
    "Indicator",
    "IndicatorSpec",
    "Line",
    "Ranking",
    "Row",
    "Table",
    "UnitSpec",
    "access_for",
    "access_or_404",
    "accident_q",
    "add_indicator",
    "adopt_default_units",
    "areas_of",
    "competition_ranks",
    "compute_ranking",
    "deaths_per_100k",
    "default_specs",
    "export_ranking",
    "major_hazard_installations",
    "major_hazard_installations_per_10k",
    "normalise",
    "open_major_hazards",
    "open_major_hazards_per_10k",
    "overdue_hazards",
    "overdue_hazards_per_10k",
    "parse_weights",
    "persist_default_units",
    "places",
    "places_per_10k",
    "q2",
    "reads_ranking",
    "reads_ranking_method",
    "red_orange_places_per_10k",
    "register",
    "remove_indicator",
    "reweighting",
    "save_unit",
    "sector_names",
    "set_indicator_weights",
    "set_unit_weights",
    "snapshot_years",
    "street_index",
    "take_snapshots",
    "trend",
    "unit_specs",
    "visible_area_or_404",
    "visible_district_or_404",
    "visible_rows",
    "weighted",
    "year_end",
    "years_before",
]
