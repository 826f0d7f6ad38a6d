"""The checks of the accidents' import: every cell parsed, the places the rows name found among those the
importer sees, then each row through the service's rules (:func:`anjian.accidents.services.clean_accident`), the
importer's scope, the coordinates and duplicates within the file and against the accidents recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accidents.imports.columns import (
    CATEGORY_TABLE,
    COLUMNS,
    DEFAULT_TYPES,
    FIELD_COLUMNS,
    HEADER_ALIASES,
    MAIN_SHEET,
    TYPE_TABLE,
    label_key,
)
from anjian.accidents.models import Accident
from anjian.accidents.services import clean_accident
from anjian.core.coordinates import format_coordinates
from anjian.core.imports.cells import (
    PLAIN_PARSERS,
    CellError,
    as_text,
    clean,
    unknown_choice,
    unknown_street,
)
from anjian.core.imports.checking import check_rows, importer_limits, map_headers, require_headers
from anjian.core.imports.columns import Column
from anjian.core.imports.reading import Source, open_source
from anjian.core.imports.results import ImportResult, RowError
from anjian.core.imports.writer import chunks
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.lookups import SectorNames, Territories
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site


@dataclass
class Lookups:
    """Names users write → objects, built once per import (a handful of queries)."""

    district: OrgUnit
    streets: Territories  # street and park names → ids, their boundaries
    sector_names: SectorNames
    territories: dict[int, OrgUnit]
    sectors: dict[str, Sector]

    @classmethod
    def build(cls, district: OrgUnit) -> Lookups:
        territories = {
            unit.pk: unit
            for unit in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS).only(
                "id", "name", "kind", "district_id"
            )
        }
        return cls(
            district=district,
            streets=Territories(district),
            sector_names=SectorNames(),
            territories=territories,
            sectors={sector.code: sector for sector in Sector.objects.all()},
        )


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # the Accident's fields as clean_accident returns them


class Checker:
    """Parses and checks the rows; keeps what the writing pass needs."""

    def __init__(self, *, actor, lookups: Lookups, result: ImportResult, column_index: list[tuple[int, int]]):
        self.actor = actor
        self.lk = lookups
        self.result = result
        self.column_index = column_index
        self.territory_ids, self.sector_codes = importer_limits(actor)
        self.now = timezone.now()
        self.seen: dict[tuple, int] = {}  # duplicate key → first row number
        self.pending: list[tuple[int, dict[str, Any]]] = []  # (row, parsed cells) awaiting the place lookup

    def error(self, row: int | None, column: str, value: Any, reason: str, code: str = "invalid") -> None:
        self.result.add(RowError(row, column, "" if value is None else as_text(value), reason, code))

    def parse_cell(self, column: Column, value: Any) -> Any:
        kind = column.kind
        # The date of an accident is a "datetime": a time of day is required, the late-report flag depends on it.
        plain = PLAIN_PARSERS.get(kind)
        if plain is not None:
            return plain(value, column)
        if kind in {"category", "type"}:
            code = (CATEGORY_TABLE if kind == "category" else TYPE_TABLE).get(label_key(value))
            if code is None:
                raise unknown_choice(column)
            return code
        if kind == "territory":
            unit_id = self.lk.streets.ids.get(as_text(value))
            if unit_id is None:
                raise unknown_street(self.lk.district)
            return unit_id
        if kind == "sector":
            code = self.lk.sector_names.code(as_text(value))
            if code is None:
                raise CellError(_("Unknown sector “%(name)s”.") % {"name": as_text(value)}, "unknown_sector")
            return code
        raise AssertionError(kind)

    def parse(self, number: int, raw) -> None:
        """Pass 1: every cell of a row parsed; the row waits for the bulk place lookup."""
        cells: dict[str, Any] = {}
        errors_before = self.result.error_count
        width = len(raw)
        for position, index in self.column_index:
            column = COLUMNS[index]
            value = clean(raw[position]) if position < width else None
            if value is None:
                if column.required:
                    self.error(number, column.header, None, _("This column is required."), "required")
                continue
            try:
                cells[column.key] = self.parse_cell(column, value)
            except CellError as error:
                self.error(number, column.header, value, error.message, error.code)
        if self.result.error_count == errors_before:
            self.pending.append((number, cells))

    def check(self, number: int, cells: dict[str, Any], site: Site | None) -> Row | None:
        """Pass 2: the rules across cells — the service's rules, scope, coordinates, duplicates."""
        errors_before = self.result.error_count
        territory = self.lk.territories.get(cells["territory"]) if cells.get("territory") else None
        if site is not None and territory is not None and site.territory_id and site.territory_id != territory.pk:
            self.error(
                number,
                "所属街镇/园区",
                territory.name,
                _("The place lies in %(street)s.") % {"street": site.territory.name},
                "territory_mismatch",
            )
            return None
        category = cells.get("category")
        accident_type = cells.get("accident_type") or DEFAULT_TYPES.get(category)
        if accident_type is None:
            self.error(number, "事故类型", None, _("This column is required."), "required")
            return None
        sector = self.lk.sectors.get(cells["sector"]) if cells.get("sector") else None
        values, errors = clean_accident(
            district=self.lk.district,
            category=category,
            accident_type=accident_type,
            occurred_at=cells.get("occurred_at"),
            reported_at=cells.get("reported_at"),
            summary=cells.get("summary", ""),
            territory=territory,
            site=site,
            sector=sector,
            address=cells.get("address", ""),
            longitude=cells.get("longitude"),
            latitude=cells.get("latitude"),
            now=self.now,
            **{
                name: cells[name]
                for name in ("deaths", "serious_injuries", "minor_injuries", "missing", "direct_loss")
                if name in cells
            },
        )
        for field, message in errors.items():
            header = FIELD_COLUMNS.get(field, field)
            self.error(number, header, cells.get(field), str(message), field)
        if errors:
            return None
        self.check_scope(number, values)
        lon, lat = values["longitude"], values["latitude"]
        if (lon is None) != (lat is None):
            self.error(
                number, "经度" if lon is None else "纬度", None, _("Give both longitude and latitude, or neither.")
            )
        elif lon is not None:
            territory = values["territory"]
            problem = self.lk.streets.point_problem(territory.pk if territory else None, float(lon), float(lat))
            if problem is not None:
                code, reason = problem
                self.error(number, "经度", format_coordinates(lat, lon), reason, code)
        key = duplicate_key(values)
        first = self.seen.get(key)
        if first is not None:
            self.error(
                number,
                "发生时间",
                timezone.localtime(values["occurred_at"]).strftime("%Y-%m-%d %H:%M"),
                _("The same accident (time and place) is already in row %(row)s.") % {"row": first},
                "duplicate",
            )
        else:
            self.seen[key] = number
        if self.result.error_count != errors_before:
            return None
        return Row(number, values)

    def check_scope(self, number: int, values: dict[str, Any]) -> None:
        """The accident must land in the importer's own scope (AccidentQuerySet.scope_q): a street or park
        imports its territory only, a department the sectors it supervises."""
        if self.territory_ids is not None:
            territory = values["territory"]
            if territory is None or territory.pk not in self.territory_ids:
                self.error(
                    number,
                    "所属街镇/园区",
                    territory.name if territory else None,
                    _("You can import only accidents of your own street or park."),
                    "out_of_scope",
                )
        if self.sector_codes is not None:
            sector = values["sector"]
            if sector is None or sector.code not in self.sector_codes:
                self.error(
                    number,
                    "行业领域",
                    sector.name if sector else None,
                    _("You can import only accidents of the sectors your department supervises."),
                    "out_of_scope",
                )


def duplicate_key(values: dict[str, Any]) -> tuple:
    """Same time of occurrence at the same registered place, or at the same address without one."""
    where = ("site", values["site"].pk) if values["site"] is not None else ("address", label_key(values["address"]))
    return (values["occurred_at"], *where)


def find_sites(checker: Checker, actor, district: OrgUnit) -> tuple[dict[int, Site], set[int]]:
    """Pass 1½: the places the rows name, found in bulk among the places the importer can see (a place out
    of scope reads as unknown: nothing tells the importer what exists). Returns (row → place, unmatched rows)."""
    found: dict[int, Site] = {}
    unmatched: set[int] = set()
    base = Site.objects.visible_to(actor) if actor is not None else Site.objects.all()
    base = base.filter(district=district).select_related("territory")
    externals = sorted({c["external_id"] for _n, c in checker.pending if c.get("external_id")})
    by_external: dict[str, Site] = {}
    for chunk in chunks(externals):
        by_external.update({site.external_id: site for site in base.filter(external_id__in=chunk)})
    codes = sorted({c["credit_code"].upper() for _n, c in checker.pending if c.get("credit_code")})
    by_place: dict[tuple[str, str], list[Site]] = {}
    for chunk in chunks(codes):
        for site in base.filter(enterprise__credit_code__in=chunk).select_related("enterprise"):
            by_place.setdefault((site.enterprise.credit_code, site.name), []).append(site)
    for number, cells in checker.pending:
        external, code, name = cells.get("external_id"), cells.get("credit_code"), cells.get("site_name")
        if external:
            site = by_external.get(external)
            if site is None:
                unmatched.add(number)
                checker.error(
                    number,
                    "场所外部编号",
                    external,
                    _("No place you can see in this district has this external id."),
                    "unknown_place",
                )
            else:
                found[number] = site
        elif code or name:
            if not (code and name):
                checker.error(
                    number,
                    "统一社会信用代码" if not code else "场所名称",
                    None,
                    _("Name the place by its credit code together with its name, or by its external id."),
                    "required",
                )
                unmatched.add(number)
                continue
            candidates = by_place.get((code.upper(), name), [])
            if len(candidates) == 1:
                found[number] = candidates[0]
            else:
                unmatched.add(number)
                checker.error(
                    number,
                    "场所名称",
                    name,
                    _("No single place you can see in this district has this credit code and name."),
                    "unknown_place",
                )
    return found, unmatched


def check_existing(rows: list[Row], district: OrgUnit, checker: Checker) -> None:
    """Duplicates of accidents already recorded: same district, time of occurrence and place or address."""
    index = {duplicate_key(row.values): row.number for row in rows}
    moments = sorted({row.values["occurred_at"] for row in rows})
    for chunk in chunks(moments):
        for occurred_at, site_id, address in Accident.objects.filter(
            district=district, occurred_at__in=chunk
        ).values_list("occurred_at", "site_id", "address"):
            keys = [(occurred_at, "site", site_id)] if site_id else [(occurred_at, "address", label_key(address))]
            for key in keys:
                number = index.get(key)
                if number is not None:
                    checker.error(
                        number,
                        "发生时间",
                        timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M"),
                        _("This accident (same time and place) is recorded already."),
                        "duplicate_existing",
                    )


def open_file(data: bytes, filename: str) -> Source:
    """The accidents' file: the sheet 事故, or the first sheet that is not the instructions."""
    return open_source(data, filename, main_sheet=MAIN_SHEET)


def check_file(*, actor, district, data, filename, result, progress) -> list[Row]:
    source = open_file(data, filename)
    try:
        main = source.main
        require_headers(main.headers)
        mapping = map_headers(main.headers, HEADER_ALIASES, COLUMNS, result)
        if result.error_count:
            return []
        checker = Checker(actor=actor, lookups=Lookups.build(district), result=result, column_index=mapping)
        result.rows = check_rows(
            main,
            check_row=checker.parse,
            progress=progress,
            no_rows=_("The file has headers but no rows of accidents."),
        )
    finally:
        source.close()
    sites, unmatched = find_sites(checker, actor, district)
    rows = []
    for number, cells in checker.pending:
        if number in unmatched:
            continue  # the place lookup has reported it
        row = checker.check(number, cells, sites.get(number))
        if row is not None:
            rows.append(row)
    checker.pending = []
    if not result.error_count:
        check_existing(rows, district, checker)
    result.errors.sort(key=lambda e: e.row or 0)
    return [] if result.error_count else rows
