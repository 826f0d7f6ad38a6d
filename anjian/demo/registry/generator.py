"""What a generated demo place looks like and how a district's places are drawn: one method per category of place
and the plan of how many of each the demo district has. Deterministic for a seed; writes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from anjian.demo.registry.vocabulary import (
    COMMUNITY_WORDS,
    DEMO_ENTERPRISE,
    ENTERTAINMENT,
    FACTORIES,
    FIRMS,
    FOOD_BRANDS,
    FOODS,
    ROADS,
    SHOPS,
    SUBSTANCES,
    person,
)
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import ChemicalUnitKind, SiteStatus


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
