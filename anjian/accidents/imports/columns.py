"""The columns of the accidents' import: its sheet, the Chinese headers with the other words users' sheets use for
them, and the Chinese labels of categories and GB 6441 types as district reports write them (data, not translated
strings; the codes and the English labels are accepted too)."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.core.imports.cells import as_text
from anjian.core.imports.columns import INT_MAX, Column, header_aliases

MAIN_SHEET = "事故"

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
    **header_aliases(COLUMNS),
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


def label_key(text: Any) -> str:
    return re.sub(r"\s+", "", as_text(text)).replace("（", "(").replace("）", ")").lower()


def _label_table(labels: dict, aliases: dict, choices) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in labels.items():
        table[label_key(code)] = str(code)
        table[label_key(label)] = str(code)
        table[label_key(label).replace("(", "").replace(")", "")] = str(code)
    for alias, code in aliases.items():
        table.setdefault(label_key(alias), str(code))
    for code, label in choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                table.setdefault(label_key(str(label)), code)
    return table


CATEGORY_TABLE = _label_table(CATEGORY_LABELS, CATEGORY_ALIASES, AccidentCategory.choices)
TYPE_TABLE = _label_table(TYPE_LABELS, TYPE_ALIASES, AccidentType.choices)
