"""The demo city: 临江市 with three districts; 滨江区 is the demo district in full."""

from __future__ import annotations

import random

from anjian.organizations.choices import DepartmentType

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
