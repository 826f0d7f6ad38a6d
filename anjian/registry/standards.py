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
