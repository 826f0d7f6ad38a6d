"""Demo places of the demo city (issue: registry, item 7): about 3,000 in 滨江区, a few hundred elsewhere.

Everything is generated from a seeded ``random.Random``, so two databases seeded alike hold the
same places. Rows are written with ``bulk_create`` in batches (a service call per place would
take minutes) and the whole seed leaves one audit record that summarises it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anjian.core import audit
from anjian.organizations.choices import TERRITORIAL_KINDS, DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import ChemicalUnitKind, OverrideEffect, SiteStatus
from anjian.registry.models import (
    ChemicalInventory,
    ChemicalUnit,
    Enterprise,
    ResponsibilityDispute,
    Site,
    SiteSector,
    SiteStatusChange,
    SupervisionOverride,
)
from anjian.registry.testing import credit_code

BATCH = 500
DEMO_ENTERPRISE = "临江宏达化工有限公司"
DEMO_ENTERPRISE_USERNAME = "qiye"

# --- geometry ---------------------------------------------------------------------------------------------


def point_in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    """Ray casting: a horizontal ray from the point crosses the ring's edges an odd number of times."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(x: float, y: float, polygon: dict) -> bool:
    """Inside the outer ring of a GeoJSON Polygon (or of any part of a MultiPolygon), outside its holes."""
    parts = [polygon["coordinates"]] if polygon["type"] == "Polygon" else polygon["coordinates"]
    for rings in parts:
        if point_in_ring(x, y, rings[0]) and not any(point_in_ring(x, y, hole) for hole in rings[1:]):
            return True
    return False


def random_point_in(polygon: dict, rng: random.Random) -> tuple[Decimal, Decimal]:
    """A point inside the polygon, by rejection sampling in its bounding box (rounded as stored)."""
    parts = [polygon["coordinates"]] if polygon["type"] == "Polygon" else polygon["coordinates"]
    xs = [p[0] for rings in parts for p in rings[0]]
    ys = [p[1] for rings in parts for p in rings[0]]
    for _attempt in range(10_000):
        x = Decimal(f"{rng.uniform(min(xs), max(xs)):.6f}")
        y = Decimal(f"{rng.uniform(min(ys), max(ys)):.6f}")
        if point_in_polygon(float(x), float(y), polygon):
            return x, y
    raise ValueError("no point found inside the polygon")


# --- vocabulary -------------------------------------------------------------------------------------------

ROADS: dict[str, list[str]] = {
    "滨江区": [
        "江南大道", "滨盛路", "江虹路", "长河路", "西兴路", "浦沿路", "东信大道", "春晓路", "信诚路", "火炬大道",
        "月明路", "闻涛路", "泰安路", "聚才路", "南环路", "伟业路", "江晖路", "秋溢路", "丹枫路", "滨安路",
        "建业路", "网商路", "时代大道", "之江路", "望江路", "海潮路", "新港路", "南湖路", "东城大道", "金沙大道",
        "龙湾路", "白石路", "临港大道", "物流大道", "园区一路", "园区二路", "科技大道", "创业路", "共联路",
        "通和路", "星光大道", "彩虹路", "滨文路", "江汉路", "湘云路", "楚天路", "钱塘路", "观潮路", "湖滨路",
        "江陵路",
    ],
    "城南区": [
        "南苑路", "长桥路", "新塘路", "解放南路", "城南大道", "和平路", "复兴路", "人民南路", "光明路",
        "幸福路", "中山南路", "文昌路",
    ],
    "城北区": [
        "北站路", "湖墅南路", "石桥路", "三墩路", "城北大道", "文一路", "文二路", "莫干山路", "上塘路",
        "丰潭路", "余杭塘路", "学院路", "古墩路", "丽水路", "登云路", "大关路",
    ],
}  # fmt: skip
COMMUNITY_WORDS = [
    "江滨", "望湖", "新塘", "金沙", "海月", "春江", "星河", "桂花", "樟树", "柳岸", "荷花", "翠苑", "丰收",
    "长乐", "永安", "和睦", "聚福", "兴旺", "阳光", "绿洲", "东湖", "西岸", "南屏", "北苑", "朝晖", "彩虹",
    "白鹭", "江湾", "青山", "明珠",
]  # fmt: skip
FIRMS = [
    "恒信", "华通", "金鼎", "永盛", "瑞丰", "天成", "新宇", "东方", "中联", "博远", "润泽", "嘉禾", "鑫源",
    "昌盛", "德隆", "安泰", "兴业", "富华", "长江", "海天", "明辉", "立信", "国泰", "众诚", "荣达", "光华",
    "正大", "福星", "万顺", "广源", "鸿运", "旭日", "金桥", "联创", "宝丰", "通达", "盛世", "远航", "晨光",
    "汇丰", "金诚", "华辰", "创新", "利民", "百川", "亿丰", "锦程", "升华", "卓越", "协和", "银河", "大成",
    "宏远", "佳禾", "凯达", "泰和", "新安", "合力", "同创", "腾飞",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海燕晓东建平永刚丽娟振华国强雪梅立新"
FOODS = ["家常菜馆", "火锅店", "面馆", "烧烤店", "小龙虾馆", "酒楼", "大酒店", "快餐店", "饺子馆", "土菜馆",
         "海鲜酒家", "私房菜", "米线店", "麻辣烫", "农家乐", "茶餐厅"]  # fmt: skip
FOOD_BRANDS = ["老张", "好再来", "蜀香", "湘味", "江南", "渔家", "金牌", "福满楼", "小城故事", "外婆家", "阿婆",
               "川味坊", "老地方", "聚贤庄", "一品", "食为先", "海底捞月", "东北人", "徽州", "潮汕"]  # fmt: skip
ENTERTAINMENT = ["KTV", "网吧", "电影院", "剧本杀馆", "酒吧", "棋牌室", "游艺厅", "足浴店", "健身会所", "密室逃脱"]
SHOPS = ["五金店", "便利店", "服装店", "电动车行", "水果店", "理发店", "小超市", "建材店", "快递驿站", "粮油店"]
FACTORIES = ["机械制造", "电子科技", "五金制品", "塑胶制品", "纺织", "服装", "包装材料", "家具", "食品", "印刷",
             "汽车配件", "金属制品", "新材料", "建材", "木业", "电器"]  # fmt: skip

# Substances of STANDARDS §3 (GB 18218 Table 1): name, CAS number, critical quantity Q in tonnes.
SUBSTANCES: dict[str, tuple[str, float]] = {
    "液氨": ("7664-41-7", 10),
    "氯": ("7782-50-5", 5),
    "甲醇": ("67-56-1", 500),
    "甲苯": ("108-88-3", 500),
    "汽油": ("86290-81-5", 200),
    "液化石油气": ("68476-85-7", 50),
    "苯": ("71-43-2", 50),
    "乙醇": ("64-17-5", 500),
    "丙酮": ("67-64-1", 500),
    "乙酸乙酯": ("141-78-6", 500),
    "硫化氢": ("7783-06-4", 5),
    "氢": ("1333-74-0", 5),
    "天然气": ("74-82-8", 50),
    "二硫化碳": ("75-15-0", 50),
    "环氧乙烷": ("75-21-8", 10),
    "氯化氢(无水)": ("7647-01-0", 20),
    "正己烷": ("110-54-3", 500),
}


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


# --- what a generated place looks like ----------------------------------------------------------------


@dataclass
class Spec:
    name: str
    sectors: list[tuple[str, str]]
    address: str = ""
    fields: dict = field(default_factory=dict)
    enterprise: str | None = None  # legal name; the enterprise row is made once per name
    chemicals: list[tuple[str, str, list[tuple[str, float]]]] = field(default_factory=list)
    territory: OrgUnit | None = None
    status_path: list[str] = field(default_factory=list)  # statuses after operating, in order


class Generator:
    """Draws names, addresses and facts for one district from one seeded random stream."""

    def __init__(self, district: OrgUnit, territories: list[OrgUnit], rng: random.Random):
        self.district = district
        self.rng = rng
        self.streets = [t for t in territories if t.kind == OrgUnitKind.STREET] or territories
        self.parks = [t for t in territories if t.kind == OrgUnitKind.PARK] or self.streets
        self.territories = territories
        roads = list(ROADS.get(district.name, ROADS["城北区"]))
        rng.shuffle(roads)
        self.roads = {t.pk: roads[i :: len(territories)] or roads for i, t in enumerate(territories)}
        words = list(COMMUNITY_WORDS)
        rng.shuffle(words)
        self.communities = {
            t.pk: words[(i * 3) % len(words) : (i * 3) % len(words) + 3] for i, t in enumerate(territories)
        }
        self.firm_names: set[str] = set()

    # helpers
    def pick(self, zone: str) -> OrgUnit:
        if zone == "park":
            return self.rng.choice(self.parks)
        if zone == "street":
            return self.rng.choice(self.streets)
        return self.rng.choice(self.territories)

    def road(self, t: OrgUnit) -> str:
        return self.rng.choice(self.roads[t.pk])

    def community(self, t: OrgUnit) -> str:
        word = self.rng.choice(self.communities[t.pk])
        return f"{word}村" if t.name.endswith("镇") else f"{word}社区"

    def address(self, t: OrgUnit, road: str | None = None) -> str:
        return f"{self.district.name}{road or self.road(t)}{self.rng.randint(1, 999)}号"

    def person(self) -> str:
        return person(self.rng)

    def firm(self, trade: str, prefix: str = "临江") -> str:
        for _attempt in range(50):
            name = f"{prefix}{self.rng.choice(FIRMS)}{trade}有限公司"
            if name not in self.firm_names and name != DEMO_ENTERPRISE:
                self.firm_names.add(name)
                return name
        name = f"{prefix}{self.rng.choice(FIRMS)}{self.rng.choice(FIRMS)}{trade}有限公司"
        self.firm_names.add(name)
        return name

    def building(
        self,
        floors: tuple[int, int],
        area: tuple[int, int],
        per_person: float,
        staff: tuple[int, int],
        years: tuple[int, int] = (1995, 2023),
        storey: float = 3.3,
    ) -> dict:
        n = self.rng.randint(*floors)
        a = self.rng.randint(*area)
        return {
            "floors": n,
            "floor_area": Decimal(a),
            "building_height": Decimal(f"{n * storey + self.rng.uniform(0, 2):.2f}"),
            "design_occupancy": max(5, int(a / per_person)),
            "employees": self.rng.randint(*staff),
            "year_built": self.rng.randint(*years),
        }

    def status(self, closable: bool = True) -> list[str]:
        r = self.rng.random()
        if r < 0.025:
            return [SiteStatus.SUSPENDED]
        if closable and r < 0.035:
            return [SiteStatus.SUSPENDED, SiteStatus.CLOSED]
        if closable and r < 0.04:
            return [SiteStatus.CLOSED]
        return []

    # categories: each returns the Spec of one place in territory t
    def restaurant(self, t):
        road = self.road(t)
        no = self.rng.randint(1, 600)
        if self.rng.random() < 0.3:
            name = f"{self.district.name}{road}{no}号餐饮店"
        else:
            name = f"{self.rng.choice(FOOD_BRANDS)}{self.rng.choice(FOODS)}（{road}店）"
        address = f"{self.district.name}{road}{no}号"
        sectors = [("crowded_place", "restaurant")]
        if self.rng.random() < 0.6:
            sectors.append(("city_gas", "restaurant_user"))
        facts = self.building((1, 3), (80, 1500), 1.5, (4, 60))
        if self.rng.random() < 0.4:
            return Spec(name, sectors, address, facts, self.firm("餐饮管理"), status_path=self.status())
        return Spec(name, sectors, address, facts, status_path=self.status())

    def mall(self, t):
        word = self.rng.choice(FIRMS)
        name = self.rng.choice([f"{word}购物中心", f"{word}广场", f"{word}商厦", f"{word}天地商业中心"])
        facts = self.building((3, 8), (8_000, 120_000), 3, (100, 1500), storey=5)
        sectors = [("crowded_place", "mall"), ("commercial", "")]
        if facts["building_height"] > 24:
            sectors.append(("high_rise", ""))
        return Spec(name, sectors, self.address(t), facts, self.firm("商业管理"))

    def hotel(self, t):
        word = self.rng.choice(FIRMS)
        name = self.rng.choice([f"{word}大酒店", f"{word}宾馆", f"{word}商务酒店", f"{word}精品酒店"])
        facts = self.building((3, 25), (1_500, 40_000), 15, (10, 400))
        sectors = [("crowded_place", "hotel")]
        if facts["building_height"] > 24:
            sectors.append(("high_rise", ""))
        return Spec(name, sectors, self.address(t), facts, self.firm("酒店管理"), status_path=self.status())

    def school(self, t):
        word = self.rng.choice(COMMUNITY_WORDS)
        name = self.rng.choice(
            [f"{self.district.name}{word}小学", f"{self.district.name}{word}中学", f"{word}幼儿园", f"{word}实验学校"]
        )
        facts = self.building((2, 6), (3_000, 60_000), 20, (20, 250))
        facts["design_occupancy"] = self.rng.randint(300, 3000)
        return Spec(name, [("crowded_place", "school")], self.address(t), facts)

    def hospital(self, t):
        word = self.rng.choice(COMMUNITY_WORDS)
        name = self.rng.choice(
            [
                f"{self.district.name}第{self.rng.randint(1, 9)}人民医院",
                f"{word}社区卫生服务中心",
                f"{word}中医院",
                f"临江{word}口腔医院",
            ]
        )
        facts = self.building((3, 20), (2_000, 80_000), 10, (30, 1200))
        sectors = [("crowded_place", "hospital")]
        if facts["building_height"] > 24:
            sectors.append(("high_rise", ""))
        return Spec(name, sectors, self.address(t), facts)

    def entertainment(self, t):
        kind = self.rng.choice(ENTERTAINMENT)
        name = f"{self.rng.choice(FIRMS)}{kind}"
        facts = self.building((1, 5), (150, 3_000), 2, (3, 60))
        return Spec(
            name,
            [("crowded_place", "entertainment")],
            self.address(t),
            facts,
            self.firm("文化娱乐"),
            status_path=self.status(),
        )

    def commercial(self, t):
        word = self.rng.choice(FIRMS)
        kind = self.rng.choice(["超市", "生活超市", "农贸市场", "商业街", "家居建材市场", "便利店", "百货"])
        name = f"{word}{kind}"
        facts = self.building((1, 4), (200, 20_000), 3, (5, 300))
        return Spec(name, [("commercial", "")], self.address(t), facts, self.firm("商贸"), status_path=self.status())

    def self_built(self, t):
        community = self.community(t)
        no = self.rng.randint(1, 300)
        use = self.rng.choices(
            ["none", "rental", "shop", "catering", "lodging", "workshop", "other"], [45, 15, 15, 10, 5, 5, 5]
        )[0]
        structure = self.rng.choices(
            ["brick_concrete", "brick_wood", "frame", "earth_wood", "steel", "other"], [60, 18, 15, 4, 2, 1]
        )[0]
        floors = self.rng.randint(2, 6)
        facts = {
            "floors": floors,
            "floor_area": Decimal(self.rng.randint(60, 220) * floors),
            "building_height": Decimal(f"{floors * 3.0:.2f}"),
            "year_built": self.rng.randint(1982, 2018),
            "structure_type": structure,
            "business_use": use,
        }
        sectors = [("self_built_house", "")]
        if use == "rental" and self.rng.random() < 0.5:
            sectors.append(("group_rental", ""))
            facts["design_occupancy"] = self.rng.randint(10, 60)
        if use in ("shop", "workshop") and self.rng.random() < 0.4:
            sectors.append(("three_in_one", ""))
        name = f"{t.name}{community}{no}号自建房"
        address = f"{self.district.name}{t.name}{community}{no}号"
        return Spec(name, sectors, address, facts, status_path=self.status())

    def three_in_one(self, t):
        road = self.road(t)
        no = self.rng.randint(1, 800)
        name = f"{road}{no}号{self.rng.choice(SHOPS)}"
        facts = self.building((2, 4), (60, 500), 5, (1, 15), years=(1988, 2016), storey=3.0)
        return Spec(name, [("three_in_one", "")], f"{self.district.name}{road}{no}号", facts, status_path=self.status())

    def group_rental(self, t):
        community = self.community(t)
        name = (
            f"{community}{self.rng.randint(1, 40)}幢{self.rng.randint(1, 4)}单元{self.rng.randint(101, 1802)}室群租房"
        )
        facts = {
            "floors": self.rng.randint(1, 3),
            "floor_area": Decimal(self.rng.randint(80, 400)),
            "design_occupancy": self.rng.randint(8, 40),
            "year_built": self.rng.randint(1990, 2015),
        }
        return Spec(name, [("group_rental", "")], f"{self.district.name}{t.name}{community}", facts)

    def dilapidated(self, t):
        community = self.community(t)
        no = self.rng.randint(1, 200)
        floors = self.rng.randint(1, 4)
        facts = {
            "floors": floors,
            "floor_area": Decimal(self.rng.randint(50, 300) * floors),
            "year_built": self.rng.randint(1955, 1992),
            "structure_type": self.rng.choices(["brick_wood", "earth_wood", "brick_concrete"], [50, 20, 30])[0],
            "business_use": self.rng.choices(["none", "rental", "shop"], [70, 20, 10])[0],
        }
        path = [SiteStatus.DEMOLISHED] if self.rng.random() < 0.05 else []
        name = f"{t.name}{community}{no}号危旧房"
        return Spec(
            name, [("dilapidated_house", "")], f"{self.district.name}{t.name}{community}{no}号", facts, status_path=path
        )

    def high_rise(self, t):
        word = self.rng.choice(FIRMS + COMMUNITY_WORDS)
        if self.rng.random() < 0.6:
            name = f"{word}{self.rng.choice(['花园', '公寓', '府', '家园'])}{self.rng.randint(1, 30)}幢"
            facts = self.building((18, 45), (8_000, 40_000), 30, (0, 5), years=(2000, 2024), storey=3.0)
        else:
            name = f"{word}{self.rng.choice(['大厦', '中心', '国际大厦', '科技大楼'])}"
            facts = self.building((12, 40), (15_000, 90_000), 10, (50, 3000), years=(1998, 2024), storey=3.8)
        return Spec(name, [("high_rise", "")], self.address(t), facts)

    def factory(self, t):
        trade = self.rng.choice(FACTORIES)
        firm = self.firm(trade)
        facts = self.building((1, 5), (1_000, 50_000), 20, (15, 800), years=(1995, 2023), storey=5)
        sectors = [("industry_trade", "")]
        if self.rng.random() < 0.15:
            sectors.append(("special_equipment", self.rng.choice(["crane", "boiler", "pressure_vessel"])))
        return Spec(
            firm.removesuffix("有限公司") + "厂区", sectors, self.address(t), facts, firm, status_path=self.status()
        )

    def warehouse(self, t):
        firm = self.firm(self.rng.choice(["仓储物流", "冷链物流", "供应链管理", "物流"]))
        facts = self.building((1, 3), (3_000, 60_000), 100, (10, 300), years=(2003, 2024), storey=8)
        return Spec(firm.removesuffix("有限公司") + "仓库", [("industry_trade", "")], self.address(t), facts, firm)

    def hazchem(self, t, subtype: str):
        facts = self.building((1, 4), (500, 40_000), 50, (8, 500), years=(1998, 2022), storey=6)
        if subtype == "trading" and self.rng.random() < 0.6:
            firm = self.firm("石油销售")
            name = f"{firm.removeprefix('临江').removesuffix('石油销售有限公司')}石油{self.road(t)}加油站"
            units = [("埋地油罐区", ChemicalUnitKind.STORAGE, [("汽油", self.rng.uniform(20, 120))])]
            return Spec(name, [("hazchem", "trading")], self.address(t), facts, firm, units)
        trades = {
            "production": "化工",
            "storage": "化学品储运",
            "trading": "化工贸易",
            "use": "精细化工",
            "disposal": "环保科技",
            "transport": "危险品运输",
        }
        firm = self.firm(trades[subtype])
        name = firm.removesuffix("有限公司") + ("车队" if subtype == "transport" else "厂区")
        units = []
        if subtype != "transport":
            pool = list(SUBSTANCES)
            for index in range(self.rng.randint(1, 3)):
                kind = (
                    ChemicalUnitKind.PRODUCTION if subtype == "production" and index == 0 else ChemicalUnitKind.STORAGE
                )
                names = (
                    ["一号生产装置", "储罐区", "甲类仓库"]
                    if subtype == "production"
                    else ["储罐区", "甲类仓库", "乙类仓库"]
                )
                unit_name = names[index]
                rows = []
                for substance in self.rng.sample(pool, self.rng.randint(1, 3)):
                    q = SUBSTANCES[substance][1]
                    # About one unit in five holds more than the critical quantity (a major hazard installation).
                    share = self.rng.uniform(1.1, 3.0) if self.rng.random() < 0.2 else self.rng.uniform(0.02, 0.8)
                    rows.append((substance, q * share))
                units.append((unit_name, kind, rows))
        return Spec(name, [("hazchem", subtype)], self.address(t), facts, firm, units, status_path=self.status())

    def fireworks(self, t, subtype: str):
        if subtype == "temporary_retail":
            community = self.community(t)
            name = f"{community}烟花爆竹临时零售点（{self.rng.randint(1, 30):02d}号）"
            # Temporary points sell around the Spring Festival (春节 2027-02-06) until 元宵.
            start = date(2027, 1, 20) + timedelta(days=self.rng.randint(0, 6))
            facts = {
                "fireworks_permit": f"烟临〔2027〕第{self.rng.randint(1, 999):04d}号",
                "permit_valid_from": start,
                "permit_valid_to": date(2027, 2, 20),
                "floor_area": Decimal(self.rng.randint(10, 40)),
                "employees": self.rng.randint(1, 3),
            }
            return Spec(name, [("fireworks", subtype)], self.address(t), facts)
        trade = "烟花爆竹批发" if subtype == "wholesale" else "烟花爆竹经营"
        firm = self.firm(trade)
        facts = self.building((1, 2), (30, 3_000), 10, (2, 40), storey=4)
        facts["fireworks_permit"] = (
            f"烟{'批' if subtype == 'wholesale' else '零'}〔2026〕第{self.rng.randint(1, 999):04d}号"
        )
        name = firm.removesuffix("有限公司") + ("仓库" if subtype == "wholesale" else "零售店")
        return Spec(name, [("fireworks", subtype)], self.address(t), facts, firm)

    def construction(self, t):
        firm = self.firm(self.rng.choice(["建设集团", "建筑工程", "市政工程", "建工"]))
        word = self.rng.choice(FIRMS + COMMUNITY_WORDS)
        municipal = self.rng.random() < 0.3
        if municipal:
            name = (
                f"{self.road(t)}{self.rng.choice(['道路改造工程', '综合管廊工程', '雨污分流工程', '快速路高架工程'])}"
            )
        else:
            kind = self.rng.choice(["花园", "府", "科创园", "商业综合体", "安置房"])
            name = f"{word}{kind}{self.rng.choice(['一期', '二期', '三期', ''])}项目"
        issued = date(2026, 1, 1) + timedelta(days=self.rng.randint(0, 300))
        facts = {
            # 施工许可证编号: division code, issue date, serial.
            "construction_permit": f"{self.district.code or '990102'}{issued:%Y%m%d}{self.rng.randint(1, 9999):04d}",
            "construction_area": Decimal(self.rng.randint(5_000, 300_000)),
            "high_risk_workers": self.rng.randint(5, 120),
            "employees": self.rng.randint(50, 900),
        }
        if not municipal:
            facts["floors"] = self.rng.randint(6, 33)
        return Spec(
            name,
            [("construction", "municipal_works" if municipal else "building")],
            self.address(t),
            facts,
            firm,
            status_path=self.status(closable=False),
        )

    def road_section(self, t):
        road = self.road(t)
        km = self.rng.randint(0, 25)
        km_from = Decimal(f"{km}.{self.rng.randint(0, 9) * 100:03d}")
        km_to = km_from + Decimal(self.rng.choice([200, 300, 500, 800, 1200])) / 1000
        danger, label = self.rng.choice(
            [
                ("sharp_bend", "急弯"),
                ("steep_slope", "陡坡"),
                ("water_cliff", "临水"),
                ("black_spot", "事故多发"),
                ("poor_sight", "视距不良"),
                ("junction", "危险交叉口"),
            ]
        )
        name = f"{road}K{km}+{int(km_from * 1000) % 1000:03d}{label}路段"
        facts = {"road_name": road, "km_from": km_from, "km_to": km_to, "danger_type": danger}
        return Spec(name, [("road_traffic", "dangerous_section")], f"{self.district.name}{road}", facts)

    def vehicle_unit(self, t):
        firm = self.firm(self.rng.choice(["客运", "公交", "渣土运输", "危货运输", "旅游客运", "物流运输"]))
        facts = {"employees": self.rng.randint(20, 600), "floor_area": Decimal(self.rng.randint(500, 20_000))}
        return Spec(
            firm.removesuffix("有限公司") + "车辆停保场",
            [("road_traffic", "key_vehicle_unit")],
            self.address(t),
            facts,
            firm,
        )

    def gas(self, t):
        if self.rng.random() < 0.6:
            firm = self.firm("燃气")
            name = (
                f"{firm.removesuffix('有限公司')}{self.rng.choice(['液化气供应站', 'LNG加气站', 'CNG加气站', '门站'])}"
            )
            facts = self.building((1, 2), (500, 8_000), 50, (5, 60), storey=4)
            return Spec(name, [("city_gas", "station")], self.address(t), facts, firm)
        road = self.road(t)
        return Spec(
            f"{road}中压燃气管网", [("city_gas", "pipeline")], f"{self.district.name}{road}", {"road_name": road}
        )

    def special_equipment(self, t):
        subtype = self.rng.choice(["elevator", "elevator", "boiler", "pressure_vessel", "crane"])
        trade = {"elevator": "物业服务", "boiler": "热电", "pressure_vessel": "工业气体", "crane": "港口装卸"}[subtype]
        firm = self.firm(trade)
        name = firm.removesuffix("有限公司") + ("在管小区电梯" if subtype == "elevator" else "设备使用单位")
        facts = {"employees": self.rng.randint(10, 300)}
        return Spec(name, [("special_equipment", subtype)], self.address(t), facts, firm)

    def large_event(self, t):
        event, venue, when = self.rng.choice(
            [
                ("跨年灯光秀", "滨江公园", date(2026, 12, 31)),
                ("元旦迎新长跑", "江南大道沿线", date(2027, 1, 1)),
                ("春节庙会", "东城文化广场", date(2027, 2, 8)),
                ("元宵灯会", "南湖公园", date(2027, 2, 20)),
                ("城市马拉松", "奥体中心", date(2027, 4, 18)),
                ("音乐节", "滨江体育场", date(2027, 5, 1)),
                ("人才招聘会", "国际博览中心", date(2027, 3, 6)),
                ("龙舟赛", "白马湖", date(2027, 6, 9)),
                ("国庆游园会", "金沙湖公园", date(2027, 10, 1)),
                ("动漫嘉年华", "会展中心", date(2027, 7, 20)),
            ]
        )
        venue = venue.replace("滨江", self.district.name.removesuffix("区"))
        facts = {"event_date": when, "event_venue": venue, "expected_attendance": self.rng.randint(2_000, 60_000)}
        return Spec(
            f"{when.year}年{self.district.name}{event}",
            [("large_event", "")],
            self.address(t),
            facts,
            self.firm("文化传媒"),
        )

    def municipal(self, t):
        road = self.road(t)
        kind = self.rng.choice(["大桥", "人行天桥", "下穿隧道", "雨水泵站", "污水泵站", "地下综合管廊"])
        facts = {"year_built": self.rng.randint(1990, 2023), "road_name": road}
        return Spec(f"{road}{kind}", [("municipal", "")], f"{self.district.name}{road}", facts)

    def waterlogging(self, t):
        road = self.road(t)
        kind = self.rng.choice(["下穿通道积水点", "低洼路段", "地下车库入口", "铁路桥洞积水点"])
        name = f"{self.community(t)}低洼地段" if self.rng.random() < 0.3 else f"{road}{kind}"
        return Spec(name, [("waterlogging_point", "")], f"{self.district.name}{road}", {"road_name": road})


# (category, count in the demo district, zone). Other districts take a share of each count.
PLAN: list[tuple[str, int, str]] = [
    ("restaurant", 420, "street"),
    ("mall", 40, "street"),
    ("hotel", 120, "street"),
    ("school", 60, "street"),
    ("hospital", 25, "street"),
    ("entertainment", 120, "street"),
    ("commercial", 330, "street"),
    ("self_built", 600, "street"),
    ("three_in_one", 200, "street"),
    ("group_rental", 110, "street"),
    ("dilapidated", 100, "street"),
    ("high_rise", 150, "any"),
    ("factory", 290, "park"),
    ("warehouse", 50, "park"),
    ("hazchem:production", 8, "park"),
    ("hazchem:storage", 8, "park"),
    ("hazchem:trading", 20, "any"),
    ("hazchem:use", 5, "park"),
    ("hazchem:transport", 3, "park"),
    ("hazchem:disposal", 2, "park"),
    ("fireworks:wholesale", 2, "park"),
    ("fireworks:retail", 8, "street"),
    ("fireworks:temporary_retail", 20, "street"),
    ("construction", 80, "any"),
    ("road_section", 40, "any"),
    ("vehicle_unit", 20, "park"),
    ("gas", 10, "any"),
    ("special_equipment", 60, "any"),
    ("large_event", 15, "street"),
    ("municipal", 40, "any"),
    ("waterlogging", 40, "any"),
]
DEMO_DISTRICT_PLACES = sum(count for _c, count, _z in PLAN)


def generate(district: OrgUnit, territories: list[OrgUnit], *, seed: int, share: float = 1.0) -> list[Spec]:
    """The places of one district, deterministic for a seed; share < 1 scales every category down."""
    rng = random.Random(seed)
    gen = Generator(district, territories, rng)
    specs: list[Spec] = []
    for category, count, zone in PLAN:
        method, _sep, subtype = category.partition(":")
        n = max(1, round(count * share)) if share < 1 else count
        for _i in range(n):
            territory = gen.pick(zone)
            spec = getattr(gen, method)(territory, subtype) if subtype else getattr(gen, method)(territory)
            spec.territory = territory
            specs.append(spec)
    return specs


# --- writing ---------------------------------------------------------------------------------------------


def _prefix(district: OrgUnit) -> str:
    return f"demo-{district.code or district.pk}-"


def _write(district: OrgUnit, specs: list[Spec], *, rng: random.Random, code_base: int) -> dict:
    """Bulk-write the places with their sectors, status history, enterprises and chemical inventories."""
    enterprises: dict[str, Enterprise] = {}
    for spec in specs:
        if spec.enterprise and spec.enterprise not in enterprises:
            enterprises[spec.enterprise] = Enterprise(
                name=spec.enterprise,
                credit_code=credit_code(code_base + len(enterprises) + 1),
                legal_representative=person(rng),
                principal=person(rng),
                principal_mobile=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
            )
    Enterprise.objects.bulk_create(enterprises.values(), batch_size=BATCH)
    if enterprises and any(e.pk is None for e in enterprises.values()):  # databases without RETURNING
        ids = dict(Enterprise.objects.filter(name__in=list(enterprises)).values_list("credit_code", "pk"))
        for enterprise in enterprises.values():
            enterprise.pk = ids[enterprise.credit_code]

    prefix = _prefix(district)
    sites = []
    for index, spec in enumerate(specs, start=1):
        polygon = spec.territory.boundary if spec.territory else None
        longitude, latitude = random_point_in(polygon, rng) if polygon else (None, None)
        sites.append(
            Site(
                name=spec.name[:200],
                external_id=f"{prefix}{index:05d}",
                enterprise=enterprises.get(spec.enterprise) if spec.enterprise else None,
                district=district,
                territory=spec.territory,
                address=spec.address,
                longitude=longitude,
                latitude=latitude,
                status=spec.status_path[-1] if spec.status_path else SiteStatus.OPERATING,
                **spec.fields,
            )
        )
    Site.objects.bulk_create(sites, batch_size=BATCH)
    if any(s.pk is None for s in sites):
        ids = dict(Site.objects.filter(external_id__startswith=prefix).values_list("external_id", "pk"))
        for site in sites:
            site.pk = ids[site.external_id]

    sectors, changes, units, unit_rows = [], [], [], []
    for site, spec in zip(sites, specs, strict=True):
        sectors.extend(SiteSector(site=site, sector_id=code, subtype=sub) for code, sub in spec.sectors)
        changes.append(SiteStatusChange(site=site, from_status="", to_status=SiteStatus.OPERATING))
        previous = SiteStatus.OPERATING
        for status in spec.status_path:
            reason = {
                SiteStatus.SUSPENDED: "存在重大事故隐患，责令停产停业整顿",
                SiteStatus.CLOSED: "整改不到位，经区政府批准依法关闭取缔",
                SiteStatus.DEMOLISHED: "列入城中村改造，已拆除",
            }[status]
            changes.append(SiteStatusChange(site=site, from_status=previous, to_status=status, reason=reason))
            previous = status
        for unit_name, kind, rows in spec.chemicals:
            unit = ChemicalUnit(site=site, name=unit_name, kind=kind)
            units.append(unit)
            unit_rows.append((unit, rows))
    SiteSector.objects.bulk_create(sectors, batch_size=BATCH)
    SiteStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    ChemicalUnit.objects.bulk_create(units, batch_size=BATCH)
    if any(u.pk is None for u in units):
        ids = {(u.site_id, u.name): u.pk for u in ChemicalUnit.objects.filter(site__external_id__startswith=prefix)}
        for unit in units:
            unit.pk = ids[(unit.site_id, unit.name)]
    inventory = [
        ChemicalInventory(
            unit=unit,
            substance=substance,
            cas_number=SUBSTANCES[substance][0],
            max_quantity_t=Decimal(f"{quantity:.3f}"),
        )
        for unit, rows in unit_rows
        for substance, quantity in rows
    ]
    ChemicalInventory.objects.bulk_create(inventory, batch_size=BATCH)
    _backdate_history(changes, rng)
    return {
        "places": len(sites),
        "enterprises": len(enterprises),
        "sectors": len(sectors),
        "chemical_units": len(units),
        "inventory_rows": len(inventory),
        "sites": sites,
    }


def _backdate_history(changes: list[SiteStatusChange], rng: random.Random) -> None:
    """The few places whose status moved get a plausible past: registered, then suspended or closed."""
    now = timezone.now()
    by_site: dict[int, list[SiteStatusChange]] = {}
    for change in changes:
        by_site.setdefault(change.site_id, []).append(change)
    for site_changes in by_site.values():
        if len(site_changes) < 2:
            continue  # only registered: keeps today's date, no update needed
        days = rng.randint(200, 700)
        for change in site_changes:
            SiteStatusChange.objects.filter(pk=change.pk).update(changed_at=now - timedelta(days=days))
            days = max(1, days - rng.randint(20, 150))


def _demo_district_extras(district: OrgUnit, sites: list[Site], rng: random.Random) -> dict:
    """The demo enterprise and its account, deliberate gaps and one open dispute (see the issue)."""
    from anjian.accounts.models import User

    units = {u.department_type: u for u in OrgUnit.objects.filter(district=district, kind=OrgUnitKind.DEPARTMENT)}
    territories = {t.name: t for t in OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS)}
    park = territories.get("滨江经济技术开发区") or next(iter(territories.values()))
    port = territories.get("临港物流园区") or park

    # 临江宏达化工有限公司: the enterprise account's own places, one unit above its critical quantity.
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=credit_code(1),
        defaults={
            "name": DEMO_ENTERPRISE,
            "legal_representative": "何宏达",
            "principal": "何文斌",
            "principal_mobile": "13905710088",
        },
    )
    account = User.objects.filter(username=DEMO_ENTERPRISE_USERNAME).first()
    if account is not None:
        enterprise.accounts.add(account)
    own = [
        (
            "临江宏达化工有限公司生产厂区",
            park,
            "production",
            "滨江区园区一路66号",
            [
                ("合成氨生产装置", ChemicalUnitKind.PRODUCTION, [("液氨", 18.5), ("氢", 1.2)]),
                ("甲醇储罐区", ChemicalUnitKind.STORAGE, [("甲醇", 820.0), ("甲苯", 120.0)]),
            ],
        ),
        (
            "临江宏达化工有限公司临港仓库",
            port,
            "storage",
            "滨江区临港大道188号",
            [("甲类仓库", ChemicalUnitKind.STORAGE, [("氯", 6.0), ("丙酮", 45.0)])],
        ),
    ]
    extra_sites = []
    for name, territory, subtype, address, chem in own:
        longitude, latitude = random_point_in(territory.boundary, rng)
        site = Site.objects.create(
            name=name,
            external_id=f"{_prefix(district)}hd-{subtype}",
            enterprise=enterprise,
            district=district,
            territory=territory,
            address=address,
            longitude=longitude,
            latitude=latitude,
            floor_area=Decimal("36800") if subtype == "production" else Decimal("5200"),
            floors=3 if subtype == "production" else 1,
            employees=260 if subtype == "production" else 18,
            year_built=2008 if subtype == "production" else 2015,
        )
        SiteSector.objects.create(site=site, sector_id="hazchem", subtype=subtype)
        SiteStatusChange.objects.create(site=site, from_status="", to_status=SiteStatus.OPERATING)
        for unit_name, kind, rows in chem:
            unit = ChemicalUnit.objects.create(site=site, name=unit_name, kind=kind)
            for substance, quantity in rows:
                ChemicalInventory.objects.create(
                    unit=unit,
                    substance=substance,
                    cas_number=SUBSTANCES[substance][0],
                    max_quantity_t=Decimal(f"{quantity:.3f}"),
                )
        extra_sites.append(site)

    # Places whose street or park is not settled (属地不明): a gap of 属地管理.
    houses = [s for s in sites if s.name.endswith("自建房")]
    orphans = rng.sample(houses, min(6, len(houses)))
    for site in orphans:
        roads = rng.sample(ROADS["滨江区"], 2)
        no = rng.randint(1, 300)
        site.territory = None
        site.name = f"{roads[0]}{no}号自建房"
        site.address = f"滨江区{roads[0]}{no}号（与{roads[1]}交叉口附近，属地待明确）"
        Site.objects.filter(pk=site.pk).update(territory=None, name=site.name, address=site.address)

    # A market the commerce bureau is excluded from (recorded): its 商圈商超 sector is left unsupervised.
    commerce = units.get(DepartmentType.COMMERCE)
    market = next((s for s in sites if s.name.endswith("农贸市场")), None)
    if commerce and market:
        SupervisionOverride.objects.create(
            site=market,
            sector_id="commercial",
            department=commerce,
            effect=OverrideEffect.EXCLUDE,
            reason="商务局认为农贸市场由市场监管部门管理，移出本局监管清单，待区安办协调明确",
        )

    # One open dispute: 应急管理局 says a warehouse is the commerce bureau's (推诿扯皮 made visible).
    emergency = units.get(DepartmentType.EMERGENCY)
    warehouse = next((s for s in sites if s.name.endswith("仓库") and s.territory_id == port.pk), None)
    warehouse = warehouse or next((s for s in sites if s.name.endswith("仓库")), None)
    disputes = 0
    if emergency and warehouse:
        dispute = ResponsibilityDispute.objects.create(
            site=warehouse,
            sector_id="industry_trade",
            raised_by_unit=emergency,
            raised_by=User.objects.filter(username="yingji").first(),
            reason="该场所为冷链仓储物流企业，不涉及危险化学品储存，日常经营由商务部门管理，"
            "建议由商务局履行行业安全监管职责。",
            proposed_unit=commerce,
        )
        ResponsibilityDispute.objects.filter(pk=dispute.pk).update(created_at=timezone.now() - timedelta(days=9))
        disputes = 1
    return {
        "demo_enterprise_places": len(extra_sites),
        "without_territory": len(orphans),
        "exclusions": 1 if commerce and market else 0,
        "disputes": disputes,
    }


# Credit-code series per district, so codes never collide between districts (the demo enterprise is n=1).
CODE_BASES = {"990102": 10_000_000, "990103": 20_000_000, "990104": 30_000_000}
OTHER_DISTRICT_SHARE = 0.1


def seed_places(*, demo_district_code: str, stdout=None) -> dict:
    """Add the demo places to every district of the demo city that has none yet; one audit record."""
    demo_district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=demo_district_code)
    districts = list(
        OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city_id=demo_district.city_id).order_by("order", "id")
    )
    summary: dict[str, dict] = {}
    with transaction.atomic():
        for index, district in enumerate(districts):
            if Site.objects.filter(external_id__startswith=_prefix(district)).exists():
                continue
            territories = list(
                OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, boundary__isnull=False).order_by(
                    "order", "id"
                )
            )
            if not territories:
                continue
            is_demo = district.pk == demo_district.pk
            seed = 20261128 + index
            rng = random.Random(seed * 7)
            specs = generate(district, territories, seed=seed, share=1.0 if is_demo else OTHER_DISTRICT_SHARE)
            base = CODE_BASES.get(district.code, 40_000_000 + index * 1_000_000)
            result = _write(district, specs, rng=rng, code_base=base)
            sites = result.pop("sites")
            if is_demo:
                result.update(_demo_district_extras(district, sites, rng))
            summary[district.name] = result
            if stdout is not None:
                stdout.write(f"  {district.name}: {result['places']} places")
        if summary:
            audit.record(
                actor=None,
                action="registry.demo.seed",
                object_type="organizations.orgunit",
                object_id=str(demo_district.city_id),
                object_repr=str(demo_district.city),
                after=summary,
            )
    return summary
