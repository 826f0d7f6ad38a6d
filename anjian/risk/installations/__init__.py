"""Identification and grading of major hazard installations (GB 18218-2018, STANDARDS §3), one module per part:

* :mod:`~.grading`, pure computation — ``Catalogue.match`` finds a line's catalogue entry (by CAS number first,
  then by name or alias), ``evaluate_unit`` computes S = Σ q/Q, α, R = α·Σ β·q/Q and the level of one unit,
  exactly (fractions; no rounding before the comparisons with 1 and with the level bands);
* :mod:`~.services` — ``identify_sites`` (re)writes the ``MajorHazardSource`` rows of given places (or of all of
  them, nightly), ``update_substance`` corrects a catalogue entry with its audit record;
* :mod:`~.selectors` — the scoped register, a unit's identification, a place's units, the map's points;
* :mod:`~.filtersets` — the register's and the catalogue's filters; :mod:`~.exports` — the register as .xlsx.

The pages, the API, the tasks and the commands use the names below.
"""

from __future__ import annotations

from anjian.risk.installations.exports import (
    EXPORT_HEADERS,
    EXPORT_SHEET,
    export_installations,
    installation_row,
)
from anjian.risk.installations.filtersets import (
    InstallationFilterSet,
    SubstanceFilterSet,
)
from anjian.risk.installations.grading import (
    BASIS_LABELS,
    FOUR_PLACES,
    Basis,
    Catalogue,
    Entry,
    Line,
    LineResult,
    UnitResult,
    entry_of,
    evaluate_line,
    evaluate_unit,
    lines_of,
    to_decimal,
)
from anjian.risk.installations.selectors import (
    installations_for,
    map_points,
    site_units,
    unit_identification,
    visible_units,
)
from anjian.risk.installations.services import (
    CHUNK,
    SUBSTANCE_FIELDS,
    IdentificationSummary,
    identify_sites,
    on_chemical_inventory_changed,
    update_substance,
)

__all__ = [
    "BASIS_LABELS",
    "CHUNK",
    "EXPORT_HEADERS",
    "EXPORT_SHEET",
    "FOUR_PLACES",
    "SUBSTANCE_FIELDS",
    "Basis",
    "Catalogue",
    "Entry",
    "IdentificationSummary",
    "InstallationFilterSet",
    "Line",
    "LineResult",
    "SubstanceFilterSet",
    "UnitResult",
    "entry_of",
    "evaluate_line",
    "evaluate_unit",
    "export_installations",
    "identify_sites",
    "installation_row",
    "installations_for",
    "lines_of",
    "map_points",
    "on_chemical_inventory_changed",
    "site_units",
    "to_decimal",
    "unit_identification",
    "update_substance",
    "visible_units",
]
