"""The columns of the places' import and export: the sheets, their Chinese headers and the Chinese labels of the
typed choices, as users write them (data; the codes are accepted too)."""

from __future__ import annotations

import re

from anjian.core.imports.columns import INT_MAX, Column, choices_of, header_aliases
from anjian.registry.choices import ChemicalUnitKind, SiteStatus

MAIN_SHEET = "场所"
CHEMICAL_SHEET = "危化品储存"

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

# kind: text, person, credit, mobile, territory, sectors, subtypes, status, choice, cas, int, decimal, date
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
    Column("状态", "status", "status", choices=choices_of(STATUS_LABELS), note="空白为正常经营"),
    Column("建筑面积(㎡)", "floor_area", "decimal", minimum=0, places=2, digits=12),
    Column("地上层数", "floors", "int", minimum=0, maximum=200),
    Column("建筑高度(米)", "building_height", "decimal", minimum=0, places=2, digits=6),
    Column("设计容纳人数", "design_occupancy", "int", minimum=0, maximum=INT_MAX),
    Column("从业人员数", "employees", "int", minimum=0, maximum=INT_MAX),
    Column("建成年份", "year_built", "int", minimum=1800, maximum=2100),
    Column("结构类型", "structure_type", "choice", choices=choices_of(STRUCTURE_LABELS)),
    Column("经营用途", "business_use", "choice", choices=choices_of(BUSINESS_USE_LABELS), note="自建房"),
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
    Column("危险类型", "danger_type", "choice", choices=choices_of(DANGER_LABELS), note="道路危险路段"),
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
        "单元类型",
        "unit_kind",
        "choice",
        required=True,
        choices=choices_of(UNIT_KIND_LABELS),
        note="生产单元或储存单元",
    ),
    Column("物质名称", "substance", "text", required=True, max_length=100, note="必填"),
    Column("CAS号", "cas_number", "cas", note="如 7664-41-7"),
    Column("最大储量(吨)", "max_quantity_t", "decimal", required=True, minimum=0, places=3, digits=12),
)
CHEMICAL_HEADERS = [c.header for c in CHEMICAL_COLUMNS]

HEADER_ALIASES = header_aliases(COLUMNS)
CHEMICAL_ALIASES = header_aliases(CHEMICAL_COLUMNS)
