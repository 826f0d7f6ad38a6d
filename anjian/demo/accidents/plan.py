"""Demo accidents of the demo city (issue "Accidents, statistics and briefings", item 7): from 2024-01-01 to today,
mostly in the demo district (滨江区) and fewer in the other districts.

What the data shows, so the statistics, briefings and pages have something to say:
- production safety accidents per sector (a few dozen a year in the demo district), road traffic accidents of
  the general procedure (many, mostly one death or injuries only), of the simple procedure (many more, no deaths,
  kept apart in the statistics), fires (some, a few with deaths), and a few relatively serious accidents (较大,
  3–5 deaths) over the three years;
- each category has its own yearly factor, so between 2025 and 2026 (year to date) some indices rise and some fall;
- some late reports (more than an hour, 条例 第九条); a few casualty corrections (an injured person who died within
  the legal window), one of which raises the grade;
- investigations under 四不放过 (STANDARDS §4) of the fatal production accidents, fatal fires and relatively serious
  accidents, in every state: open within the deadline, open and extended, open and overdue, closed with the evidence
  of all four closures (accountability actions, corrective measures linked to the place's demo hazards where it has
  verified ones, education records); the other accidents have no investigation.

Rules kept: one seeded ``random.Random`` (deterministic), grades and late flags from :mod:`anjian.accidents.standards`
(the rule record_accident applies), rows written with ``bulk_create``, and one audit record per district
(``accidents.demo.seed``) that also marks it seeded, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from anjian.accidents import services, standards
from anjian.accidents.choices import AccidentCategory, AccidentGrade, AccidentType
from anjian.accidents.models import (
    Accident,
)
from anjian.accounts.models import User
from anjian.demo.registry import ROADS, random_point_in
from anjian.organizations.choices import TERRITORIAL_KINDS, DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import SiteSector

AUDIT_ACTION = "accidents.demo.seed"
DEFAULT_SEED = 20240101
START = datetime.date(2024, 1, 1)
BATCH = 500

# Full-year counts in the demo district; the other districts get OTHER_SHARE of them.
YEARLY = {
    AccidentCategory.PRODUCTION: 34,
    AccidentCategory.ROAD_TRAFFIC: 110,
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: 260,
    AccidentCategory.FIRE: 40,
    AccidentCategory.OTHER: 4,
}
OTHER_SHARE = 0.3
# Year factors per category: production falls then rises, road traffic rises then falls, fires keep falling.
YEAR_FACTORS = {
    AccidentCategory.PRODUCTION: {2024: 1.0, 2025: 0.82, 2026: 1.12},
    AccidentCategory.ROAD_TRAFFIC: {2024: 0.95, 2025: 1.08, 2026: 0.9},
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: {2024: 1.0, 2025: 1.05, 2026: 1.1},
    AccidentCategory.FIRE: {2024: 1.15, 2025: 1.0, 2026: 0.8},
    AccidentCategory.OTHER: {2024: 1.0, 2025: 1.0, 2026: 1.0},
}
# Sectors of the production accidents (weights) and the GB 6441 types they usually have.
PRODUCTION_SECTORS = {
    "industry_trade": 10,
    "construction": 9,
    "special_equipment": 3,
    "hazchem": 2,
    "city_gas": 2,
    "commercial": 2,
    "crowded_place": 2,
    "municipal": 2,
    "fireworks": 1,
    "self_built_house": 1,
}
SECTOR_TYPES = {
    "industry_trade": [AccidentType.MACHINERY, AccidentType.OBJECT_STRIKE, AccidentType.FALL, AccidentType.SCALD],
    "construction": [AccidentType.FALL, AccidentType.COLLAPSE, AccidentType.OBJECT_STRIKE, AccidentType.LIFTING],
    "special_equipment": [AccidentType.LIFTING, AccidentType.VESSEL_EXPLOSION, AccidentType.MACHINERY],
    "hazchem": [AccidentType.POISONING, AccidentType.OTHER_EXPLOSION, AccidentType.SCALD],
    "city_gas": [AccidentType.OTHER_EXPLOSION, AccidentType.POISONING],
    "commercial": [AccidentType.FALL, AccidentType.ELECTRIC_SHOCK, AccidentType.OTHER],
    "crowded_place": [AccidentType.FALL, AccidentType.ELECTRIC_SHOCK, AccidentType.OTHER],
    "municipal": [AccidentType.DROWNING, AccidentType.ELECTRIC_SHOCK, AccidentType.COLLAPSE],
    "fireworks": [AccidentType.EXPLOSIVE],
    "self_built_house": [AccidentType.COLLAPSE, AccidentType.FALL],
}
TYPE_WORDS = {
    AccidentType.MACHINERY: "作业人员在设备运行中清理物料，被卷入致伤",
    AccidentType.OBJECT_STRIKE: "吊运物料坠落，砸中下方作业人员",
    AccidentType.FALL: "作业人员未系安全带，从作业平台坠落",
    AccidentType.SCALD: "管道阀门泄漏，高温介质喷出烫伤作业人员",
    AccidentType.COLLAPSE: "基坑边坡失稳坍塌，掩埋作业人员",
    AccidentType.LIFTING: "起重机吊装过程中钢丝绳断裂，吊物坠落",
    AccidentType.VESSEL_EXPLOSION: "压力容器超压破裂",
    AccidentType.POISONING: "受限空间作业未检测通风，作业人员中毒窒息",
    AccidentType.OTHER_EXPLOSION: "可燃气体泄漏遇明火发生爆炸",
    AccidentType.ELECTRIC_SHOCK: "临时用电线路破损，作业人员触电",
    AccidentType.DROWNING: "管网检修人员落入排水井溺水",
    AccidentType.EXPLOSIVE: "烟花爆竹仓库违规分装引发爆炸",
    AccidentType.OTHER: "作业过程中意外受伤",
    AccidentType.VEHICLE: "车辆碰撞",
    AccidentType.FIRE: "火灾",
}
FIRE_CAUSES = ["电动自行车违规充电引发火灾", "电气线路老化短路引发火灾", "厨房用火不慎引发火灾",
               "遗留火种引燃杂物", "违规动火作业引燃可燃物", "燃气泄漏遇明火引发火灾"]  # fmt: skip
ROAD_CAUSES = ["两车相撞", "机动车与电动自行车相撞", "机动车与行人相撞", "货车右转盲区碰撞非机动车",
               "车辆追尾", "车辆失控撞击护栏"]  # fmt: skip
SIMPLE_CAUSES = ["两车剐蹭", "倒车碰撞", "追尾，无人员伤亡", "变道剐蹭"]  # fmt: skip
FIRE_SECTORS = ("crowded_place", "three_in_one", "self_built_house", "group_rental", "commercial")
LATE_SHARE = 0.07
SANCTIONS = ["罚款20万元", "撤销安全管理人员资格", "给予政务警告处分", "责令停产整顿", "移送司法机关",
             "诫勉谈话", "罚款并纳入安全生产失信名单"]  # fmt: skip


@dataclass
class Place:
    pk: int
    territory_id: int | None
    address: str
    name: str


@dataclass
class District:
    unit: OrgUnit
    territories: list[OrgUnit]
    weights: list[int]
    sites_by_sector: dict[str, list[Place]]
    actor: User
    lead_units: dict[str, OrgUnit]  # "office", "emergency", "fire", "traffic"…
    share: float
    roads: list[str]


@dataclass
class Spec:
    """One accident before it is written, with what decides its investigation and correction."""

    accident: Accident
    correction: tuple[dict, str] | None = None  # (the numbers as first reported, reason of the correction)
    state: str = "none"  # none, open, extended, overdue, closed


def _load(district: OrgUnit, share: float) -> District | None:
    territories = list(
        OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS, is_active=True).order_by("order", "id")
    )
    territories = [t for t in territories if t.boundary]
    if not territories:
        return None
    actor = (
        User.objects.filter(is_active=True, role="safety_office", org_unit__district=district).order_by("id").first()
        or User.objects.filter(is_active=True, role="city_admin")
        .filter(Q(org_unit_id=district.city_id) | Q(org_unit__city_id=district.city_id))
        .order_by("id")
        .first()
    )
    if actor is None:
        return None
    sites: dict[str, list[Place]] = {}
    rows = (
        SiteSector.objects.filter(site__district=district, site__status="operating")
        .order_by("site_id", "sector_id")
        .values_list("sector_id", "site_id", "site__territory_id", "site__address", "site__name")
    )
    for sector, pk, territory_id, address, name in rows:
        sites.setdefault(sector, []).append(Place(pk, territory_id, address, name))
    units = {u.department_type: u for u in OrgUnit.objects.filter(district=district, kind=OrgUnitKind.DEPARTMENT)}
    office = OrgUnit.objects.filter(district=district, kind=OrgUnitKind.SAFETY_OFFICE).order_by("id").first()
    fallback = office or district
    lead_units = {
        "office": fallback,
        "emergency": units.get(DepartmentType.EMERGENCY, fallback),
        "fire": units.get(DepartmentType.FIRE_RESCUE, fallback),
        "traffic": units.get(DepartmentType.TRAFFIC_POLICE, fallback),
        "housing": units.get(DepartmentType.HOUSING, fallback),
    }
    return District(
        unit=district,
        territories=territories,
        weights=[max(t.population or 1, 1) for t in territories],
        sites_by_sector=sites,
        actor=actor,
        lead_units=lead_units,
        share=share,
        roads=ROADS.get(district.name) or ROADS["滨江区"],
    )


def _casualties(deaths: int, serious: int, minor: int) -> str:
    parts = []
    if deaths:
        parts.append(f"{deaths}人死亡")
    if serious:
        parts.append(f"{serious}人重伤")
    if minor:
        parts.append(f"{minor}人轻伤")
    return "、".join(parts)


class Builder:
    def __init__(self, world: District, rng: random.Random, now: datetime.datetime):
        self.w = world
        self.rng = rng
        self.now = now
        self.today = timezone.localtime(now).date()
        self.tz = timezone.get_default_timezone()
        self.corrections = 0

    # --- time and place ---------------------------------------------------------------------------------

    def moment(self, day: datetime.date, hours: tuple[int, int] = (0, 23)) -> datetime.datetime:
        hour = self.rng.randint(*hours)
        value = datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(0, 60, 5)), self.tz)
        return min(value, self.now - datetime.timedelta(hours=3))

    def days_of(self, year: int) -> list[datetime.date]:
        first = max(datetime.date(year, 1, 1), START)
        last = min(datetime.date(year, 12, 31), self.today)
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)] if last >= first else []

    def territory(self) -> OrgUnit:
        return self.rng.choices(self.w.territories, weights=self.w.weights)[0]

    def site_of(self, sectors) -> tuple[Place | None, str | None]:
        options = [(sector, place) for sector in sectors for place in self.w.sites_by_sector.get(sector, [])]
        if not options:
            return None, None
        sector, place = self.rng.choice(options)
        return place, sector

    def road(self) -> str:
        first, second = self.rng.sample(self.w.roads, 2)
        return self.rng.choice([f"{first}与{second}交叉口", f"{first}{self.rng.randint(1, 999)}号附近"])

    def accident(self, *, category, accident_type, occurred_at, summary, place=None, sector=None, late=None,
                 **measures) -> Accident:  # fmt: skip
        if place is not None and place.territory_id:
            territory = next((t for t in self.w.territories if t.pk == place.territory_id), None)
            territory_id = place.territory_id
        else:
            territory = self.territory()
            territory_id = territory.pk
        late = self.rng.random() < LATE_SHARE if late is None else late
        delay = (
            datetime.timedelta(minutes=self.rng.randint(75, 600))
            if late
            else datetime.timedelta(minutes=self.rng.randint(5, 55))
        )
        reported_at = min(occurred_at + delay, self.now)
        longitude = latitude = None
        if place is None or self.rng.random() < 0.3:
            polygon = (territory or self.territory()).boundary
            longitude, latitude = random_point_in(polygon, self.rng)
        values = {name: measures.get(name, 0) for name in services.MEASURES}
        values["direct_loss"] = Decimal(str(values["direct_loss"])).quantize(Decimal("0.01"))
        return Accident(
            district=self.w.unit,
            territory_id=territory_id,
            site_id=place.pk if place else None,
            sector_id=sector,
            category=category,
            accident_type=accident_type,
            occurred_at=occurred_at,
            reported_at=reported_at,
            late_report=reported_at - occurred_at > datetime.timedelta(minutes=standards.REPORT_WITHIN_MINUTES),
            address=(place.address if place and place.address else self.road())[:300],
            longitude=longitude,
            latitude=latitude,
            summary=summary,
            grade=standards.grade_for(
                deaths=values["deaths"], serious_injuries=values["serious_injuries"], direct_loss=values["direct_loss"]
            ),
            created_by=self.w.actor,
            created_at=reported_at + datetime.timedelta(minutes=self.rng.randint(5, 120)),
            **values,
        )

    # --- the categories ---------------------------------------------------------------------------------

    def count(self, category, year: int) -> int:
        days = len(self.days_of(year))
        expected = YEARLY[category] * YEAR_FACTORS[category][year if year in (2024, 2025) else 2026]
        expected *= self.w.share * days / 365
        return round(expected * self.rng.uniform(0.92, 1.08))

    def production(self, day) -> Spec:
        sector = self.rng.choices(list(PRODUCTION_SECTORS), weights=list(PRODUCTION_SECTORS.values()))[0]
        place, _found = self.site_of([sector])
        accident_type = self.rng.choice(SECTOR_TYPES[sector])
        deaths = self.rng.choices([0, 1, 2], weights=[45, 50, 5])[0]
        serious = self.rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0] if deaths == 0 else self.rng.randint(0, 1)
        minor = self.rng.randint(0, 3)
        if deaths + serious + minor == 0:
            minor = 1
        loss = self.rng.randint(3, 180) * 10_000 if deaths else self.rng.randint(5, 60) * 1_000
        where = place.name if place else "作业现场"
        accident = self.accident(
            category=AccidentCategory.PRODUCTION,
            accident_type=accident_type,
            occurred_at=self.moment(day, (7, 19)),
            summary=f"{where}：{TYPE_WORDS[accident_type]}，造成{_casualties(deaths, serious, minor)}。",
            place=place,
            sector=sector,
            deaths=deaths,
            serious_injuries=serious,
            minor_injuries=minor,
            direct_loss=loss,
        )
        spec = Spec(accident)
        # An injured worker who died within the 30-day window: the numbers as first reported are kept. The first such
        # accident of a district always has one, so the demo shows a correction whatever the draws before it.
        if deaths == 1 and (self.corrections == 0 or self.rng.random() < 0.08):
            self.corrections += 1
            spec.correction = ({"deaths": 0, "serious_injuries": serious + 1}, "重伤人员经抢救无效死亡")
        return spec

    def road_general(self, day) -> Spec:
        deaths = 1 if self.rng.random() < 0.3 else 0
        serious = self.rng.choices([0, 1, 2], weights=[55, 35, 10])[0]
        minor = self.rng.randint(0 if deaths or serious else 1, 3)
        accident = self.accident(
            category=AccidentCategory.ROAD_TRAFFIC,
            accident_type=AccidentType.VEHICLE,
            occurred_at=self.moment(day),
            summary=f"{self.rng.choice(ROAD_CAUSES)}，造成{_casualties(deaths, serious, minor)}。",
            sector="road_traffic",
            deaths=deaths,
            serious_injuries=serious,
            minor_injuries=minor,
            direct_loss=self.rng.randint(2, 80) * 1_000,
        )
        return Spec(accident)

    def road_simple(self, day) -> Spec:
        minor = 1 if self.rng.random() < 0.15 else 0
        accident = self.accident(
            category=AccidentCategory.ROAD_TRAFFIC_SIMPLE,
            accident_type=AccidentType.VEHICLE,
            occurred_at=self.moment(day, (6, 22)),
            summary=f"{self.rng.choice(SIMPLE_CAUSES)}，当事人自行协商处理。",
            sector="road_traffic",
            late=False,
            minor_injuries=minor,
            direct_loss=self.rng.randint(5, 60) * 100,
        )
        return Spec(accident)

    def fire(self, day) -> Spec:
        place, sector = self.site_of(FIRE_SECTORS) if self.rng.random() < 0.5 else (None, None)
        deaths = 1 if self.rng.random() < 0.07 else 0
        minor = self.rng.choices([0, 1, 2], weights=[75, 20, 5])[0]
        where = place.name if place else self.rng.choice(["居民住宅", "沿街店铺", "出租房", "仓库", "车辆"])
        accident = self.accident(
            category=AccidentCategory.FIRE,
            accident_type=AccidentType.FIRE,
            occurred_at=self.moment(day),
            summary=f"{where}：{self.rng.choice(FIRE_CAUSES)}，{_casualties(deaths, 0, minor) or '无人员伤亡'}。",
            place=place,
            sector=sector,
            deaths=deaths,
            minor_injuries=minor,
            direct_loss=self.rng.randint(1, 300) * 1_000,
        )
        return Spec(accident)

    def other(self, day) -> Spec:
        accident = self.accident(
            category=AccidentCategory.OTHER,
            accident_type=self.rng.choice([AccidentType.DROWNING, AccidentType.OTHER]),
            occurred_at=self.moment(day),
            summary="游客在河道边嬉水不慎落水。",
            deaths=self.rng.choice([0, 1]),
            minor_injuries=self.rng.choice([0, 1]),
        )
        return Spec(accident)

    def scripted(self) -> list[Spec]:
        """The relatively serious accidents and the investigations every state needs, at dates relative to today
        (clamped into the period), so each state exists whatever day the demo is seeded."""

        def day(days_ago: int, fallback: datetime.date) -> datetime.date:
            value = self.today - datetime.timedelta(days=days_ago)
            return value if value >= START else fallback

        specs = []
        if self.w.share < 1:
            return specs
        collapse = self.site_of(["construction"])[0]
        specs.append(
            Spec(
                self.accident(
                    category=AccidentCategory.PRODUCTION,
                    accident_type=AccidentType.COLLAPSE,
                    occurred_at=self.moment(datetime.date(2024, 5, 17), (9, 16)),
                    summary=f"{collapse.name if collapse else '在建工地'}：基坑支护失稳坍塌，造成3人死亡、2人重伤。",
                    place=collapse,
                    sector="construction",
                    late=False,
                    deaths=3,
                    serious_injuries=2,
                    direct_loss=6_850_000,
                ),
                state="closed",
            )
        )
        fire_place = self.site_of(["three_in_one", "group_rental", "self_built_house"])
        fire = Spec(
            self.accident(
                category=AccidentCategory.FIRE,
                accident_type=AccidentType.FIRE,
                occurred_at=self.moment(datetime.date(2025, 1, 23), (1, 4)),
                summary=f"{fire_place[0].name if fire_place[0] else '“三合一”场所'}：夜间电动自行车充电起火，"
                "造成4人死亡、3人轻伤。",
                place=fire_place[0],
                sector=fire_place[1],
                late=True,
                deaths=4,
                minor_injuries=3,
                direct_loss=1_260_000,
            ),
            state="closed",
        )
        # First reported with two deaths: the correction raises the grade to 较大.
        fire.correction = ({"deaths": 2, "serious_injuries": 2}, "2名重伤人员经抢救无效死亡")
        specs.append(fire)
        poisoning = self.site_of(["hazchem", "industry_trade"])
        specs.append(
            Spec(
                self.accident(
                    category=AccidentCategory.PRODUCTION,
                    accident_type=AccidentType.POISONING,
                    occurred_at=self.moment(day(80, datetime.date(2024, 3, 1)), (8, 17)),
                    summary=f"{poisoning[0].name if poisoning[0] else '化工企业'}：污水池清淤作业，"
                    "未经检测进入受限空间，造成3人死亡、4人重伤。",
                    place=poisoning[0],
                    sector=poisoning[1] or "hazchem",
                    late=False,
                    deaths=3,
                    serious_injuries=4,
                    direct_loss=4_300_000,
                ),
                state="extended",
            )
        )
        for days_ago, state, sector in ((20, "open", "industry_trade"), (150, "overdue", "construction")):
            place = self.site_of([sector])[0]
            specs.append(
                Spec(
                    self.accident(
                        category=AccidentCategory.PRODUCTION,
                        accident_type=AccidentType.FALL,
                        occurred_at=self.moment(day(days_ago, datetime.date(2024, 2, 1)), (8, 17)),
                        summary=f"{place.name if place else '作业现场'}：作业人员从脚手架坠落，造成1人死亡。",
                        place=place,
                        sector=sector,
                        late=False,
                        deaths=1,
                        direct_loss=1_500_000,
                    ),
                    state=state,
                )
            )
        return specs

    def build(self) -> list[Spec]:
        makers = {
            AccidentCategory.PRODUCTION: self.production,
            AccidentCategory.ROAD_TRAFFIC: self.road_general,
            AccidentCategory.ROAD_TRAFFIC_SIMPLE: self.road_simple,
            AccidentCategory.FIRE: self.fire,
            AccidentCategory.OTHER: self.other,
        }
        specs = self.scripted()
        for year in range(START.year, self.today.year + 1):
            days = self.days_of(year)
            if not days:
                continue
            for category, make in makers.items():
                for _n in range(self.count(category, year)):
                    specs.append(make(self.rng.choice(days)))
        specs.sort(key=lambda s: (s.accident.occurred_at, s.accident.category))
        self.plan_investigations(specs)
        return specs

    def plan_investigations(self, specs: list[Spec]) -> None:
        """Fatal production accidents and fires and every relatively serious one are investigated; the state
        follows the age: open within 60 days, then mostly closed, some extended and a few left overdue."""
        counter = 0
        for spec in specs:
            accident = spec.accident
            if spec.state != "none":
                continue
            investigated = accident.grade != AccidentGrade.ORDINARY or (
                accident.deaths and accident.category in (AccidentCategory.PRODUCTION, AccidentCategory.FIRE)
            )
            if not investigated:
                continue
            counter += 1
            age = (self.today - timezone.localtime(accident.occurred_at).date()).days
            if age <= services.INVESTIGATION_DAYS:
                spec.state = "open"
            elif age <= services.INVESTIGATION_DAYS + 50 and counter % 2 == 0:
                spec.state = "extended"
            elif counter % 11 == 0:
                spec.state = "overdue"
            else:
                spec.state = "closed"
