"""Import of historical accidents from Excel (.xlsx) and CSV files (issue "Accidents, statistics and briefings",
item 5).

The registry's import engine (:mod:`anjian.registry.imports`) reads the file (by content; CSV in UTF-8 or GBK),
maps the headers, parses numbers and writes the error sheet; this module adds the accident columns and rules:

1. every row is checked first — times, reported ≥ occurred, non-negative whole numbers of people, known
   category/sector/GB 6441 labels, the street in the district and in the importer's scope, the place visible to
   the importer, coordinates inside the street's boundary, duplicates within the file and against the accidents
   already recorded (same time of occurrence at the same place or address);
2. each row goes through :func:`anjian.accidents.services.clean_accident`, the same rules, grade (STANDARDS §4)
   and late-report flag (条例 第九条) as an accident recorded on the page — there is no second copy of them;
3. a file with any error writes nothing and yields the error sheet (行号/列/值/错误原因);
4. otherwise all rows are inserted in bulk in ONE transaction with ONE audit record.

The Chinese column headers and labels are data (what users' spreadsheets say), not translated strings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.accidents.models import Accident
from anjian.accidents.services import clean_accident
from anjian.core import audit, audit_labels, xlsx
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import imports as engine
from anjian.registry.imports import CellError, Column, ImportFileError, ImportResult, RowError
from anjian.registry.models import Site
from anjian.registry.services import _check_district_editable

MAIN_SHEET = "事故"
INSTRUCTIONS_SHEET = engine.INSTRUCTIONS_SHEET  # "填写说明": skipped by the reader
JOB_KIND = "accidents.accident_import"
BATCH = 1000

audit_labels.register({"accidents.accident.import": gettext_lazy("Imported accidents")})

# Chinese labels as district reports write them (data); the codes and the English labels are accepted too.
CATEGORY_LABELS = {
    AccidentCategory.PRODUCTION: "生产安全事故",
    AccidentCategory.ROAD_TRAFFIC: "道路交通事故(一般程序)",
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: "道路交通事故(简易程序)",
    AccidentCategory.FIRE: "火灾事故",
    AccidentCategory.OTHER: "其他事故",
}
CATEGORY_ALIASES = {
    "生产安全": AccidentCategory.PRODUCTION,
    "生产事故": AccidentCategory.PRODUCTION,
    "道路交通事故": AccidentCategory.ROAD_TRAFFIC,
    "一般程序道路交通事故": AccidentCategory.ROAD_TRAFFIC,
    "一般程序": AccidentCategory.ROAD_TRAFFIC,
    "简易程序道路交通事故": AccidentCategory.ROAD_TRAFFIC_SIMPLE,
    "简易程序": AccidentCategory.ROAD_TRAFFIC_SIMPLE,
    "火灾": AccidentCategory.FIRE,
    "其他": AccidentCategory.OTHER,
}
# GB 6441 in the order of STANDARDS §4 (and of AccidentType).
TYPE_LABELS = dict(
    zip(
        AccidentType.values,
        [
            "物体打击",
            "车辆伤害",
            "机械伤害",
            "起重伤害",
            "触电",
            "淹溺",
            "灼烫",
            "火灾",
            "高处坠落",
            "坍塌",
            "冒顶片帮",
            "透水",
            "放炮",
            "火药爆炸",
            "瓦斯爆炸",
            "锅炉爆炸",
            "容器爆炸",
            "其他爆炸",
            "中毒和窒息",
            "其他伤害",
        ],
        strict=True,
    )
)
TYPE_ALIASES = {
    "中毒窒息": AccidentType.POISONING,
    "其它伤害": AccidentType.OTHER,
    "其它爆炸": AccidentType.OTHER_EXPLOSION,
}
# A blank type is understood from the category where the category says it all.
DEFAULT_TYPES = {
    AccidentCategory.ROAD_TRAFFIC: AccidentType.VEHICLE,
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: AccidentType.VEHICLE,
    AccidentCategory.FIRE: AccidentType.FIRE,
}

INT_MAX = engine.INT_MAX
PEOPLE = {"minimum": 0, "maximum": INT_MAX}
COLUMNS: tuple[Column, ...] = (
    Column("发生时间", "occurred_at", "datetime", required=True, note="必填，如 2025-03-04 14:30"),
    Column("报告时间", "reported_at", "datetime", required=True, note="必填；晚于发生时间1小时的为迟报"),
    Column("场所外部编号", "external_id", "text", max_length=64, note="台账中场所的外部编号（可选）"),
    Column("统一社会信用代码", "credit_code", "text", max_length=18, note="与场所名称一起指明台账中的场所（可选）"),
    Column("场所名称", "site_name", "text", max_length=200, note="与统一社会信用代码一起填写"),
    Column("地址", "address", "text", max_length=300, note="未指明台账场所时必填"),
    Column("经度", "longitude", "decimal", minimum=-180, maximum=180, places=6, digits=9, note="须在所属街镇边界内"),
    Column("纬度", "latitude", "decimal", minimum=-90, maximum=90, places=6, digits=9),
    Column("所属街镇/园区", "territory", "territory", note="本区的街镇或园区；指明场所时可空（取场所所在街镇）"),
    Column(
        "事故类别",
        "category",
        "category",
        required=True,
        choices=tuple((str(k), v) for k, v in CATEGORY_LABELS.items()),
        note="必填",
    ),
    Column("行业领域", "sector", "sector", note="生产安全事故必填"),
    Column(
        "事故类型",
        "accident_type",
        "type",
        choices=tuple((str(k), v) for k, v in TYPE_LABELS.items()),
        note="按 GB 6441；道路交通事故空白为车辆伤害，火灾事故空白为火灾",
    ),
    Column("死亡人数", "deaths", "int", **PEOPLE),
    Column("重伤人数", "serious_injuries", "int", note="含急性工业中毒", **PEOPLE),
    Column("轻伤人数", "minor_injuries", "int", **PEOPLE),
    Column("失踪人数", "missing", "int", **PEOPLE),
    Column("直接经济损失(元)", "direct_loss", "decimal", minimum=0, places=2, digits=14, note="单位：元"),
    Column("事故简要情况", "summary", "text", required=True, max_length=5000, note="必填"),
)
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
HEADER_ALIASES = {
    **engine._aliases(COLUMNS),
    # Words users' own sheets use for the same columns.
    "事故发生时间": INDEX["occurred_at"],
    "接报时间": INDEX["reported_at"],
    "事故地点": INDEX["address"],
    "事故地址": INDEX["address"],
    "街镇": INDEX["territory"],
    "所属街镇": INDEX["territory"],
    "受伤人数(重伤)": INDEX["serious_injuries"],
    "直接经济损失": INDEX["direct_loss"],
    "简要情况": INDEX["summary"],
    "外部编号": INDEX["external_id"],
}
# Field names of clean_accident's errors → the column they belong to.
FIELD_COLUMNS = {
    "site": "场所名称",
    "territory": "所属街镇/园区",
    **{c.key: c.header for c in COLUMNS},
}


def _label_key(text: Any) -> str:
    return re.sub(r"\s+", "", engine._as_text(text)).replace("（", "(").replace("）", ")").lower()


def _table(labels: dict, aliases: dict, choices) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in labels.items():
        table[_label_key(code)] = str(code)
        table[_label_key(label)] = str(code)
        table[_label_key(label).replace("(", "").replace(")", "")] = str(code)
    for alias, code in aliases.items():
        table.setdefault(_label_key(alias), str(code))
    for code, label in choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                table.setdefault(_label_key(str(label)), code)
    return table


CATEGORY_TABLE = _table(CATEGORY_LABELS, CATEGORY_ALIASES, AccidentCategory.choices)
TYPE_TABLE = _table(TYPE_LABELS, TYPE_ALIASES, AccidentType.choices)


# --- cells ------------------------------------------------------------------------------------------

DATETIME_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?(?:\.\d+)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[时點点:：](?:(\d{1,2})分?)?(?:(\d{1,2})秒)?$"),
)


def _as_datetime(value: Any) -> dt.datetime:
    """A time of day is required (the late flag depends on it); Excel's date-time cells are taken as they are."""
    if isinstance(value, dt.datetime):
        moment = value.replace(microsecond=0)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = engine._as_text(value).strip()
        moment = None
        for pattern in DATETIME_PATTERNS:
            match = pattern.match(text)
            if match:
                parts = [int(g) if g else 0 for g in match.groups()]
                try:
                    moment = dt.datetime(*parts)
                except ValueError:
                    break
                break
        if moment is None:
            raise CellError(_("Enter a date and time such as 2025-03-04 14:30."), "datetime")
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_default_timezone())


@dataclass
class Lookups:
    """Names users write → objects, built once per import (a handful of queries)."""

    district: OrgUnit
    names: engine.Lookups  # the registry's: street names → ids, boundaries, sector names → codes
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
            names=engine.Lookups(district),
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
        scope = scope_of(actor) if actor is not None else None
        self.territory_ids = scope.territory_ids if scope and scope.level is ScopeLevel.TERRITORY else None
        self.sector_codes = scope.sector_codes if scope and scope.level is ScopeLevel.DEPARTMENT else None
        # The registry's checker words the coordinate errors (inside the street, swapped, outside the district).
        self.points = engine.Checker(
            actor=None, district=lookups.district, lookups=lookups.names, result=result, column_index=[]
        )
        self.now = timezone.now()
        self.seen: dict[tuple, int] = {}  # duplicate key → first row number
        self.pending: list[tuple[int, dict[str, Any]]] = []  # (row, parsed cells) awaiting the place lookup

    def error(self, row: int | None, column: str, value: Any, reason: str, code: str = "invalid") -> None:
        self.result.add(RowError(row, column, "" if value is None else engine._as_text(value), reason, code))

    def parse_cell(self, column: Column, value: Any) -> Any:
        kind = column.kind
        if kind == "text":
            text = engine._as_text(value)
            if len(text) > column.max_length:
                raise CellError(
                    _("At most %(n)s characters (this has %(m)s).") % {"n": column.max_length, "m": len(text)},
                    "too_long",
                )
            return text
        if kind == "int":
            return engine._as_int(value, column)
        if kind == "decimal":
            return engine._as_decimal(value, column)
        if kind == "datetime":
            return _as_datetime(value)
        if kind in {"category", "type"}:
            code = (CATEGORY_TABLE if kind == "category" else TYPE_TABLE).get(_label_key(value))
            if code is None:
                allowed = "、".join(label for _c, label in column.choices)
                raise CellError(_("Unknown value; use one of: %(allowed)s.") % {"allowed": allowed}, "choice")
            return code
        if kind == "territory":
            unit_id = self.lk.names.territories.get(engine._as_text(value))
            if unit_id is None:
                raise CellError(
                    _("No street or park of %(district)s has this name.") % {"district": self.lk.district.name},
                    "unknown_street",
                )
            return unit_id
        if kind == "sector":
            code = self.lk.names.sectors.get(engine._plain(engine._as_text(value)).lower())
            if code is None:
                raise CellError(_("Unknown sector “%(name)s”.") % {"name": engine._as_text(value)}, "unknown_sector")
            return code
        raise AssertionError(kind)

    def parse(self, number: int, raw) -> None:
        """Pass 1: every cell of a row parsed; the row waits for the bulk place lookup."""
        cells: dict[str, Any] = {}
        errors_before = self.result.error_count
        width = len(raw)
        for position, index in self.column_index:
            column = COLUMNS[index]
            value = engine._clean(raw[position]) if position < width else None
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
        elif lon is not None and values["territory"] is not None:
            self.points.check_point(number, values["territory"].pk, float(lon), float(lat))
        elif lon is not None:
            self.points.check_point(number, None, float(lon), float(lat))
        key = _duplicate_key(values)
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


def _duplicate_key(values: dict[str, Any]) -> tuple:
    """Same time of occurrence at the same registered place, or at the same address without one."""
    where = ("site", values["site"].pk) if values["site"] is not None else ("address", _label_key(values["address"]))
    return (values["occurred_at"], *where)


def _find_sites(checker: Checker, actor, district: OrgUnit) -> tuple[dict[int, Site], set[int]]:
    """Pass 1½: the places the rows name, found in bulk among the places the importer can see (a place out
    of scope reads as unknown: nothing tells the importer what exists). Returns (row → place, unmatched rows)."""
    found: dict[int, Site] = {}
    unmatched: set[int] = set()
    base = Site.objects.visible_to(actor) if actor is not None else Site.objects.all()
    base = base.filter(district=district).select_related("territory")
    externals = sorted({c["external_id"] for _n, c in checker.pending if c.get("external_id")})
    by_external: dict[str, Site] = {}
    for chunk in engine._chunks(externals):
        by_external.update({site.external_id: site for site in base.filter(external_id__in=chunk)})
    codes = sorted({c["credit_code"].upper() for _n, c in checker.pending if c.get("credit_code")})
    by_place: dict[tuple[str, str], list[Site]] = {}
    for chunk in engine._chunks(codes):
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


def _check_existing(rows: list[Row], district: OrgUnit, checker: Checker) -> None:
    """Duplicates of accidents already recorded: same district, time of occurrence and place or address."""
    index = {_duplicate_key(row.values): row.number for row in rows}
    moments = sorted({row.values["occurred_at"] for row in rows})
    for chunk in engine._chunks(moments):
        for occurred_at, site_id, address in Accident.objects.filter(
            district=district, occurred_at__in=chunk
        ).values_list("occurred_at", "site_id", "address"):
            keys = [(occurred_at, "site", site_id)] if site_id else [(occurred_at, "address", _label_key(address))]
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


# --- the engine -------------------------------------------------------------------------------------


def import_accidents(
    *,
    actor,
    district: OrgUnit,
    source: BinaryIO | bytes | str,
    filename: str = "",
    progress: engine.ProgressFn | None = None,
    job=None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row, then insert all of them in one transaction, or nothing.

    ``actor`` None is the command line without --user: no scope limits, like the services. ``on_written`` runs
    inside the write transaction once every row is written (see the registry's import_sites)."""
    result = ImportResult(filename=filename)
    data = engine._read_bytes(source)
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        if actor is not None:
            scope = scope_of(actor)
            if scope.level is ScopeLevel.ENTERPRISE or getattr(actor, "role", "") == "enterprise":
                raise PermissionDenied(_("Only a supervising officer records accidents."))
            _check_district_editable(actor, district)
        rows = _check_file(
            actor=actor, district=district, data=data, filename=filename, result=result, progress=progress
        )
    except PermissionDenied as error:
        result.add(RowError(None, "", filename, str(error), "permission"))
        return result
    except ImportFileError as error:
        result.add(RowError(None, "", filename, error.message, error.code))
        return result
    finally:
        del data
    if result.error_count or not rows:
        return result
    if progress:
        progress(result.rows, result.rows * 2, _("Writing %(n)s rows to the database…") % {"n": result.rows})
    try:
        _write(actor=actor, district=district, rows=rows, result=result, job=job, on_written=on_written)
    except PermissionDenied as error:
        result.add(RowError(None, "", filename, str(error), "permission"))
        return result
    result.ok = True
    if progress:
        progress(result.rows * 2, result.rows * 2, _("Done."))
    return result


def _check_file(*, actor, district, data, filename, result, progress) -> list[Row]:
    source = engine.open_source(data, filename)
    try:
        main = source.main
        if not any(engine._clean(h) is not None for h in main.headers):
            raise ImportFileError(_("The file has no header row: use the template."), "no_header")
        # The registry's MAIN_SHEET as the sheet name: errors of this sheet carry no sheet prefix.
        mapping = engine._map_headers(main.headers, HEADER_ALIASES, COLUMNS, engine.MAIN_SHEET, result)
        if result.error_count:
            return []
        checker = Checker(actor=actor, lookups=Lookups.build(district), result=result, column_index=mapping)
        count = 0
        estimate = main.estimate
        for number, raw in main.rows:
            if not any(raw) or all(engine._clean(c) is None for c in raw):
                continue
            count += 1
            if count > engine.MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows; split it into several files.") % {"max": engine.MAX_ROWS},
                    "too_many_rows",
                )
            checker.parse(number, raw)
            if progress and count % engine.PROGRESS_EVERY == 0:
                estimate = max(estimate, count)
                progress(count, estimate * 2, _("Checking row %(n)s…") % {"n": count})
        result.rows = count
        if count == 0:
            raise ImportFileError(_("The file has headers but no rows of accidents."), "no_rows")
    finally:
        source.close()
    sites, unmatched = _find_sites(checker, actor, district)
    rows = []
    for number, cells in checker.pending:
        if number in unmatched:
            continue  # the place lookup has reported it
        row = checker.check(number, cells, sites.get(number))
        if row is not None:
            rows.append(row)
    checker.pending = []
    if not result.error_count:
        _check_existing(rows, district, checker)
    result.errors.sort(key=lambda e: e.row or 0)
    return [] if result.error_count else rows


def _write(*, actor, district, rows: list[Row], result: ImportResult, job, on_written=None) -> None:
    """All rows in one transaction, in bulk; one audit record for the whole file."""
    now = timezone.now()
    with transaction.atomic():
        created_ids: list[int] = []
        for chunk in engine._chunks(rows, BATCH):
            objects = [Accident(created_by=actor, created_at=now, **row.values) for row in chunk]
            objects = Accident.objects.bulk_create(objects, batch_size=BATCH)
            ids = [obj.pk for obj in objects]
            if actor is not None:
                # A safety net behind the row checks: every accident must be in the importer's scope.
                for part in engine._chunks(ids):
                    if Accident.objects.editable_by(actor).filter(pk__in=part).count() != len(part):
                        raise PermissionDenied(_("This accident is outside your jurisdiction."))
            created_ids.extend(ids)
        result.created = len(created_ids)
        # One record for the file, not one per row (see the registry's import): it names the file by its
        # SHA-256 and the job, whose page lists the counts.
        audit.record(
            actor=actor,
            action="accidents.accident.import",
            obj=job,
            object_type="" if job else "accidents.import",
            object_repr=(result.filename or "-")[:300],
            after={
                **result.summary(),
                "ok": True,
                "district": district.pk,
                "job": getattr(job, "pk", None),
                "first_id": min(created_ids),
                "last_id": max(created_ids),
            },
        )
        if on_written is not None:
            on_written(result)


# --- the template -------------------------------------------------------------------------------------


def build_template(*, district: OrgUnit | None) -> bytes:
    """The empty template: the accidents sheet and an instructions sheet (labels, sectors, streets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = MAIN_SHEET
    # Text format keeps ids and credit codes from becoming numbers.
    engine.template_header(sheet, COLUMNS, formats={"text": "@", "datetime": "yyyy-mm-dd hh:mm"})

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 80
    headings = []

    def heading(text: str) -> None:
        notes.append([text])
        headings.append(notes.max_row)

    heading("填写说明")
    notes.append(["", "每行一起事故。任何一行有错误时，整个文件都不会导入，并可下载错误清单。"])
    notes.append(
        ["", "事故等级按《生产安全事故报告和调查处理条例》第三条由死亡、重伤人数和直接经济损失自动计算，无需填写。"]
    )
    notes.append(["", "报告时间晚于发生时间1小时的自动标记为迟报。"])
    notes.append(["", "同一发生时间、同一场所（或同一地址）的事故视为重复，不会导入。"])
    notes.append([])
    heading("列")
    engine.column_notes(notes, COLUMNS)
    notes.append([])
    heading("行业领域")
    for sector in Sector.objects.all():
        notes.append([sector.name, sector.code])
    if district is not None:
        notes.append([])
        heading(f"{district.name}的街镇、园区")
        for unit in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).order_by(
            "kind", "order", "id"
        ):
            notes.append([unit.name, unit.get_kind_display()])
    for number in headings:
        notes.cell(row=number, column=1).font = bold
    return xlsx.workbook_bytes(workbook)


# --- jobs ----------------------------------------------------------------------------------------------

runs_in_background = engine.runs_in_background  # the registry's thresholds: > 1 MB or > 2,000 rows
error_sheet = engine.error_sheet


def run_job(job) -> ImportResult | None:
    """Run a queued import job to its end: counts on success, errors and the error sheet on failure."""
    return engine.run_import_job(
        job,
        run_import=import_accidents,
        success_message=lambda result: _("%(n)s accidents imported.") % {"n": result.created},
        logger_name=__name__,
    )


# acks_late and reject_on_worker_lost: see anjian/registry/tasks.py.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_accident_import(self, job_id: int) -> dict:
    """Run one queued accident import (the task gets only the id; the job row holds the file and parameters)."""
    from anjian.core import jobs

    result = jobs.run_task(self, job_id, kinds=[JOB_KIND], run=run_job)
    return result.summary() if result is not None else {}
