"""Reference data of STANDARDS.md §1: the sectors and their default supervising departments.

Pinned by tests (anjian/organizations/tests/test_standards.py); the sectors are loaded
by a data migration, the mandates applied to each new department and editable after.
"""

from anjian.organizations.choices import DepartmentType as D

# (code, Chinese name, English name) in the order of STANDARDS §1.
SECTORS: list[tuple[str, str, str]] = [
    ("hazchem", "危险化学品", "Hazardous chemicals"),
    ("fireworks", "烟花爆竹", "Fireworks"),
    ("construction", "建筑施工", "Construction"),
    ("road_traffic", "道路交通", "Road traffic"),
    ("city_gas", "城市燃气", "City gas"),
    ("special_equipment", "特种设备", "Special equipment"),
    ("commercial", "商圈商超", "Shopping districts and supermarkets"),
    ("large_event", "大型活动", "Large events"),
    ("three_in_one", "“三合一”场所", "Three-in-one premises"),
    ("crowded_place", "人员密集场所", "Crowded places"),
    ("self_built_house", "自建房", "Self-built houses"),
    ("group_rental", "群租房", "Group rentals"),
    ("dilapidated_house", "危旧房", "Dilapidated houses"),
    ("high_rise", "高层建筑", "High-rise buildings"),
    ("municipal", "市政设施", "Municipal facilities"),
    ("industry_trade", "工矿商贸", "Industry and trade"),
    ("waterlogging_point", "城市内涝点", "Urban waterlogging points"),
]

SECTOR_CODES = [code for code, _zh, _en in SECTORS]

# 谁主管、谁负责: the department types that supervise each sector by default.
# City gas sits with housing by default; some cities give it to urban management (editable).
DEFAULT_MANDATES: dict[str, list[str]] = {
    "hazchem": [D.EMERGENCY],
    "fireworks": [D.EMERGENCY, D.PUBLIC_SECURITY],
    "construction": [D.HOUSING],
    "road_traffic": [D.TRAFFIC_POLICE, D.TRANSPORT],
    "city_gas": [D.HOUSING],
    "special_equipment": [D.MARKET_REGULATION],
    "commercial": [D.COMMERCE],
    "large_event": [D.PUBLIC_SECURITY],
    "three_in_one": [D.FIRE_RESCUE],
    "crowded_place": [D.FIRE_RESCUE, D.COMMERCE, D.CULTURE_TOURISM, D.EDUCATION, D.HEALTH],
    "self_built_house": [D.HOUSING, D.HOUSING_ADMIN],
    "group_rental": [D.HOUSING_ADMIN, D.PUBLIC_SECURITY],
    "dilapidated_house": [D.HOUSING_ADMIN, D.HOUSING],
    "high_rise": [D.FIRE_RESCUE, D.HOUSING],
    "municipal": [D.HOUSING, D.URBAN_MANAGEMENT],
    "industry_trade": [D.EMERGENCY],
    "waterlogging_point": [D.WATER, D.URBAN_MANAGEMENT],
}


# 责令限期整改 is an enforcement act (安全生产法 第六十五条): the rectification notice of a hazard is issued in the
# name of the department with legal power over the sector, never in the safety office's. By default the first
# supervising department of STANDARDS §1 (city gas with housing, as its mandate); editable per sector.
DEFAULT_ENFORCING_DEPARTMENT: dict[str, str] = {
    "hazchem": D.EMERGENCY,
    "fireworks": D.EMERGENCY,
    "construction": D.HOUSING,
    "road_traffic": D.TRAFFIC_POLICE,
    "city_gas": D.HOUSING,
    "special_equipment": D.MARKET_REGULATION,
    "commercial": D.COMMERCE,
    "large_event": D.PUBLIC_SECURITY,
    "three_in_one": D.FIRE_RESCUE,
    "crowded_place": D.FIRE_RESCUE,
    "self_built_house": D.HOUSING,
    "group_rental": D.HOUSING_ADMIN,
    "dilapidated_house": D.HOUSING_ADMIN,
    "high_rise": D.FIRE_RESCUE,
    "municipal": D.HOUSING,
    "industry_trade": D.EMERGENCY,
    "waterlogging_point": D.WATER,
}


def default_sectors_for(department_type: str) -> list[str]:
    """The sector codes a department of this type supervises by default."""
    return [code for code in SECTOR_CODES if department_type in DEFAULT_MANDATES.get(code, [])]
