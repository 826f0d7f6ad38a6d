"""Sector subtypes and typed facts of supervised places (STANDARDS §1; issue: registry)."""

from django.utils.translation import gettext_lazy as _

# Subtypes of the sectors that have them: code → Chinese label (data, shown as is).
SUBTYPES: dict[str, list[tuple[str, str]]] = {
    "crowded_place": [
        ("mall", "商场"),
        ("hotel", "宾馆"),
        ("restaurant", "饭店"),
        ("school", "学校"),
        ("hospital", "医院"),
        ("entertainment", "公共娱乐场所"),
    ],
    "fireworks": [
        ("production", "生产"),
        ("wholesale", "批发"),
        ("retail", "零售"),
        ("temporary_retail", "临时零售点"),
    ],
    "road_traffic": [("dangerous_section", "危险路段"), ("key_vehicle_unit", "重点车辆单位")],
    "hazchem": [
        ("production", "生产"),
        ("storage", "储存"),
        ("trading", "经营"),
        ("transport", "运输"),
        ("use", "使用"),
        ("disposal", "废弃处置"),
    ],
    "special_equipment": [
        ("elevator", "电梯"),
        ("boiler", "锅炉"),
        ("pressure_vessel", "压力容器"),
        ("crane", "起重机械"),
    ],
    "construction": [("building", "房屋建筑工程"), ("municipal_works", "市政工程")],
    "city_gas": [("restaurant_user", "餐饮用户"), ("station", "燃气场站"), ("pipeline", "燃气管网")],
}


def subtype_label(sector: str, subtype: str) -> str:
    return dict(SUBTYPES.get(sector, [])).get(subtype, subtype)


STRUCTURE_TYPES = [
    ("brick_concrete", _("Brick-concrete")),
    ("frame", _("Frame")),
    ("steel", _("Steel")),
    ("brick_wood", _("Brick-wood")),
    ("earth_wood", _("Earth-wood")),
    ("other", _("Other")),
]

BUSINESS_USES = [
    ("none", _("None (residential only)")),
    ("catering", _("Catering")),
    ("lodging", _("Lodging")),
    ("shop", _("Shop")),
    ("workshop", _("Production or processing")),
    ("rental", _("Group rental")),
    ("other", _("Other business")),
]

ROAD_DANGER_TYPES = [
    ("sharp_bend", _("Sharp bend")),
    ("steep_slope", _("Steep slope")),
    ("water_cliff", _("Beside water or cliff")),
    ("black_spot", _("Accident black spot")),
    ("poor_sight", _("Poor sight distance")),
    ("junction", _("Dangerous junction")),
    ("other", _("Other")),
]


# GB 18218-2018 Table 2 hazard categories (code, heading of the row in the standard; data shown as is). The risk
# module's Table 2 Q and Table 4 β are keyed by these codes (anjian/risk/substances.py checks they agree).
HAZARD_CATEGORY_CHOICES: tuple[tuple[str, str], ...] = (
    ("J1", "J1 急性毒性 类别1，所有暴露途径，气体"),
    ("J2", "J2 急性毒性 类别1，所有暴露途径，固体、液体"),
    ("J3", "J3 急性毒性 类别2、类别3，所有暴露途径，气体"),
    ("J4", "J4 急性毒性 类别2、类别3，吸入途径，液体（沸点≤35℃）"),
    ("J5", "J5 急性毒性 类别2，所有暴露途径，液体（除J4外）、固体"),
    ("W1.1", "W1.1 爆炸物 不稳定爆炸物、1.1项爆炸物"),
    ("W1.2", "W1.2 爆炸物 1.2、1.3、1.5、1.6项爆炸物"),
    ("W1.3", "W1.3 爆炸物 1.4项爆炸物"),
    ("W2", "W2 易燃气体 类别1和类别2"),
    ("W3", "W3 气溶胶 类别1和类别2"),
    ("W4", "W4 氧化性气体 类别1"),
    ("W5.1", "W5.1 易燃液体 类别1；类别2和3，工作温度高于沸点"),
    ("W5.2", "W5.2 易燃液体 类别2和3，具有引发重大事故的特殊工艺条件"),
    ("W5.3", "W5.3 易燃液体 不属于W5.1或W5.2的其他类别2"),
    ("W5.4", "W5.4 易燃液体 不属于W5.1或W5.2的其他类别3"),
    ("W6.1", "W6.1 自反应物质和混合物 A型和B型"),
    ("W6.2", "W6.2 自反应物质和混合物 C型、D型、E型"),
    ("W7.1", "W7.1 有机过氧化物 A型和B型"),
    ("W7.2", "W7.2 有机过氧化物 C型、D型、E型、F型"),
    ("W8", "W8 自燃液体、自燃固体 类别1"),
    ("W9.1", "W9.1 氧化性固体、液体 类别1"),
    ("W9.2", "W9.2 氧化性固体、液体 类别2、类别3"),
    ("W10", "W10 易燃固体 类别1"),
    ("W11", "W11 遇水放出易燃气体的物质和混合物 类别1和类别2"),
)
HAZARD_CATEGORY_CODES = frozenset(code for code, _label in HAZARD_CATEGORY_CHOICES)
