"""The demo city: 临江市 with three districts; 滨江区 is the demo district in full."""

from __future__ import annotations

import random

from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.organizations.services import create_org_unit

CITY = {"name": "临江市", "code": "990100"}
DEMO_DISTRICT = {"name": "滨江区", "code": "990102"}
OTHER_DISTRICTS = [
    {"name": "城南区", "code": "990103", "streets": ["南苑街道", "长桥街道", "新塘镇"]},
    {"name": "城北区", "code": "990104", "streets": ["北站街道", "湖墅街道", "石桥街道", "三墩镇"]},
]

# 8 streets and 2 parks laid out on a 5 × 2 grid of the district's extent.
DEMO_TERRITORIES: list[tuple[str, str, int]] = [
    ("海滨街道", "street", 86_400),
    ("望江街道", "street", 112_300),
    ("新港街道", "street", 64_800),
    ("南湖街道", "street", 97_500),
    ("东城街道", "street", 121_900),
    ("滨江经济技术开发区", "park", 38_200),
    ("金沙街道", "street", 73_600),
    ("龙湾镇", "street", 58_900),
    ("白石镇", "street", 45_700),
    ("临港物流园区", "park", 12_400),
]
EXTENT = {"west": 120.10, "east": 120.35, "south": 30.15, "north": 30.27}

DEPARTMENT_NAMES: dict[str, tuple[str, str]] = {
    DepartmentType.EMERGENCY: ("应急管理局", "应急局"),
    DepartmentType.PUBLIC_SECURITY: ("公安分局", "公安"),
    DepartmentType.TRAFFIC_POLICE: ("公安分局交通警察大队", "交警"),
    DepartmentType.TRANSPORT: ("交通运输局", "交通局"),
    DepartmentType.HOUSING: ("住房和城乡建设局", "住建局"),
    DepartmentType.URBAN_MANAGEMENT: ("城市管理局", "城管局"),
    DepartmentType.MARKET_REGULATION: ("市场监督管理局", "市场监管局"),
    DepartmentType.COMMERCE: ("商务局", "商务局"),
    DepartmentType.FIRE_RESCUE: ("消防救援大队", "消防"),
    DepartmentType.HOUSING_ADMIN: ("房屋管理局", "房管局"),
    DepartmentType.EDUCATION: ("教育局", "教育局"),
    DepartmentType.HEALTH: ("卫生健康局", "卫健局"),
    DepartmentType.CULTURE_TOURISM: ("文化和旅游局", "文旅局"),
    DepartmentType.WATER: ("水务局", "水务局"),
}
# The smaller districts have only some departments: their unmandated sectors show as gaps.
OTHER_DISTRICT_DEPARTMENTS = [
    DepartmentType.EMERGENCY,
    DepartmentType.PUBLIC_SECURITY,
    DepartmentType.TRAFFIC_POLICE,
    DepartmentType.HOUSING,
    DepartmentType.MARKET_REGULATION,
    DepartmentType.FIRE_RESCUE,
    DepartmentType.COMMERCE,
]


def grid_polygons(extent: dict, columns: int, rows: int, seed: int) -> list[dict]:
    """GeoJSON polygons tiling the extent; inner vertices are jittered so borders look drawn,
    and neighbours share their border exactly (no gaps, no overlaps)."""
    rng = random.Random(seed)
    width = (extent["east"] - extent["west"]) / columns
    height = (extent["north"] - extent["south"]) / rows
    vertices: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(columns + 1):
        for j in range(rows + 1):
            x = extent["west"] + i * width
            y = extent["south"] + j * height
            if 0 < i < columns:
                x += rng.uniform(-0.25, 0.25) * width
            if 0 < j < rows:
                y += rng.uniform(-0.25, 0.25) * height
            vertices[(i, j)] = (round(x, 6), round(y, 6))
    polygons = []
    for j in reversed(range(rows)):
        for i in range(columns):
            ring = [vertices[(i, j)], vertices[(i + 1, j)], vertices[(i + 1, j + 1)], vertices[(i, j + 1)]]
            ring = [list(p) for p in ring] + [list(ring[0])]
            polygons.append({"type": "Polygon", "coordinates": [ring]})
    return polygons


def build_units() -> dict[str, OrgUnit]:
    """Create the demo city's units through the organizations services: the city, 滨江区 in full (safety office,
    leadership, every department, streets and parks with their boundaries), two smaller districts; keyed for
    the demo accounts."""
    units: dict[str, OrgUnit] = {}
    city = create_org_unit(actor=None, kind=OrgUnitKind.CITY, **CITY)
    units["city"] = city
    district = create_org_unit(actor=None, kind=OrgUnitKind.DISTRICT, parent=city, order=1, **DEMO_DISTRICT)
    units["district"] = district
    units["safety_office"] = create_org_unit(
        actor=None,
        kind=OrgUnitKind.SAFETY_OFFICE,
        parent=district,
        name="滨江区安全生产委员会办公室",
        short_name="区安办",
        phone="0571-8800 1100",
        address="滨江区江南大道 1 号",
        order=1,
    )
    units["leadership"] = create_org_unit(
        actor=None,
        kind=OrgUnitKind.LEADERSHIP,
        parent=district,
        name="滨江区人民政府领导",
        short_name="区领导",
        order=2,
    )
    for order, (dept_type, (name, short)) in enumerate(DEPARTMENT_NAMES.items(), start=10):
        units[f"dept:{dept_type}"] = create_org_unit(
            actor=None,
            kind=OrgUnitKind.DEPARTMENT,
            parent=district,
            department_type=dept_type,
            name=f"滨江区{name}",
            short_name=short,
            order=order,
        )
    polygons = grid_polygons(EXTENT, columns=5, rows=2, seed=20261128)
    for order, ((name, kind, population), polygon) in enumerate(zip(DEMO_TERRITORIES, polygons, strict=True), start=50):
        units[f"street:{name}"] = create_org_unit(
            actor=None,
            kind=kind,
            parent=district,
            name=name,
            population=population,
            boundary=polygon,
            order=order,
            code=f"{DEMO_DISTRICT['code']}{order:03d}",
        )
    for index, spec in enumerate(OTHER_DISTRICTS, start=2):
        other = create_org_unit(
            actor=None,
            kind=OrgUnitKind.DISTRICT,
            parent=city,
            name=spec["name"],
            code=spec["code"],
            order=index,
        )
        office = create_org_unit(
            actor=None,
            kind=OrgUnitKind.SAFETY_OFFICE,
            parent=other,
            name=f"{spec['name']}安全生产委员会办公室",
            short_name="区安办",
        )
        if index == 2:
            units["other_safety_office"] = office
        for order, dept_type in enumerate(OTHER_DISTRICT_DEPARTMENTS, start=10):
            name, short = DEPARTMENT_NAMES[dept_type]
            create_org_unit(
                actor=None,
                kind=OrgUnitKind.DEPARTMENT,
                parent=other,
                department_type=dept_type,
                name=f"{spec['name']}{name}",
                short_name=short,
                order=order,
            )
        west = EXTENT["west"] - 0.3 * (index - 1)
        extent = {"west": west, "east": west + 0.25, "south": 30.30, "north": 30.40}
        streets = spec["streets"]
        for order, (street, polygon) in enumerate(
            zip(streets, grid_polygons(extent, len(streets), 1, seed=index), strict=True), start=50
        ):
            create_org_unit(
                actor=None,
                kind=OrgUnitKind.STREET,
                parent=other,
                name=street,
                population=40_000 + (order * 9_137) % 50_000,
                boundary=polygon,
                order=order,
            )
    return units
