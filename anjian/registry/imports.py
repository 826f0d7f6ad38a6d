"""Import of supervised places from Excel (.xlsx) and CSV files (issue: registry, item 3).

One engine for the upload page, the background task and ``manage.py import_sites``:

1. read the file (xlsx by content, CSV in UTF-8 with or without BOM, or GB18030/GBK as
   Chinese Excel writes it);
2. check EVERY row — types, the credit code's check character, streets, sectors and
   subtypes, coordinates inside the street's boundary, duplicates within the file, the
   importer's jurisdiction, the places it would update — before anything is written;
3. if any row is bad, write nothing and return the errors (row, column, value, reason),
   from which :func:`error_sheet` builds the downloadable error sheet;
4. otherwise write everything in ONE transaction, in bulk: enterprises upserted by
   credit code, places matched by external id (外部编号) or by credit code + name and
   updated instead of duplicated, sectors, status history, chemical inventories, and
   one audit record for the whole import.

The Chinese column headers are data (they are what the users' spreadsheets say), so
they are constants here, not translated strings; the error reasons are translated.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from anjian.core import audit, audit_labels, xlsx
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.core.xlsx import FORMULA_PREFIXES
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import standards
from anjian.registry.choices import ChemicalUnitKind, SiteStatus
from anjian.registry.models import (
    EXTERNAL_ID_TAKEN,
    ChemicalInventory,
    ChemicalUnit,
    Enterprise,
    Site,
    SiteSector,
    SiteStatusChange,
)
from anjian.registry.services import (
    ENTERPRISE_OUT_OF_REACH,
    STATUS_TRANSITIONS,
    _check_district_editable,
    enterprises_out_of_reach,
)
from anjian.registry.validators import validate_cas_number, validate_credit_code

MAX_ROWS = getattr(settings, "ANJIAN_IMPORT_MAX_ROWS", 200_000)
MAX_FILE_BYTES = getattr(settings, "ANJIAN_IMPORT_MAX_BYTES", 60 * 1024 * 1024)
MAX_ERRORS = 10_000  # kept for the error sheet; more are counted, not stored
BATCH = 1000
IN_CHUNK = 500  # ids per IN (…) query: well under SQLite's variable limit
PROGRESS_EVERY = 1000

MAIN_SHEET = "场所"
CHEMICAL_SHEET = "危化品储存"
INSTRUCTIONS_SHEET = "填写说明"

audit_labels.register({"registry.site.import": gettext_lazy("Imported places")})

# Chinese labels of the typed choices, as users write them (data; the codes are accepted too).
STATUS_LABELS = {
    SiteStatus.OPERATING: "正常经营",
    SiteStatus.SUSPENDED: "停产整顿",
    SiteStatus.CLOSED: "关闭取缔",
    SiteStatus.DEMOLISHED: "已拆除",
}
STATUS_ALIASES = {"在营": SiteStatus.OPERATING, "正常": SiteStatus.OPERATING, "营业": SiteStatus.OPERATING}
STRUCTURE_LABELS = {
    "brick_concrete": "砖混结构",
    "frame": "框架结构",
    "steel": "钢结构",
    "brick_wood": "砖木结构",
    "earth_wood": "土木结构",
    "other": "其他",
}
BUSINESS_USE_LABELS = {
    "none": "无经营（仅自住）",
    "catering": "餐饮",
    "lodging": "住宿",
    "shop": "商铺",
    "workshop": "生产加工",
    "rental": "群租",
    "other": "其他经营",
}
DANGER_LABELS = {
    "sharp_bend": "急弯",
    "steep_slope": "陡坡",
    "water_cliff": "临水临崖",
    "black_spot": "事故多发点段",
    "poor_sight": "视距不良",
    "junction": "危险路口",
    "other": "其他",
}
UNIT_KIND_LABELS = {ChemicalUnitKind.PRODUCTION: "生产单元", ChemicalUnitKind.STORAGE: "储存单元"}

LIST_SEPARATORS = re.compile(r"[、;；,，/\n]+")
MASK = "*"


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str  # text, person, credit, mobile, territory, sectors, subtypes, status, choice, int, decimal, date
    required: bool = False
    max_length: int = 0
    minimum: Any = None
    maximum: Any = None
    places: int = 0  # decimals
    digits: int = 0  # max digits
    choices: tuple[tuple[str, str], ...] = ()  # (code, Chinese label)
    note: str = ""  # shown on the instructions sheet


def _choices(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), label) for code, label in labels.items())


INT_MAX = 2_147_483_647
COLUMNS: tuple[Column, ...] = (
    Column("场所名称", "name", "text", required=True, max_length=200, note="必填"),
    Column("外部编号", "external_id", "text", max_length=64, note="本单位系统中的编号；再次导入时按它更新"),
    Column("统一社会信用代码", "credit_code", "credit", note="18位，校验位须正确；无外部编号时按它和场所名称更新"),
    Column("企业名称", "enterprise_name", "text", max_length=200, note="填写信用代码时必填（新企业）"),
    Column("法定代表人", "legal_representative", "person", max_length=50),
    Column("主要负责人", "principal", "person", max_length=50),
    Column("主要负责人手机", "principal_mobile", "mobile", note="11位手机号"),
    Column("所属街镇/园区", "territory", "territory", required=True, note="必填，须为本区的街镇或园区名称"),
    Column("详细地址", "address", "text", max_length=300),
    Column(
        "经度",
        "longitude",
        "decimal",
        minimum=-180,
        maximum=180,
        places=6,
        digits=9,
        note="如 120.15；须在所属街镇边界内",
    ),
    Column("纬度", "latitude", "decimal", minimum=-90, maximum=90, places=6, digits=9, note="如 30.25"),
    Column("行业领域", "sectors", "sectors", required=True, note="必填；多个用“、”或“;”分隔"),
    Column("细分类型", "subtypes", "subtypes", note="须属于所填行业领域；歧义时写成“行业领域:细分类型”"),
    Column("状态", "status", "status", choices=_choices(STATUS_LABELS), note="空白为正常经营"),
    Column("建筑面积(㎡)", "floor_area", "decimal", minimum=0, places=2, digits=12),
    Column("地上层数", "floors", "int", minimum=0, maximum=200),
    Column("建筑高度(米)", "building_height", "decimal", minimum=0, places=2, digits=6),
    Column("设计容纳人数", "design_occupancy", "int", minimum=0, maximum=INT_MAX),
    Column("从业人员数", "employees", "int", minimum=0, maximum=INT_MAX),
    Column("建成年份", "year_built", "int", minimum=1800, maximum=2100),
    Column("结构类型", "structure_type", "choice", choices=_choices(STRUCTURE_LABELS)),
    Column("经营用途", "business_use", "choice", choices=_choices(BUSINESS_USE_LABELS), note="自建房"),
    Column("施工许可证号", "construction_permit", "text", max_length=60),
    Column("施工面积(㎡)", "construction_area", "decimal", minimum=0, places=2, digits=12),
    Column("高危作业人数", "high_risk_workers", "int", minimum=0, maximum=INT_MAX),
    Column("烟花爆竹零售许可证号", "fireworks_permit", "text", max_length=60),
    Column("许可有效期起", "permit_valid_from", "date", note="如 2026-01-31"),
    Column("许可有效期止", "permit_valid_to", "date"),
    Column("活动日期", "event_date", "date"),
    Column("活动地点", "event_venue", "text", max_length=200),
    Column("预计参加人数", "expected_attendance", "int", minimum=0, maximum=INT_MAX),
    Column("道路名称", "road_name", "text", max_length=100),
    Column("起点桩号(公里)", "km_from", "decimal", places=3, digits=8),
    Column("止点桩号(公里)", "km_to", "decimal", places=3, digits=8),
    Column("危险类型", "danger_type", "choice", choices=_choices(DANGER_LABELS), note="道路危险路段"),
)
HEADERS = [c.header for c in COLUMNS]
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# Site fields written from the columns (the others are enterprise, territory, sectors, status).
SITE_KEYS = [
    c.key
    for c in COLUMNS
    if c.key not in {"credit_code", "enterprise_name", "legal_representative", "principal", "principal_mobile"}
    and c.kind not in {"territory", "sectors", "subtypes", "status"}
]
ENTERPRISE_KEYS = {
    "enterprise_name": "name",
    "legal_representative": "legal_representative",
    "principal": "principal",
    "principal_mobile": "principal_mobile",
}
PERSONAL_KEYS = {"legal_representative", "principal", "principal_mobile"}

CHEMICAL_COLUMNS: tuple[Column, ...] = (
    Column("外部编号", "external_id", "text", max_length=64, note="与“场所”表的外部编号对应"),
    Column("场所名称", "site_name", "text", max_length=200, note="无外部编号时与“场所”表的场所名称对应"),
    Column("统一社会信用代码", "credit_code", "credit"),
    Column("单元名称", "unit_name", "text", required=True, max_length=100, note="必填"),
    Column(
        "单元类型", "unit_kind", "choice", required=True, choices=_choices(UNIT_KIND_LABELS), note="生产单元或储存单元"
    ),
    Column("物质名称", "substance", "text", required=True, max_length=100, note="必填"),
    Column("CAS号", "cas_number", "cas", note="如 7664-41-7"),
    Column("最大储量(吨)", "max_quantity_t", "decimal", required=True, minimum=0, places=3, digits=12),
)
CHEMICAL_HEADERS = [c.header for c in CHEMICAL_COLUMNS]


def _header_key(text: Any) -> str:
    """Headers match ignoring spaces, a required-marker star and full-width brackets."""
    value = str(text or "").strip().replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"\s+", "", value).strip("*")


def _aliases(columns: Sequence[Column]) -> dict[str, int]:
    table: dict[str, int] = {}
    for index, column in enumerate(columns):
        table[_header_key(column.header)] = index
        bare = re.sub(r"\(.*?\)$", "", column.header)  # "建筑面积(㎡)" also as "建筑面积"
        table.setdefault(_header_key(bare), index)
    return table


HEADER_ALIASES = _aliases(COLUMNS)
CHEMICAL_ALIASES = _aliases(CHEMICAL_COLUMNS)


# --- results --------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None  # the spreadsheet's row number (1 = the header row); None for the whole file
    column: str
    value: str
    reason: str
    code: str = "invalid"


@dataclass
class ImportResult:
    ok: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    enterprises_created: int = 0
    enterprises_updated: int = 0
    chemical_units: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    sha256: str = ""
    filename: str = ""

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def summary(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "enterprises_created": self.enterprises_created,
            "enterprises_updated": self.enterprises_updated,
            "chemical_units": self.chemical_units,
            "error_count": self.error_count,
            "file": self.filename,
            "sha256": self.sha256,
        }


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, not Excel, bad encoding, wrong headers…)."""

    def __init__(self, message: str, code: str = "file"):
        super().__init__(message)
        self.message = message
        self.code = code


class CellError(Exception):
    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- geometry ---------------------------------------------------------------------------------


def _polygons(boundary) -> list[list[list[tuple[float, float]]]]:
    if not boundary or not isinstance(boundary, dict):
        return []
    coordinates = boundary.get("coordinates") or []
    polygons = coordinates if boundary.get("type") == "MultiPolygon" else [coordinates]
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]


def _in_polygon(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    """Ray casting, even-odd over all rings: a point in a hole is outside."""
    inside = False
    for ring in rings:
        xj, yj = ring[-1]
        for xi, yi in ring:
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            xj, yj = xi, yi
    return inside


def contains(boundary, lon: float, lat: float) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon contains the point (lon, lat)."""
    return Area(boundary).contains(float(lon), float(lat))


class Area:
    """A boundary prepared for many point tests: bounding boxes first, rings only when inside them."""

    def __init__(self, boundary):
        self.parts = []
        for rings in _polygons(boundary):
            if not rings or not rings[0]:
                continue
            xs = [p[0] for p in rings[0]]
            ys = [p[1] for p in rings[0]]
            self.parts.append(((min(xs), min(ys), max(xs), max(ys)), rings))

    def __bool__(self) -> bool:
        return bool(self.parts)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if not self.parts:
            return None
        boxes = [b for b, _r in self.parts]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def contains(self, x: float, y: float) -> bool:
        for (x0, y0, x1, y1), rings in self.parts:
            if x0 <= x <= x1 and y0 <= y <= y1 and _in_polygon(rings, x, y):
                return True
        return False


# --- reading files --------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[Any]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, values)
    estimate: int = 0


@dataclass
class Source:
    main: Table
    chemicals: Table | None = None
    close: Callable[[], None] = lambda: None


def _read_bytes(source: BinaryIO | bytes | str) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def open_source(data: bytes, filename: str) -> Source:
    """Choose the reader by content, not by name: a renamed binary must not reach the CSV parser."""
    if not data:
        raise ImportFileError(_("The file is empty (0 bytes)."), "empty_file")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it into several files.") % {"mb": MAX_FILE_BYTES // 2**20},
            "too_large",
        )
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        return _open_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("Old Excel 97-2003 files (.xls) are not supported: save the file as .xlsx and upload it again."),
            "xls",
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), "not_excel")
    if not name.endswith((".csv", ".txt")) and name:
        raise ImportFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), "file_type")
    return _open_csv(data)


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), "not_excel")


def _open_xlsx(data: bytes) -> Source:
    """Open a workbook from untrusted bytes. openpyxl parses its XML with defusedxml (a dependency), so a DTD
    with entities (an XML bomb, an external entity reaching for local files) is refused, not expanded.

    Every failure of the reader means one thing to the user, "not a valid workbook", wherever it is found: at
    opening, or in a sheet's rows long after the first (openpyxl reads them lazily while the rows are checked).
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any corrupt zip or workbook (BadZipFile, KeyError, ValueError, DefusedXmlException…)
        raise _not_a_workbook() from None
    sheets = {ws.title.strip(): ws for ws in workbook.worksheets}
    main = sheets.get(MAIN_SHEET)
    if main is None:
        candidates = [ws for title, ws in sheets.items() if title not in {CHEMICAL_SHEET, INSTRUCTIONS_SHEET}]
        if not candidates:
            workbook.close()
            raise ImportFileError(_("The workbook has no sheet of places."), "no_sheet")
        main = candidates[0]

    def read(ws) -> Iterator[tuple]:
        rows = ws.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception:
                # Only the reader's own errors land here (the consumer's run outside this try): a corrupt or
                # hostile sheet inside a valid zip, a forbidden entity, a broken deflate stream…
                raise _not_a_workbook() from None
            yield values

    def table(ws) -> Table:
        rows = read(ws)
        headers = list(next(rows, None) or [])
        try:
            estimate = max((ws.max_row or 1) - 1, 0) if ws.max_row else 0
        except Exception:  # a dimension the reader cannot parse
            raise _not_a_workbook() from None
        return Table(headers=headers, rows=enumerate(rows, start=2), estimate=estimate)

    try:
        chemicals = sheets.get(CHEMICAL_SHEET)
        return Source(
            main=table(main), chemicals=table(chemicals) if chemicals is not None else None, close=workbook.close
        )
    except ImportFileError:
        workbook.close()
        raise


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise GB18030, the superset of GBK that Chinese Excel writes."""
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            with contextlib.suppress(UnicodeDecodeError):  # not UTF-16 after all: refused below
                return data.decode("utf-16")
        raise ImportFileError(_("The file is not a text (CSV) file."), "not_text")
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: try what Chinese Excel writes
        return data.decode("utf-8-sig")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's encoding could not be read: save it as CSV in UTF-8 or GBK, or as .xlsx."), "encoding"
        ) from None


def _open_csv(data: bytes) -> Source:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        headers = []
    except csv.Error:
        raise ImportFileError(_("The file is not a valid CSV file."), "not_text") from None

    def rows():
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file is malformed near row %(row)s.") % {"row": reader.line_num}, "not_text"
            ) from error

    return Source(main=Table(headers=headers, rows=rows(), estimate=max(text.count("\n") - 1, 0)))


# --- cell parsing -----------------------------------------------------------------------------


def _clean(raw: Any) -> Any:
    """None for blank cells; strings stripped (also of full-width spaces and the export's escape)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        value = raw.strip().strip("\u3000\ufeff").strip()
        if not value:
            return None
        if value[0] == "'" and len(value) > 1 and value[1] in FORMULA_PREFIXES:
            value = value[1:]  # undo the formula-injection escape of our own export
        return value
    return raw


def _as_text(value: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_int(value: Any, column: Column) -> int:
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."), "integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Enter a whole number."), "integer")
        number = int(value)
    else:
        text = str(value).replace(",", "").replace("，", "").strip()
        text = re.sub(r"(人|层|年|个)$", "", text)
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise CellError(_("Enter a whole number."), "integer") from None
        if parsed != parsed.to_integral_value():
            raise CellError(_("Enter a whole number."), "integer")
        number = int(parsed)
    _check_range(number, column)
    return number


def _check_range(number, column: Column) -> None:
    if column.minimum is not None and number < column.minimum:
        raise CellError(_("The value must be at least %(min)s.") % {"min": column.minimum}, "range")
    if column.maximum is not None and number > column.maximum:
        raise CellError(_("The value must be at most %(max)s.") % {"max": column.maximum}, "range")


def _as_decimal(value: Any, column: Column) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter a number."), "number")
    try:
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise CellError(_("Enter a number."), "number") from None
    if not number.is_finite():
        raise CellError(_("Enter a number."), "number")
    number = number.quantize(Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP)
    _check_range(number, column)
    if column.digits and abs(number) >= Decimal(10) ** (column.digits - column.places):
        raise CellError(_("The number is too large."), "range")
    return number


DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _as_text(value).strip()
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise CellError(_("Enter a date such as 2026-01-31."), "date")


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
CREDIT_RE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")


class Lookups:
    """Names users write → codes and ids, built once per import (a handful of queries)."""

    def __init__(self, district: OrgUnit):
        self.district = district
        units = list(
            OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).only(
                "id", "name", "short_name", "boundary"
            )
        )
        self.territories: dict[str, int] = {}
        self.areas: dict[int, Area] = {}
        for unit in units:
            self.territories.setdefault(unit.name.strip(), unit.pk)
            if unit.short_name:
                self.territories.setdefault(unit.short_name.strip(), unit.pk)
            self.areas[unit.pk] = Area(unit.boundary)
        self.territory_names = {unit.pk: unit.name for unit in units}
        self.district_area = Area(district.boundary)
        # Where the district has no boundary of its own, its streets' boxes with a wide margin catch
        # the gross mistakes (another city, swapped coordinates) for places of streets without one.
        boxes = [a.bbox for a in self.areas.values() if a]
        self.extent = None
        if boxes:
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            margin = max(x1 - x0, y1 - y0) * 0.5 + 0.05
            self.extent = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)

        self.sectors: dict[str, str] = {}
        self.sector_names: dict[str, str] = {}
        for sector in Sector.objects.all():
            self.sector_names[sector.code] = sector.name
            for key in (sector.code, sector.name, sector.name_en, _plain(sector.name)):
                self.sectors.setdefault(_plain(key).lower(), sector.code)
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


def _plain(text: str) -> str:
    return re.sub(r"[“”\"'\s]", "", text or "")


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


# --- checking rows ------------------------------------------------------------------------------


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
        scope = scope_of(actor) if actor is not None else None
        self.territory_ids = scope.territory_ids if scope and scope.level is ScopeLevel.TERRITORY else None
        self.sector_codes = scope.sector_codes if scope and scope.level is ScopeLevel.DEPARTMENT else None
        self.credit_names: dict[str, tuple[str | None, int]] = {}
        self.external_rows: dict[str, int] = {}
        self.place_rows: dict[tuple[str, str], int] = {}
        self.credit_cache: dict[str, str | None] = {}

    def error(self, row: int, column: str, value: Any, reason: str, code: str = "invalid") -> None:
        self.result.add(RowError(row, column, "" if value is None else _as_text(value), reason, code))

    def parse_cell(self, column: Column, value: Any) -> Any:
        kind = column.kind
        if kind in {"text", "person"}:
            text = _as_text(value)
            if kind == "person" and MASK in text:
                return None  # a masked export value: keep what is stored
            if len(text) > column.max_length:
                raise CellError(
                    _("At most %(n)s characters (this has %(m)s).") % {"n": column.max_length, "m": len(text)},
                    "too_long",
                )
            return text
        if kind == "int":
            return _as_int(value, column)
        if kind == "decimal":
            return _as_decimal(value, column)
        if kind == "date":
            return _as_date(value)
        if kind == "credit":
            return self.parse_credit(value)
        if kind == "mobile":
            text = _as_text(value).replace(" ", "").replace("-", "")
            if MASK in text:
                return None
            if not MOBILE_RE.match(text):
                raise CellError(_("Enter an 11-digit mainland mobile number."), "mobile")
            return text
        if kind == "cas":
            text = _as_text(value)
            try:
                validate_cas_number(text)
            except ValidationError as error:
                raise CellError(error.messages[0], "cas") from None
            return text
        if kind in {"choice", "status"}:
            text = _as_text(value)
            code = self.lk.choices[column.key].get(text) or self.lk.choices[column.key].get(text.lower())
            if code is None:
                allowed = "、".join(label for _c, label in column.choices)
                raise CellError(_("Unknown value; use one of: %(allowed)s.") % {"allowed": allowed}, "choice")
            return code
        if kind == "territory":
            text = _as_text(value)
            unit_id = self.lk.territories.get(text)
            if unit_id is None:
                raise CellError(
                    _("No street or park of %(district)s has this name.") % {"district": self.district.name},
                    "unknown_street",
                )
            return unit_id
        if kind == "sectors":
            codes = []
            for part in LIST_SEPARATORS.split(_as_text(value)):
                if not part.strip():
                    continue
                code = self.lk.sectors.get(_plain(part).lower())
                if code is None:
                    raise CellError(_("Unknown sector “%(name)s”.") % {"name": part.strip()}, "unknown_sector")
                if code not in codes:
                    codes.append(code)
            return tuple(codes) or None
        if kind == "subtypes":
            return tuple(p.strip() for p in re.split(r"[、;；,，\n]+", _as_text(value)) if p.strip()) or None
        raise AssertionError(kind)

    def parse_credit(self, value: Any) -> str:
        text = _as_text(value).replace(" ", "").upper()
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
                value = _clean(value) if value else None
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
                    code = self.lk.sectors.get(_plain(sector_part).lower())
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
                self.lk.territory_names.get(v(INDEX["territory"])),
                _("You can import only places of your own street or park."),
                "out_of_scope",
            )
        if self.sector_codes is not None and not any(s in self.sector_codes for s, _sub in values[INDEX["sectors"]]):
            self.error(
                row,
                "行业领域",
                "、".join(self.lk.sector_names[s] for s, _sub in values[INDEX["sectors"]]),
                _("You can import only places of the sectors your department supervises."),
                "out_of_scope",
            )

    def check_point(self, row: int, territory_id: int, lon: float, lat: float) -> None:
        area = self.lk.areas.get(territory_id)
        where = self.lk.territory_names.get(territory_id, "")
        value = f"{lon}, {lat}"
        if area:
            if area.contains(lon, lat):
                return
            if area.contains(lat, lon):
                self.error(row, "经度", value, _("Longitude and latitude seem to be swapped."), "coordinates")
                return
            self.error(
                row,
                "经度",
                value,
                _("The point lies outside the boundary of %(unit)s.") % {"unit": where},
                "outside_street",
            )
            return
        if self.lk.district_area:
            inside = self.lk.district_area.contains(lon, lat)
        elif self.lk.extent:
            x0, y0, x1, y1 = self.lk.extent
            inside = x0 <= lon <= x1 and y0 <= lat <= y1
        else:
            return
        if not inside:
            self.error(
                row,
                "经度",
                value,
                _("The point lies outside %(district)s.") % {"district": self.district.name},
                "outside_district",
            )


def _map_headers(headers: list[Any], aliases: dict[str, int], columns, sheet: str, result: ImportResult):
    """[(position in file, column index)]; unknown, duplicate and missing required headers are errors."""
    from openpyxl.utils import get_column_letter

    mapping: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    prefix = f"{sheet} · " if sheet != MAIN_SHEET else ""
    last = max((i for i, h in enumerate(headers) if _clean(h) is not None), default=-1)
    for position, header in enumerate(headers[: last + 1]):
        key = _header_key(header)
        letter = prefix + get_column_letter(position + 1)
        if not key:
            result.add(RowError(1, letter, "", _("The column has no header."), "header"))
            continue
        index = aliases.get(key)
        if index is None:
            result.add(
                RowError(1, letter, _as_text(header), _("Unknown column header; use the template's headers."), "header")
            )
        elif index in seen:
            result.add(RowError(1, letter, _as_text(header), _("The column appears twice."), "header"))
        else:
            seen[index] = position
            mapping.append((position, index))
    for index, column in enumerate(columns):
        if column.required and index not in seen:
            result.add(
                RowError(
                    1,
                    prefix + column.header,
                    "",
                    _("The required column “%(h)s” is missing.") % {"h": column.header},
                    "header",
                )
            )
    return mapping


# --- the engine -------------------------------------------------------------------------------

ProgressFn = Callable[[int, int, str], None]


def import_sites(
    *,
    actor,
    district: OrgUnit,
    source: BinaryIO | bytes | str,
    filename: str = "",
    progress: ProgressFn | None = None,
    job=None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row of the file, then write all of it in one transaction, or nothing (issue item 3).

    ``actor`` None is the command line without --user: no scope limits, like the services. ``on_written`` runs
    inside the write transaction once every row is written (a job records its success there: both commit or
    neither); if it raises, nothing is written.
    """
    result = ImportResult(filename=filename)
    data = _read_bytes(source)
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        if actor is not None:
            if scope_of(actor).level is ScopeLevel.ENTERPRISE:
                raise PermissionDenied(_("You cannot import places."))
            _check_district_editable(actor, district)
        plan = _check_file(
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
    if result.error_count or plan is None:
        return result
    if progress:
        progress(result.rows, result.rows * 2, _("Writing %(n)s rows to the database…") % {"n": result.rows})
    _write(actor=actor, district=district, plan=plan, result=result, job=job, on_written=on_written)
    result.ok = True
    if progress:
        progress(result.rows * 2, result.rows * 2, _("Done."))
    return result


@dataclass
class Plan:
    rows: list[Checked]
    present: set[str]
    matches: dict[int, int]  # index in rows → existing site id
    existing_status: dict[int, str]
    enterprises: dict[str, dict[str, Any]]  # credit code → fields from the file (first non-empty wins)
    chemicals: dict[int, list[tuple[str, str, list[tuple[str, str, Decimal]]]]]  # row index → units


def _check_file(*, actor, district, data, filename, result, progress) -> Plan | None:
    source = open_source(data, filename)
    try:
        lookups = Lookups(district)
        main = source.main
        if not any(_clean(h) is not None for h in main.headers):
            raise ImportFileError(_("The file has no header row: use the template."), "no_header")
        mapping = _map_headers(main.headers, HEADER_ALIASES, COLUMNS, MAIN_SHEET, result)
        if result.error_count:
            return None
        checker = Checker(actor=actor, district=district, lookups=lookups, result=result, column_index=mapping)
        rows: list[Checked] = []
        estimate = main.estimate
        count = 0
        for number, raw in main.rows:
            if not any(raw) or all(_clean(c) is None for c in raw):
                continue  # blank lines at the end of a sheet are not rows
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows; split it into several files.") % {"max": MAX_ROWS},
                    "too_many_rows",
                )
            checked = checker.check(number, raw)
            if checked is not None:
                rows.append(checked)
            if progress and count % PROGRESS_EVERY == 0:
                estimate = max(estimate, count)
                progress(count, estimate * 2, _("Checking row %(n)s…") % {"n": count})
        result.rows = count
        if count == 0:
            raise ImportFileError(_("The file has headers but no rows of places."), "no_rows")
        chemicals = _check_chemicals(source.chemicals, checker, rows, result) if source.chemicals else {}
    finally:
        source.close()
    if result.error_count:
        return None
    plan = Plan(
        rows=rows,
        present=checker.present,
        matches={},
        existing_status={},
        enterprises={},
        chemicals=chemicals,
    )
    _match_existing(actor=actor, district=district, plan=plan, result=result)
    return None if result.error_count else plan


def _check_chemicals(table: Table, checker: Checker, rows: list[Checked], result: ImportResult):
    """The optional sheet 危化品储存: inventories by unit, attached to rows of the places sheet."""
    if not any(_clean(h) is not None for h in table.headers):
        return {}
    mapping = _map_headers(table.headers, CHEMICAL_ALIASES, CHEMICAL_COLUMNS, CHEMICAL_SHEET, result)
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
        if not any(_clean(c) is not None for c in raw):
            continue
        values: list[Any] = [None] * len(CHEMICAL_COLUMNS)
        bad = False
        for position, index in mapping:
            value = _clean(raw[position]) if position < len(raw) else None
            column = CHEMICAL_COLUMNS[index]
            if value is None:
                if column.required:
                    result.add(RowError(number, prefix + column.header, "", _("This column is required."), "required"))
                    bad = True
                continue
            try:
                if column.kind == "choice":
                    text = _as_text(value)
                    code = checker.lk.choices[column.key].get(text)
                    if code is None:
                        allowed = "、".join(label for _c, label in column.choices)
                        raise CellError(_("Unknown value; use one of: %(allowed)s.") % {"allowed": allowed}, "choice")
                    values[index] = code
                else:
                    values[index] = checker.parse_cell(column, value)
            except CellError as error:
                result.add(RowError(number, prefix + column.header, _as_text(value), error.message, error.code))
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


def _chunks(items: list, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match_existing(*, actor, district, plan: Plan, result: ImportResult) -> None:
    """Re-import updates instead of duplicating: by external id, else by (credit code, place name).

    Nothing here tells the importer what exists beyond their reach. External ids are the district's ledger
    numbers (unique per district), so only the import's district is searched, and a number held by a place the
    importer cannot change gets the same words as in the form (:data:`EXTERNAL_ID_TAKEN`), naming nothing of
    that place. The credit code and name match only places the importer sees, as in the accident import: one
    outside their scope reads as unknown. Enterprises follow the linking rule of the services
    (:func:`services.enterprises_out_of_reach`).
    """
    rows = plan.rows
    external_index = {r.values[INDEX["external_id"]]: i for i, r in enumerate(rows) if r.values[INDEX["external_id"]]}
    found: dict[int, tuple[int, int, str, str | None]] = {}  # row index → (site id, district id, status, ext id)
    for chunk in _chunks(list(external_index)):
        for ext, pk, district_id, status in Site.objects.filter(district=district, external_id__in=chunk).values_list(
            "external_id", "pk", "district_id", "status"
        ):
            found[external_index[ext]] = (pk, district_id, status, ext)

    place_index = {
        (r.values[INDEX["credit_code"]], r.values[INDEX["name"]]): i
        for i, r in enumerate(rows)
        if r.values[INDEX["credit_code"]] and i not in found
    }
    codes = sorted({code for code, _name in place_index})
    by_place: dict[int, list[tuple[int, int, str, str | None]]] = {}
    seen = Site.objects.visible_to(actor) if actor is not None else Site.objects.all()
    for chunk in _chunks(codes):
        for code, name, pk, district_id, status, ext in seen.filter(
            district=district, enterprise__credit_code__in=chunk
        ).values_list("enterprise__credit_code", "name", "pk", "district_id", "status", "external_id"):
            index = place_index.get((code, name))
            if index is not None:
                by_place.setdefault(index, []).append((pk, district_id, status, ext))
    for index, candidates in by_place.items():
        row = rows[index]
        ext = row.values[INDEX["external_id"]]
        # A place that already has another external id is a different place of the same name.
        candidates = [c for c in candidates if not ext or not c[3] or c[3] == ext]
        if len(candidates) > 1:
            result.add(
                RowError(
                    row.row,
                    "场所名称",
                    row.values[INDEX["name"]],
                    _("Several registered places have this credit code and name; give the external id."),
                    "ambiguous",
                )
            )
        elif candidates:
            found[index] = candidates[0]

    editable: set[int] | None = None
    if actor is not None:
        editable = set()
        ids = [f[0] for f in found.values()]
        for chunk in _chunks(ids):
            editable.update(Site.objects.editable_by(actor).filter(pk__in=chunk).values_list("pk", flat=True))
    claimed: dict[int, int] = {}
    for index, (pk, district_id, status, _ext) in sorted(found.items()):
        row = rows[index]
        column = "外部编号" if row.values[INDEX["external_id"]] else "场所名称"
        value = row.values[INDEX["external_id"]] or row.values[INDEX["name"]]
        if (editable is not None and pk not in editable) or district_id != district.pk:
            # Only an external id can match a place beyond reach (the credit code and name match only the places
            # the importer sees): the ledger number is taken, and that is all the row is told.
            result.add(RowError(row.row, column, value, str(EXTERNAL_ID_TAKEN), "external_id_taken"))
            continue
        if pk in claimed:
            result.add(
                RowError(
                    row.row,
                    column,
                    value,
                    _("Row %(row)s already updates the same place.") % {"row": rows[claimed[pk]].row},
                    "duplicate_place",
                )
            )
            continue
        claimed[pk] = index
        new_status = row.values[INDEX["status"]]
        if new_status and new_status != status and new_status not in STATUS_TRANSITIONS[status]:
            result.add(
                RowError(
                    row.row,
                    "状态",
                    STATUS_LABELS.get(new_status, new_status),
                    _("A place that is “%(current)s” cannot become “%(target)s”.")
                    % {
                        "current": STATUS_LABELS.get(status, status),
                        "target": STATUS_LABELS.get(new_status, new_status),
                    },
                    "status",
                )
            )
            continue
        plan.matches[index] = pk
        plan.existing_status[index] = status

    # Enterprises: the first non-empty value of each field in the file; a new one needs its name.
    enterprises: dict[str, dict[str, Any]] = {}
    first_row: dict[str, Checked] = {}
    for row in rows:
        code = row.values[INDEX["credit_code"]]
        if not code:
            continue
        data = enterprises.setdefault(code, {})
        first_row.setdefault(code, row)
        for key, field_name in ENTERPRISE_KEYS.items():
            value = row.values[INDEX[key]]
            if value is not None and field_name not in data:
                data[field_name] = value
    # An enterprise the importer cannot see is not linked to (the services' rule): the same words for each.
    out_of_reach = enterprises_out_of_reach(actor, enterprises)
    for code in sorted(out_of_reach, key=lambda code: first_row[code].row):
        row = first_row[code]
        result.add(RowError(row.row, "统一社会信用代码", code, str(ENTERPRISE_OUT_OF_REACH), "enterprise_out_of_reach"))
        del enterprises[code]
    existing: set[str] = set()
    stored_names: dict[str, str] = {}
    locked: set[str] = set()  # enterprises with places the importer cannot edit: linked to, never changed
    editable = Site.objects.editable_by(actor).values("pk") if actor is not None else None
    for chunk in _chunks(list(enterprises)):
        for code, name in Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "name"):
            existing.add(code)
            stored_names[code] = name
        if editable is not None:
            locked.update(
                Site.objects.filter(enterprise__credit_code__in=chunk)
                .exclude(pk__in=editable)
                .values_list("enterprise__credit_code", flat=True)
                .distinct()
            )
    for code in locked:
        new_name = enterprises[code].get("name")
        if new_name and new_name != stored_names[code]:
            row = first_row[code]
            result.add(
                RowError(
                    row.row,
                    "企业名称",
                    new_name,
                    _("Credit code %(code)s is registered to “%(name)s”.") % {"code": code, "name": stored_names[code]},
                    "enterprise_locked",
                )
            )
        enterprises[code] = {}
    for code, data in enterprises.items():
        if code not in existing and not data.get("name"):
            row = first_row[code]
            result.add(
                RowError(
                    row.row,
                    "企业名称",
                    "",
                    _("Give the name of the new enterprise %(code)s.") % {"code": code},
                    "required",
                )
            )
    plan.enterprises = enterprises


def _adapters(model, names: list[str]):
    """Per column, the conversion Django would apply for this backend (dates, datetimes, decimals)."""
    ops = connection.ops
    adapters = []
    for name in names:
        field_obj = model._meta.get_field(name)
        kind = field_obj.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            adapters.append(lambda v, f=field_obj: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        else:
            adapters.append(None)
    return adapters


def _convert(rows, adapters):
    for values in rows:
        yield tuple(v if a is None or v is None else a(v) for v, a in zip(values, adapters, strict=True))


def _insert(model, names: list[str], rows: list[tuple]) -> list[int]:
    """INSERT … RETURNING id — what bulk_create does, without building model instances.

    At 100,000 places Django's per-instance and per-value work in bulk_create costs several times
    the database's own time; the values here are already validated and typed. PostgreSQL gets
    one array parameter per column (INSERT … SELECT FROM unnest(…), as Django 5.2 does), since
    binding tens of thousands of scalar parameters costs more than the insert.
    """
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover - PostgreSQL, SQLite >= 3.35
        raise RuntimeError("the database cannot return ids from a bulk insert")
    opts = model._meta
    fields = [opts.get_field(n) for n in names]
    quote = connection.ops.quote_name
    adapters = _adapters(model, names)
    # Table and column names come from the model's metadata; every value is a query parameter.
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(opts.pk.column)}"
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            sql = f"{head}SELECT * FROM unnest({arrays}){tail}"  # noqa: S608
            for start in range(0, len(rows), BATCH * 5):
                part = list(_convert(rows[start : start + BATCH * 5], adapters))
                cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])
                ids.extend(r[0] for r in cursor.fetchall())
            return ids
        limit = connection.features.max_query_params  # SQLite: 999 parameters a statement
        batch = max(1, min(BATCH, limit // len(fields))) if limit else BATCH
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), batch):
            part = list(_convert(rows[start : start + batch], adapters))
            cursor.execute(head + "VALUES " + ", ".join([one] * len(part)) + tail, [v for r in part for v in r])
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _update(model, names: list[str], rows: list[tuple]) -> None:
    """Set the columns of many rows, each given as (values…, id), without bulk_update's CASE per field."""
    if not rows:
        return
    opts = model._meta
    fields = [opts.get_field(n) for n in names]
    quote = connection.ops.quote_name
    adapters = [*_adapters(model, names), None]
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            aliases = [f"c{i}" for i in range(len(fields))]
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [*fields, opts.pk])
            assignments = ", ".join(f"{quote(f.column)} = v.{a}" for f, a in zip(fields, aliases, strict=True))
            sql = (
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) "  # noqa: S608
                f"AS v({', '.join(aliases)}, id) WHERE {table}.{pk} = v.id"
            )
            for start in range(0, len(rows), BATCH * 5):
                part = list(_convert(rows[start : start + BATCH * 5], adapters))
                cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])
            return
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, list(_convert(rows[start : start + BATCH], adapters)))


SITE_INSERT = ["created_at", "updated_at", "district", "territory", "enterprise", "status", "risk_level", "risk_reason"]


def _write(*, actor, district: OrgUnit, plan: Plan, result: ImportResult, job, on_written=None) -> None:
    """Everything in one transaction, in bulk; one audit record (see the comment at the end)."""
    rows = plan.rows
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic():
        # Enterprises, upserted by credit code.
        enterprise_ids: dict[str, int] = {}
        codes = list(plan.enterprises)
        to_update: list[Enterprise] = []
        updated_fields: set[str] = set()
        for chunk in _chunks(codes):
            for enterprise in Enterprise.objects.filter(credit_code__in=chunk):
                enterprise_ids[enterprise.credit_code] = enterprise.pk
                changed = False
                for name, value in plan.enterprises[enterprise.credit_code].items():
                    if getattr(enterprise, name) != value:
                        setattr(enterprise, name, value)
                        updated_fields.add(name)
                        changed = True
                if changed:
                    to_update.append(enterprise)
        if to_update:
            Enterprise.objects.bulk_update(to_update, sorted(updated_fields), batch_size=BATCH)
        result.enterprises_updated = len(to_update)
        new_codes = [c for c in codes if c not in enterprise_ids]
        names = ["created_at", "updated_at", "credit_code", *ENTERPRISE_KEYS.values()]
        new_ids = _insert(
            Enterprise,
            names,
            [
                (now, now, code, *(plan.enterprises[code].get(n) or "" for n in ENTERPRISE_KEYS.values()))
                for code in new_codes
            ],
        )
        enterprise_ids.update(zip(new_codes, new_ids, strict=True))
        result.enterprises_created = len(new_codes)

        # New places, with their sectors and the first entry of their status history.
        creating = [i for i in range(len(rows)) if i not in plan.matches]
        # Every column for new places: an absent column gives the field's empty value (NOT NULL texts get "").
        site_keys = list(SITE_KEYS)
        nullable = {k: Site._meta.get_field(k).null for k in site_keys}
        for chunk in _chunks(creating, BATCH * 5):
            site_rows = []
            statuses = []
            for i in chunk:
                values = rows[i].values
                code = values[INDEX["credit_code"]]
                status = values[INDEX["status"]] or SiteStatus.OPERATING
                statuses.append(status)
                site_rows.append(
                    (
                        now,
                        now,
                        district.pk,
                        values[INDEX["territory"]],
                        enterprise_ids.get(code) if code else None,
                        status,
                        "",
                        "",
                        *(
                            values[INDEX[k]] if values[INDEX[k]] is not None else (None if nullable[k] else "")
                            for k in site_keys
                        ),
                    )
                )
            ids = _insert(Site, SITE_INSERT + site_keys, site_rows)
            del site_rows
            _insert(
                SiteSector,
                ["site", "sector", "subtype"],
                [
                    (pk, code, subtype)
                    for pk, i in zip(ids, chunk, strict=True)
                    for code, subtype in rows[i].values[INDEX["sectors"]]
                ],
            )
            _insert(
                SiteStatusChange,
                ["site", "from_status", "to_status", "reason", "changed_by", "changed_at"],
                [(pk, "", status, "", actor_id, now) for pk, status in zip(ids, statuses, strict=True)],
            )
            for pk, i in zip(ids, chunk, strict=True):
                plan.matches.setdefault(i, pk)
        result.created = len(creating)

        # Places that were already registered: updated in bulk, their sectors replaced.
        updating = list(plan.existing_status)
        reason = _("Import of %(file)s") % {"file": result.filename or "-"}
        update_keys = [k for k in site_keys if k != "external_id"]
        for chunk in _chunks(updating, BATCH * 5):
            ids = [plan.matches[i] for i in chunk]
            with_enterprise, without_enterprise, history = [], [], []
            for i in chunk:
                values = rows[i].values
                pk = plan.matches[i]
                old_status = plan.existing_status[i]
                status = values[INDEX["status"]] or old_status
                if status != old_status:
                    history.append((pk, old_status, status, reason, actor_id, now))
                fields = (
                    now,
                    values[INDEX["territory"]],
                    status,
                    *(
                        values[INDEX[k]] if values[INDEX[k]] is not None else (None if nullable[k] else "")
                        for k in update_keys
                    ),
                )
                if values[INDEX["external_id"]] is not None:
                    fields = (*fields, values[INDEX["external_id"]])
                code = values[INDEX["credit_code"]]
                # An empty credit code keeps the stored enterprise (a cell left blank is not an unlinking).
                (with_enterprise if code else without_enterprise).append(
                    (fields, enterprise_ids[code] if code else None, pk, values[INDEX["external_id"]] is not None)
                )
            base = ["updated_at", "territory", "status", *update_keys]
            for group, link in ((with_enterprise, True), (without_enterprise, False)):
                for has_external in (True, False):
                    part = [g for g in group if g[3] is has_external]
                    names = base + (["external_id"] if has_external else []) + (["enterprise"] if link else [])
                    _update(
                        Site,
                        names,
                        [(*fields, *((enterprise,) if link else ()), pk) for fields, enterprise, pk, _e in part],
                    )
            for part_ids in _chunks(ids):
                SiteSector.objects.filter(site_id__in=part_ids).delete()
            _insert(
                SiteSector,
                ["site", "sector", "subtype"],
                [(plan.matches[i], code, subtype) for i in chunk for code, subtype in rows[i].values[INDEX["sectors"]]],
            )
            _insert(
                SiteStatusChange, ["site", "from_status", "to_status", "reason", "changed_by", "changed_at"], history
            )
        result.updated = len(updating)

        # Chemical inventories: the sheet replaces the units of the places it names.
        if plan.chemicals:
            site_ids = [plan.matches[i] for i in plan.chemicals]
            for chunk in _chunks(site_ids):
                ChemicalUnit.objects.filter(site_id__in=chunk).delete()
            units = [
                ChemicalUnit(site_id=plan.matches[i], name=name, kind=kind)
                for i, site_units in plan.chemicals.items()
                for name, kind, _items in site_units
            ]
            units = ChemicalUnit.objects.bulk_create(units, batch_size=BATCH)
            items = [entry for site_units in plan.chemicals.values() for _n, _k, entry in site_units]
            ChemicalInventory.objects.bulk_create(
                [
                    ChemicalInventory(unit_id=unit.pk, substance=substance, cas_number=cas, max_quantity_t=quantity)
                    for unit, entries in zip(units, items, strict=True)
                    for substance, cas, quantity in entries
                ],
                batch_size=BATCH,
            )
            result.chemical_units = len(units)

        # One audit record for the whole import, not one per row: per-row records would make a
        # 100,000-row import unusable (each append locks and extends the hash chain). The record
        # names the file by its SHA-256 and the job, whose page lists the counts.
        audit.record(
            actor=actor,
            action="registry.site.import",
            obj=job,
            object_type="" if job else "registry.import",
            object_repr=(result.filename or "-")[:300],
            after={**result.summary(), "ok": True, "district": district.pk, "job": getattr(job, "pk", None)},
        )
        if on_written is not None:
            on_written(result)


# --- template and error sheet ---------------------------------------------------------------------


def template_header(sheet, columns: Sequence[Column], *, formats: dict[str, str]) -> None:
    """A template sheet's header row: bold, required columns shaded, widths from the headers, the number format of
    ``formats[column.kind]`` on the first 1,000 rows, the header frozen."""
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([c.header for c in columns])
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = bold
        if column.required:
            cell.fill = required
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 2)
        if column.kind in formats:
            for row in range(2, 1002):
                sheet.cell(row=row, column=cell.column).number_format = formats[column.kind]
    sheet.freeze_panes = "A2"


def column_notes(notes, columns: Sequence[Column]) -> None:
    """One instructions row per column: its note and the labels it accepts."""
    for column in columns:
        text = column.note
        if column.choices:
            text = f"{text}；可选：{'、'.join(label for _c, label in column.choices)}".lstrip("；")
        notes.append([column.header, text])


def build_template(*, district: OrgUnit | None) -> bytes:
    """The empty template: the places sheet, the chemicals sheet and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = MAIN_SHEET
    # Text format keeps credit codes, ids and mobiles from becoming numbers.
    formats = dict.fromkeys(("text", "credit", "mobile", "person", "cas"), "@")
    for sheet_obj, columns in ((sheet, COLUMNS), (workbook.create_sheet(CHEMICAL_SHEET), CHEMICAL_COLUMNS)):
        template_header(sheet_obj, columns, formats=formats)

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 70
    notes.append(["填写说明"])
    notes["A1"].font = bold
    notes.append(["", "每行一个监管对象。任何一行有错误时，整个文件都不会导入，并可下载错误清单。"])
    notes.append(["", "再次导入同一场所时按“外部编号”更新；没有外部编号时按“统一社会信用代码 + 场所名称”更新。"])
    notes.append(["", "“危化品储存”表可选：按生产/储存单元填写物质、CAS号和最大储量；导入时替换该场所原有的储存清单。"])
    notes.append([])
    notes.append(["列", "说明"])
    column_notes(notes, COLUMNS)
    notes.append([])
    notes.append(["行业领域", "细分类型"])
    for sector in Sector.objects.all():
        options = "、".join(label for _c, label in standards.SUBTYPES.get(sector.code, []))
        notes.append([sector.name, options])
    if district is not None:
        notes.append([])
        notes.append([f"{district.name}的街镇、园区"])
        for unit in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).order_by(
            "kind", "order", "id"
        ):
            notes.append([unit.name, unit.get_kind_display()])
    for row in notes.iter_rows():
        if row[0].value in {"列", "行业领域", "填写说明"} or str(row[0].value or "").endswith("的街镇、园区"):
            for cell in row:
                cell.font = bold
    return xlsx.workbook_bytes(workbook)


def error_sheet(result: ImportResult) -> bytes:
    """The downloadable list of errors: row, column, value, reason."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for error in result.errors:
        sheet.append(xlsx.escape_row((error.row, error.column, error.value, error.reason)))
    if result.error_count > len(result.errors):
        sheet.append(["", "", "", _("… and %(n)s more errors.") % {"n": result.error_count - len(result.errors)}])
    return xlsx.workbook_bytes(workbook)


# --- jobs -----------------------------------------------------------------------------------------

JOB_KIND = "registry.site_import"
INLINE_MAX_BYTES = getattr(settings, "ANJIAN_IMPORT_INLINE_MAX_BYTES", 1024 * 1024)
INLINE_MAX_ROWS = getattr(settings, "ANJIAN_IMPORT_INLINE_MAX_ROWS", 2000)
ERRORS_ON_PAGE = 200


def runs_in_background(data: bytes, filename: str) -> bool:
    """Large files (> 1 MB or > 2,000 rows) go to a background job; small ones run in the request."""
    if len(data) > INLINE_MAX_BYTES:
        return True
    try:
        source = open_source(data, filename)
    except ImportFileError:
        return False  # answered at once by the inline run
    try:
        return source.main.estimate > INLINE_MAX_ROWS
    finally:
        source.close()


def run_job(job) -> ImportResult | None:
    """Run a queued import job to its end: counts on success, errors and the error sheet on failure."""
    return run_import_job(
        job,
        run_import=import_sites,
        success_message=lambda result: (
            _("%(created)s places created, %(updated)s updated.")
            % {"created": result.created, "updated": result.updated}
        ),
        logger_name=__name__,
    )


def run_import_job(
    job, *, run_import: Callable[..., ImportResult], success_message: Callable[[ImportResult], str], logger_name: str
) -> ImportResult | None:
    """The job run every import shares (places here, accidents reuse it): the import as the job's creator, in the
    language of the upload, with progress reports and a heartbeat; the job's success is recorded inside the
    import's write transaction (a worker killed in between leaves both or neither); the first errors and the
    error sheet on failure, a clear message and a log entry on anything unexpected. A run that lost its job
    (declared interrupted, or taken over by a redelivered task) stops and writes nothing."""
    import logging

    from django.core.files.base import ContentFile

    from anjian.core import jobs
    from anjian.core.models import JobFailure

    if not jobs.start(job, message=_("Reading the file…")):
        return None
    logger = logging.getLogger(logger_name)
    language = job.params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language), jobs.beating(job):
        try:
            district = OrgUnit.objects.get(pk=job.params["district"])
            with job.input_file.open("rb") as handle:
                data = handle.read()
            last = [0]
            written = [False]

            def progress(done: int, total: int, message: str) -> None:
                # After the success was recorded (with the rows), the job is finished: the last "Done." is moot.
                if written[0]:
                    return
                if done - last[0] >= PROGRESS_EVERY or done >= total or done < last[0]:
                    last[0] = done
                    jobs.report_progress(job, done=done, total=total, message=message)

            def record_success(result: ImportResult) -> None:
                jobs.succeed(job, result={**result.summary(), "ok": True}, message=success_message(result))
                written[0] = True

            result = run_import(
                actor=job.created_by,
                district=district,
                source=data,
                filename=job.input_name,
                progress=progress,
                job=job,
                on_written=record_success,
            )
        except jobs.ClaimLost:
            logger.warning("import job %s: this run lost its claim and stopped; nothing was written", job.pk)
            return None
        except Exception:
            # Logged for the operators; the user gets a clear page, never a 500 (the transaction rolled back).
            logger.exception("import job %s failed", job.pk)
            jobs.fail(job, message=_("The import failed unexpectedly; nothing was written."), failure=JobFailure.ERROR)
            return None
        if not result.ok:
            summary = result.summary()
            summary["errors"] = [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason, "code": e.code}
                for e in result.errors[:ERRORS_ON_PAGE]
            ]
            jobs.fail(
                job,
                message=_("%(n)s errors found; nothing was imported.") % {"n": result.error_count},
                result=summary,
                error_file=ContentFile(error_sheet(result)),
            )
    return result
