"""The checks of the places' import: every cell of every row parsed, then the rules across cells and rows (the
credit code's check character, streets, sectors and subtypes, coordinates inside the street's boundary, duplicates
within the file, the importer's jurisdiction), and the optional sheet of chemical inventories."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from anjian.core.coordinates import format_coordinates
from anjian.core.imports.cells import (
    PLAIN_PARSERS,
    CellError,
    as_limited_text,
    as_text,
    clean,
    unknown_choice,
    unknown_street,
)
from anjian.core.imports.checking import check_rows, has_headers, importer_limits, map_headers, require_headers
from anjian.core.imports.columns import Column
from anjian.core.imports.reading import Source, Table, open_source
from anjian.core.imports.results import ImportResult, RowError
from anjian.organizations.lookups import SectorNames, Territories
from anjian.organizations.models import OrgUnit
from anjian.registry import standards
from anjian.registry.choices import ChemicalUnitKind, SiteStatus
from anjian.registry.imports.columns import (
    CHEMICAL_ALIASES,
    CHEMICAL_COLUMNS,
    CHEMICAL_SHEET,
    COLUMNS,
    HEADER_ALIASES,
    INDEX,
    LIST_SEPARATORS,
    MAIN_SHEET,
    MASK,
    PERSONAL_KEYS,
    STATUS_ALIASES,
    UNIT_KIND_LABELS,
)
from anjian.registry.validators import validate_cas_number, validate_credit_code

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
CREDIT_RE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")


class Lookups:
    """Names users write → codes and ids, built once per import (a handful of queries)."""

    def __init__(self, district: OrgUnit):
        self.district = district
        self.territories = Territories(district)
        self.sectors = SectorNames()
        self.subtypes: dict[str, dict[str, str]] = {}  # sector → label/code → code
        for sector, options in standards.SUBTYPES.items():
            table = self.subtypes.setdefault(sector, {})
            for code, label in options:
                table[code] = code
                table[label] = code

        self.choices: dict[str, dict[str, str]] = {}
        for column in COLUMNS + CHEMICAL_COLUMNS:
            if column.kind in {"choice", "status"}:
                self.choices[column.key] = _choice_table(column)
        self.choices["status"].update({k: str(v) for k, v in STATUS_ALIASES.items()})


def _choice_table(column: Column) -> dict[str, str]:
    table: dict[str, str] = {}
    english = {
        "status": SiteStatus.choices,
        "structure_type": standards.STRUCTURE_TYPES,
        "business_use": standards.BUSINESS_USES,
        "danger_type": standards.ROAD_DANGER_TYPES,
        "unit_kind": ChemicalUnitKind.choices,
    }.get(column.key, [])
    for code, label in column.choices:
        table[code] = code
        table[label] = code
        table[re.sub(r"(结构|单元)$", "", label)] = code  # "砖混" for "砖混结构", "储存" for "储存单元"
    for code, label in english:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                table.setdefault(str(label), code)
                table.setdefault(str(label).lower(), code)
    return table


@dataclass
class Checked:
    """What the checking pass keeps of a good row: compact, so 100,000 rows fit in memory."""

    row: int
    values: list[Any]  # parsed values in COLUMNS order; territory → id, sectors → ((code, subtype), …)


class Checker:
    def __init__(self, *, actor, district: OrgUnit, lookups: Lookups, result: ImportResult, column_index: list):
        self.actor = actor
        self.district = district
        self.lk = lookups
        self.result = result
        self.column_index = column_index  # [(position in the file, Column index)]
        self.present = {COLUMNS[i].key for _pos, i in column_index}
        self.territory_ids, self.sector_codes = importer_limits(actor)
        self.credit_names: dict[str, tuple[str | None, int]] = {}
        self.external_rows: dict[str, int] = {}
        self.place_rows: dict[tuple[str, str], int] = {}
        self.credit_cache: dict[str, str | None] = {}

    def error(self, row: int, column: str, value: Any, reason: str, code: str = "invalid") -> None:
        self.result.add(RowError(row, column, "" if value is None else as_text(value), reason, code))

    def parse_cell(self, column: Column, value: Any) -> Any:
        kind = column.kind
        if kind == "person":
            if MASK in as_text(value):
                return None  # a masked export value: keep what is stored
            return as_limited_text(value, column)
        plain = PLAIN_PARSERS.get(kind)
        if plain is not None:
            return plain(value, column)
        if kind == "credit":
            return self.parse_credit(value)
        if kind == "mobile":
            text = as_text(value).replace(" ", "").replace("-", "")
            if MASK in text:
                return None
            if not MOBILE_RE.match(text):
                raise CellError(_("Enter an 11-digit mainland mobile number."), "mobile")
            return text
        if kind == "cas":
            text = as_text(value)
            try:
                validate_cas_number(text)
            except ValidationError as error:
                raise CellError(error.messages[0], "cas") from None
            return text
        if kind in {"choice", "status"}:
            text = as_text(value)
            code = self.lk.choices[column.key].get(text) or self.lk.choices[column.key].get(text.lower())
            if code is None:
                raise unknown_choice(column)
            return code
        if kind == "territory":
            unit_id = self.lk.territories.ids.get(as_text(value))
            if unit_id is None:
                raise unknown_street(self.district)
            return unit_id
        if kind == "sectors":
            codes = []
            for part in LIST_SEPARATORS.split(as_text(value)):
                if not part.strip():
                    continue
                code = self.lk.sectors.code(part)
                if code is None:
                    raise CellError(_("Unknown sector “%(name)s”.") % {"name": part.strip()}, "unknown_sector")
                if code not in codes:
                    codes.append(code)
            return tuple(codes) or None
        if kind == "subtypes":
            return tuple(p.strip() for p in re.split(r"[、;；,，\n]+", as_text(value)) if p.strip()) or None
        raise AssertionError(kind)

    def parse_credit(self, value: Any) -> str:
        text = as_text(value).replace(" ", "").upper()
        if text not in self.credit_cache:
            # The check character computed directly (GB 32100); the validator words the error.
            if CREDIT_RE.match(text) and uscc.calc_check_digit(text[:-1]) == text[-1]:
                self.credit_cache[text] = None
            else:
                try:
                    validate_credit_code(text)
                except ValidationError as error:
                    self.credit_cache[text] = error.messages[0]
                else:
                    self.credit_cache[text] = None
        message = self.credit_cache[text]
        if message:
            raise CellError(message, "credit_code")
        return text

    def check(self, row: int, raw: Sequence[Any]) -> Checked | None:
        """One row: every cell parsed, then the rules across cells; None if anything is wrong."""
        values: list[Any] = [None] * len(COLUMNS)
        errors_before = self.result.error_count
        width = len(raw)
        for position, index in self.column_index:
            value = raw[position] if position < width else None
            # The hot path of a 100,000-row import: blank cells are the common case.
            if value is not None and value.__class__ is str:
                value = clean(value) if value else None
            column = COLUMNS[index]
            if value is None:
                if column.required:
                    self.error(row, column.header, None, _("This column is required."), "required")
                continue
            try:
                values[index] = self.parse_cell(column, value)
            except CellError as error:
                self.error(row, column.header, value, error.message, error.code)
        if self.result.error_count == errors_before:
            self.check_row(row, values, raw)
        if self.result.error_count != errors_before:
            return None
        return Checked(row, values)

    def check_row(self, row: int, values: list[Any], raw: Sequence[Any]) -> None:
        """Rules across the cells of one row and across the rows of the file."""
        v = values.__getitem__
        sectors = v(INDEX["sectors"])
        # Subtypes: a bare label belongs to the row's sectors that have it; "行业:细分" names the sector.
        if v(INDEX["subtypes"]):
            chosen: dict[str, str] = {}
            for item in v(INDEX["subtypes"]):
                sector_part, _sep, label = item.rpartition(":") if ":" in item else item.rpartition("：")
                targets = sectors
                if sector_part:
                    code = self.lk.sectors.code(sector_part)
                    targets = (code,) if code in sectors else ()
                matches = [s for s in targets if label in self.lk.subtypes.get(s, {})]
                if not matches:
                    self.error(
                        row,
                        "细分类型",
                        item,
                        _("“%(subtype)s” is not a subtype of the sectors of this row.") % {"subtype": item},
                        "subtype",
                    )
                    return
                for sector in matches:
                    code = self.lk.subtypes[sector][label]
                    if chosen.get(sector, code) != code:
                        self.error(row, "细分类型", item, _("Give one subtype per sector."), "subtype")
                        return
                    chosen[sector] = code
            values[INDEX["sectors"]] = tuple((s, chosen.get(s, "")) for s in sectors)
        else:
            values[INDEX["sectors"]] = tuple((s, "") for s in sectors)
        values[INDEX["subtypes"]] = None

        lon, lat = v(INDEX["longitude"]), v(INDEX["latitude"])
        if (lon is None) != (lat is None):
            self.error(row, "经度" if lon is None else "纬度", None, _("Give both longitude and latitude, or neither."))
        elif lon is not None:
            self.check_point(row, v(INDEX["territory"]), float(lon), float(lat))
        for start, end, message in (
            ("km_from", "km_to", gettext_lazy("The end kilometre must not be before the start.")),
            ("permit_valid_from", "permit_valid_to", gettext_lazy("The permit cannot expire before it starts.")),
        ):
            if v(INDEX[start]) is not None and v(INDEX[end]) is not None and v(INDEX[end]) < v(INDEX[start]):
                self.error(row, COLUMNS[INDEX[end]].header, v(INDEX[end]), str(message), "order")

        credit = v(INDEX["credit_code"])
        enterprise_name = v(INDEX["enterprise_name"])
        if credit is None and (enterprise_name or any(v(INDEX[k]) for k in PERSONAL_KEYS)):
            self.error(
                row, "统一社会信用代码", None, _("Give the enterprise's unified social credit code."), "required"
            )
        if credit is not None:
            first = self.credit_names.get(credit)
            if first is None:
                self.credit_names[credit] = (enterprise_name, row)
            elif enterprise_name and first[0] and first[0] != enterprise_name:
                self.error(
                    row,
                    "企业名称",
                    enterprise_name,
                    _("Credit code %(code)s has the enterprise name “%(name)s” in row %(row)s.")
                    % {"code": credit, "name": first[0], "row": first[1]},
                    "credit_conflict",
                )
            elif enterprise_name and not first[0]:
                self.credit_names[credit] = (enterprise_name, first[1])
            key = (credit, v(INDEX["name"]))
            if key in self.place_rows:
                self.error(
                    row,
                    "场所名称",
                    key[1],
                    _("The same place (credit code and name) is already in row %(row)s.")
                    % {"row": self.place_rows[key]},
                    "duplicate_place",
                )
            else:
                self.place_rows[key] = row
        external = v(INDEX["external_id"])
        if external is not None:
            if external in self.external_rows:
                self.error(
                    row,
                    "外部编号",
                    external,
                    _("The external id is already used in row %(row)s.") % {"row": self.external_rows[external]},
                    "duplicate_external_id",
                )
            else:
                self.external_rows[external] = row

        if self.territory_ids is not None and v(INDEX["territory"]) not in self.territory_ids:
            self.error(
                row,
                "所属街镇/园区",
                self.lk.territories.names.get(v(INDEX["territory"])),
                _("You can import only places of your own street or park."),
                "out_of_scope",
            )
        if self.sector_codes is not None and not any(s in self.sector_codes for s, _sub in values[INDEX["sectors"]]):
            self.error(
                row,
                "行业领域",
                "、".join(self.lk.sectors.names[s] for s, _sub in values[INDEX["sectors"]]),
                _("You can import only places of the sectors your department supervises."),
                "out_of_scope",
            )

    def check_point(self, row: int, territory_id: int | None, lon: float, lat: float) -> None:
        """The point inside its street's boundary (or the district's): the reason of the first problem."""
        problem = self.lk.territories.point_problem(territory_id, lon, lat)
        if problem is not None:
            code, reason = problem
            self.error(row, "经度", format_coordinates(lat, lon), reason, code)


def open_file(data: bytes, filename: str) -> Source:
    """The places' file: the sheet 场所 (or the first sheet), and the optional sheet 危化品储存."""
    return open_source(data, filename, main_sheet=MAIN_SHEET, other_sheets=(CHEMICAL_SHEET,))


@dataclass
class CheckedFile:
    rows: list[Checked]
    present: set[str]  # the keys of the columns the file has
    chemicals: dict[int, list[tuple[str, str, list[tuple[str, str, Decimal]]]]]  # row index → units


def check_file(*, actor, district: OrgUnit, data: bytes, filename: str, result: ImportResult, progress) -> CheckedFile:
    """Every row of both sheets checked; the errors are in ``result``."""
    source = open_file(data, filename)
    try:
        lookups = Lookups(district)
        main = source.main
        require_headers(main.headers)
        mapping = map_headers(main.headers, HEADER_ALIASES, COLUMNS, result)
        if result.error_count:
            return CheckedFile([], set(), {})
        checker = Checker(actor=actor, district=district, lookups=lookups, result=result, column_index=mapping)
        rows: list[Checked] = []

        def check_row(number: int, raw: Sequence[Any]) -> None:
            checked = checker.check(number, raw)
            if checked is not None:
                rows.append(checked)

        result.rows = check_rows(
            main, check_row=check_row, progress=progress, no_rows=_("The file has headers but no rows of places.")
        )
        chemicals = source.sheets.get(CHEMICAL_SHEET)
        units = check_chemicals(chemicals, checker, rows, result) if chemicals else {}
    finally:
        source.close()
    return CheckedFile(rows, checker.present, units)


def check_chemicals(table: Table, checker: Checker, rows: list[Checked], result: ImportResult):
    """The optional sheet 危化品储存: inventories by unit, attached to rows of the places sheet."""
    if not has_headers(table.headers):
        return {}
    mapping = map_headers(table.headers, CHEMICAL_ALIASES, CHEMICAL_COLUMNS, result, sheet=CHEMICAL_SHEET)
    if result.error_count:
        return {}
    by_external = {r.values[INDEX["external_id"]]: i for i, r in enumerate(rows) if r.values[INDEX["external_id"]]}
    by_place: dict[tuple, int] = {}
    by_name: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_place[(r.values[INDEX["credit_code"]], r.values[INDEX["name"]])] = i
        by_name.setdefault(r.values[INDEX["name"]], []).append(i)
    keys = {c.key: i for i, c in enumerate(CHEMICAL_COLUMNS)}
    units: dict[int, dict[str, tuple[str, list]]] = {}
    prefix = f"{CHEMICAL_SHEET} · "
    for number, raw in table.rows:
        if not any(clean(c) is not None for c in raw):
            continue
        values: list[Any] = [None] * len(CHEMICAL_COLUMNS)
        bad = False
        for position, index in mapping:
            value = clean(raw[position]) if position < len(raw) else None
            column = CHEMICAL_COLUMNS[index]
            if value is None:
                if column.required:
                    result.add(RowError(number, prefix + column.header, "", _("This column is required."), "required"))
                    bad = True
                continue
            try:
                if column.kind == "choice":
                    code = checker.lk.choices[column.key].get(as_text(value))
                    if code is None:
                        raise unknown_choice(column)
                    values[index] = code
                else:
                    values[index] = checker.parse_cell(column, value)
            except CellError as error:
                result.add(RowError(number, prefix + column.header, as_text(value), error.message, error.code))
                bad = True
        if bad:
            continue
        external, name, credit = values[keys["external_id"]], values[keys["site_name"]], values[keys["credit_code"]]
        target = None
        if external:
            target = by_external.get(external)
        elif name and credit:
            target = by_place.get((credit, name))
        elif name and len(by_name.get(name, [])) == 1:
            target = by_name[name][0]
        if target is None:
            result.add(
                RowError(
                    number,
                    prefix + ("外部编号" if external else "场所名称"),
                    external or name or "",
                    _("No single row of the places sheet matches this place."),
                    "unknown_place",
                )
            )
            continue
        unit_name, kind = values[keys["unit_name"]], values[keys["unit_kind"]]
        site_units = units.setdefault(target, {})
        known = site_units.get(unit_name)
        if known and known[0] != kind:
            result.add(
                RowError(
                    number,
                    prefix + "单元类型",
                    UNIT_KIND_LABELS.get(kind, kind),
                    _("The unit has two kinds."),
                    "unit_kind",
                )
            )
            continue
        site_units.setdefault(unit_name, (kind, []))[1].append(
            (values[keys["substance"]], values[keys["cas_number"]] or "", values[keys["max_quantity_t"]])
        )
    return {i: [(name, kind, items) for name, (kind, items) in u.items()] for i, u in units.items()}
