"""Demo risk data of the demo city (issue: risk grading and the four-colour map, item 8).

About 85 % of each district's places get a risk assessment with the risk points their sectors really have
(储罐区泄漏 for hazardous chemicals, 高处作业 on a building site, 疏散通道 in a crowded place…), graded by LEC or
LS (STANDARDS §2) with factor values drawn so that the colours are plausible: few red, more orange, many
yellow and blue. The rest stay unassessed (grey on the map, never blue). Districts differ — 城南区 carries
more risk, 城北区 less — so the city ranking has something to rank. The chemical units of the demo hazchem
places get the people within 500 m and, for a few, the inventories that make major hazard installations of
every level (GB 18218, STANDARDS §3: 一级 to 四级) next to units that stay below their critical quantity.

Deterministic (a seeded ``random.Random`` per district), idempotent (a district that has assessments is left
alone), fast (``bulk_create``). The current levels are written afterwards by the caller through the risk
module's own recompute (seed_demo runs: this seed, identification, recompute, the city assessment's seed).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anjian.accidents.choices import AccidentType as T
from anjian.core import audit
from anjian.demo.organizations import CITY
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import ChemicalUnitKind, RiskLevel
from anjian.registry.models import ChemicalInventory, ChemicalUnit, Site, SiteSector
from anjian.risk import standards
from anjian.risk.models import RiskAssessment, RiskPoint
from anjian.risk.standards import RiskMethod

BATCH = 1000
LEC, LS = RiskMethod.LEC.value, RiskMethod.LS.value
RED, ORANGE, YELLOW, BLUE = (RiskLevel.RED.value, RiskLevel.ORANGE.value, RiskLevel.YELLOW.value,
                             RiskLevel.BLUE.value)  # fmt: skip
ORDER = [RED, ORANGE, YELLOW, BLUE]

# --- risk points per sector ------------------------------------------------------------------------------
# (activity or installation, GB 6441 accident type, existing controls). Each sector is graded by the method its
# guides use: LEC for work activities (危化、工贸、建筑…), the LS matrix for premises and public facilities.


@dataclass(frozen=True)
class PointSpec:
    name: str
    accident_type: str
    controls: str


SECTOR_POINTS: dict[str, tuple[str, list[PointSpec]]] = {
    "hazchem": (LEC, [
        PointSpec("储罐区物料泄漏", T.POISONING, "液位、温度、压力监测报警，有毒气体报警联锁，围堰及事故应急池"),
        PointSpec("储罐区泄漏遇点火源", T.FIRE, "防爆电气，防雷防静电接地，动火作业审批，泡沫灭火系统"),
        PointSpec("装卸车作业", T.OTHER_EXPLOSION, "装卸鹤管静电接地报警，紧急切断阀，装卸专人监护"),
        PointSpec("反应釜超温超压", T.VESSEL_EXPLOSION, "DCS 控制及 SIS 安全联锁，安全阀、爆破片定期校验"),
        PointSpec("受限空间作业", T.POISONING, "受限空间作业审批，先通风、再检测、后作业，专人监护"),
        PointSpec("甲类仓库储存", T.FIRE, "分区分类储存，可燃气体报警，自动喷淋，双人双锁管理"),
    ]),
    "fireworks": (LEC, [
        PointSpec("成品仓库储存", T.EXPLOSIVE, "限量储存，防雷设施检测，严禁烟火，视频监控"),
        PointSpec("搬运装卸作业", T.EXPLOSIVE, "轻拿轻放，防静电工作服，定员定量"),
        PointSpec("零售点超量存放", T.FIRE, "存放量不超过 1 箱标准，配备灭火器，远离火源"),
    ]),
    "construction": (LEC, [
        PointSpec("高处作业", T.FALL, "临边洞口防护，安全带、安全网，作业人员持证上岗"),
        PointSpec("起重吊装作业", T.LIFTING, "塔吊、施工升降机检测合格，司索信号工持证，吊装区域警戒"),
        PointSpec("深基坑开挖", T.COLLAPSE, "专项施工方案论证，基坑支护与监测，临边防护"),
        PointSpec("脚手架搭设拆除", T.COLLAPSE, "专项方案，架体验收挂牌，连墙件设置"),
        PointSpec("临时用电", T.ELECTRIC_SHOCK, "三级配电两级保护，TN-S 系统，电工持证"),
        PointSpec("模板支撑体系", T.COLLAPSE, "高支模方案论证，浇筑过程监测"),
    ]),
    "road_traffic": (LS, [
        PointSpec("急弯陡坡路段通行", T.VEHICLE, "设置警示标志、减速带，限速管理"),
        PointSpec("重点车辆运营", T.VEHICLE, "车辆动态监控，驾驶员安全教育，超速疲劳驾驶提醒"),
        PointSpec("平交路口通行", T.VEHICLE, "信号灯控制，路口视距清理，电子抓拍"),
    ]),
    "city_gas": (LEC, [
        PointSpec("燃气管道泄漏", T.OTHER_EXPLOSION, "管网巡检，可燃气体检测，第三方施工监护"),
        PointSpec("调压站运行", T.OTHER_EXPLOSION, "双路调压，超压切断，定期检修"),
        PointSpec("用户端燃气泄漏", T.OTHER_EXPLOSION, "入户安检，安装燃气泄漏报警器和自闭阀"),
    ]),
    "special_equipment": (LS, [
        PointSpec("电梯运行", T.LIFTING, "定期检验合格，维保单位每 15 日维护保养，应急救援电话畅通"),
        PointSpec("锅炉运行", T.BOILER_EXPLOSION, "司炉人员持证，安全附件定期校验，水质处理"),
        PointSpec("压力容器使用", T.VESSEL_EXPLOSION, "定期检验，安全阀、压力表校验"),
        PointSpec("起重机械作业", T.LIFTING, "定期检验，限位器、制动器完好，作业人员持证"),
    ]),
    "commercial": (LS, [
        PointSpec("营业区人员聚集", T.OTHER, "客流监测，节假日限流，安全出口标识"),
        PointSpec("电气线路老化", T.FIRE, "电气线路定期检测，禁止私拉乱接"),
        PointSpec("疏散通道堵塞", T.FIRE, "每日防火巡查，通道保持畅通"),
    ]),
    "large_event": (LS, [
        PointSpec("人员拥挤踩踏", T.OTHER, "分区限流，安保人员定岗，应急疏散预案与演练"),
        PointSpec("临时搭建舞台坍塌", T.COLLAPSE, "搭建方案审核，第三方结构检测"),
    ]),
    "three_in_one": (LS, [
        PointSpec("住人与经营场所未有效分隔", T.FIRE, "防火分隔整改，独立疏散通道"),
        PointSpec("电动自行车室内充电", T.FIRE, "集中充电区，严禁入户充电"),
        PointSpec("疏散通道堵塞", T.FIRE, "防火巡查，清理堆放物"),
    ]),
    "crowded_place": (LS, [
        PointSpec("疏散通道、安全出口", T.FIRE, "每日两次防火巡查，应急照明及疏散指示完好"),
        PointSpec("厨房燃气使用", T.OTHER_EXPLOSION, "燃气泄漏报警及切断装置，烟道定期清洗"),
        PointSpec("电气线路", T.FIRE, "电气防火检测，禁止私拉乱接"),
        PointSpec("人员密集拥挤", T.OTHER, "限流措施，安全疏散预案演练"),
    ]),
    "self_built_house": (LS, [
        PointSpec("房屋结构安全", T.COLLAPSE, "房屋安全鉴定，禁止擅自加层和改变承重结构"),
        PointSpec("经营性用途火灾", T.FIRE, "配置灭火器，电气线路规范敷设"),
    ]),
    "group_rental": (LS, [
        PointSpec("隔断群租火灾", T.FIRE, "拆除违规隔断，安装独立式感烟火灾探测报警器"),
        PointSpec("电动自行车室内充电", T.FIRE, "集中充电设施，入户宣传"),
    ]),
    "dilapidated_house": (LS, [
        PointSpec("房屋倒塌", T.COLLAPSE, "C/D 级危房停止使用，设置警示，定期巡查"),
        PointSpec("汛期渗漏", T.COLLAPSE, "汛期专项排查，临时支护"),
    ]),
    "high_rise": (LS, [
        PointSpec("高层火灾蔓延", T.FIRE, "自动消防设施维保检测，消防控制室持证值守"),
        PointSpec("外墙外保温材料", T.FIRE, "外墙保温材料排查，严禁动火作业"),
        PointSpec("电梯运行", T.LIFTING, "电梯定期检验、维保"),
    ]),
    "municipal": (LS, [
        PointSpec("桥梁结构安全", T.COLLAPSE, "定期检测评估，限载标志"),
        PointSpec("地下管网作业", T.POISONING, "有限空间作业审批，通风检测"),
    ]),
    "industry_trade": (LEC, [
        PointSpec("冲压剪切设备作业", T.MACHINERY, "双手操作按钮，光电保护装置，设备定期检修"),
        PointSpec("粉尘涉爆区域", T.OTHER_EXPLOSION, "除尘系统防爆，定期清扫积尘，禁止明火"),
        PointSpec("叉车作业", T.VEHICLE, "叉车司机持证，限速，人车分流"),
        PointSpec("有限空间作业", T.POISONING, "作业审批，先通风、再检测、后作业"),
        PointSpec("仓库堆垛", T.OBJECT_STRIKE, "限高堆放，货架定期检查"),
        PointSpec("配电房", T.ELECTRIC_SHOCK, "电工持证，绝缘防护用品，定期检测"),
    ]),
    "waterlogging_point": (LS, [
        PointSpec("强降雨道路积水", T.DROWNING, "排涝泵站值守，积水警示，封闭交通预案"),
        PointSpec("下穿通道积水", T.DROWNING, "水位监测与警示，应急抽排"),
    ]),
}  # fmt: skip

# Factor values that land in each colour under the default bands (checked by standards.band_level below, so a
# district with its own bands still gets the colour its bands give, never a colour typed here).
LEC_FACTORS = {
    RED: [(6, 6, 15), (3, 6, 40), (10, 6, 7), (1, 10, 40)],
    ORANGE: [(3, 6, 15), (6, 3, 15), (3, 10, 7), (1, 6, 40)],
    YELLOW: [(3, 6, 7), (1, 6, 15), (3, 3, 15), (6, 2, 7)],
    BLUE: [(1, 6, 7), (1, 3, 15), (0.5, 6, 15), (1, 6, 3), (3, 3, 3)],
}
LS_FACTORS = {
    RED: [(5, 4), (4, 5), (5, 5)],
    ORANGE: [(3, 5), (4, 4), (5, 3)],
    YELLOW: [(3, 3), (3, 4), (4, 3), (2, 5)],
    BLUE: [(2, 3), (2, 2), (1, 5), (2, 4), (1, 3)],
}

# How likely each colour is for a place of a sector (red, orange, yellow, blue), before the district's tilt.
SECTOR_WEIGHTS: dict[str, tuple[float, float, float, float]] = {
    "hazchem": (0.15, 0.35, 0.35, 0.15),
    "fireworks": (0.10, 0.35, 0.40, 0.15),
    "construction": (0.06, 0.30, 0.44, 0.20),
    "city_gas": (0.08, 0.30, 0.42, 0.20),
    "industry_trade": (0.03, 0.14, 0.43, 0.40),
    "crowded_place": (0.02, 0.12, 0.41, 0.45),
    "high_rise": (0.03, 0.15, 0.42, 0.40),
    "three_in_one": (0.05, 0.25, 0.45, 0.25),
    "group_rental": (0.04, 0.22, 0.44, 0.30),
    "dilapidated_house": (0.06, 0.24, 0.40, 0.30),
    "special_equipment": (0.02, 0.10, 0.38, 0.50),
}
DEFAULT_WEIGHTS = (0.02, 0.10, 0.38, 0.50)

# Each district: (share of places assessed, tilt towards higher risk: > 1 riskier, < 1 safer).
DISTRICT_PROFILES = {"990102": (0.86, 1.0), "990103": (0.83, 1.8), "990104": (0.88, 0.55)}
DEFAULT_PROFILE = (0.85, 1.0)


def _weights(codes: list[str], tilt: float) -> list[float]:
    """The colour weights of a place: its riskiest sector's, with red and orange scaled by the district's tilt."""
    base = max((SECTOR_WEIGHTS.get(code, DEFAULT_WEIGHTS) for code in codes), key=lambda w: w[0] + w[1])
    red, orange, yellow, blue = base
    return [red * tilt, orange * tilt, yellow, blue / max(tilt, 0.5)]


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _point(spec: PointSpec, method: str, target: str, rng: random.Random) -> RiskPoint:
    """A risk point whose factors land in the target colour; score and level computed as the service does."""
    point = RiskPoint(name=spec.name, accident_type=spec.accident_type, controls=spec.controls, method=method)
    if method == LEC:
        lec_l, lec_e, lec_c = (_decimal(v) for v in rng.choice(LEC_FACTORS[target]))
        point.lec_l, point.lec_e, point.lec_c = lec_l, lec_e, lec_c
        point.score = lec_l * lec_e * lec_c
    else:
        point.ls_l, point.ls_s = rng.choice(LS_FACTORS[target])
        point.score = Decimal(point.ls_l * point.ls_s)
    point.level = standards.band_level(method, point.score)
    return point


def _points_for(codes: list[str], target: str, rng: random.Random) -> list[RiskPoint]:
    """Two to four points from the place's sectors: the first in the target colour, the others no worse."""
    candidates = [(SECTOR_POINTS[c][0], spec) for c in codes if c in SECTOR_POINTS for spec in SECTOR_POINTS[c][1]]
    if not candidates:
        return []
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 4)))
    lower = ORDER[ORDER.index(target) :]
    points = [_point(chosen[0][1], chosen[0][0], target, rng)]
    points.extend(_point(spec, method, rng.choice(lower), rng) for method, spec in chosen[1:])
    return points


def _assessors(district: OrgUnit) -> list:
    """The district's safety office, departments, streets and inspectors assess; a district without accounts
    borrows the city's staff (the demo city has accounts in only two of its districts)."""
    from anjian.accounts.models import User

    roles = ("safety_office", "department_officer", "inspector", "street_officer")
    users = list(
        User.objects.filter(is_active=True, role__in=roles)
        .filter(Q(org_unit__district=district) | Q(org_unit=district))
        .order_by("id")
    )
    if not users:
        users = list(
            User.objects.filter(is_active=True, role="city_admin", org_unit_id=district.city_id).order_by("id")
        )
    return users


def _summary(method_codes: set[str]) -> str:
    names = {LEC: "作业条件危险性评价法（LEC）", LS: "风险矩阵法（LS）"}
    return "、".join(names[m] for m in (LEC, LS) if m in method_codes)


NOTES = [
    "年度风险辨识评估",
    "企业自评，监管部门审核确认",
    "委托第三方技术服务机构评估",
    "复工复产前风险辨识",
    "工艺、设备变更后重新评估",
]


def _seed_district(district: OrgUnit, *, index: int, today: datetime.date) -> dict | None:
    profile = DISTRICT_PROFILES.get(district.code, DEFAULT_PROFILE)
    share, tilt = profile
    sites = list(Site.objects.filter(district=district).order_by("id").values_list("id", flat=True))
    assessors = _assessors(district)
    if not sites or not assessors:
        return None
    rng = random.Random(20261201 + index * 101)
    codes: dict[int, list[str]] = {}
    for site_id, code in (
        SiteSector.objects.filter(site__district=district).order_by("id").values_list("site_id", "sector_id")
    ):
        codes.setdefault(site_id, []).append(code)
    assessed = sorted(rng.sample(sites, round(len(sites) * share)))

    plans: list[tuple[RiskAssessment, list[RiskPoint]]] = []
    for site_id in assessed:
        sector_codes = codes.get(site_id) or ["industry_trade"]
        # An older assessment first for about one place in six: the history the place's tab shows.
        dates = [today - datetime.timedelta(days=rng.randint(5, 330))]
        if rng.random() < 0.17:
            dates.insert(0, dates[0] - datetime.timedelta(days=rng.randint(300, 420)))
        for assessed_on in dates:
            target = rng.choices(ORDER, weights=_weights(sector_codes, tilt))[0]
            points = _points_for(sector_codes, target, rng)
            if not points:
                continue
            assessment = RiskAssessment(
                site_id=site_id,
                district=district,
                assessed_by=rng.choice(assessors),
                assessed_on=assessed_on,
                method_summary=_summary({p.method for p in points}),
                note=rng.choice(NOTES),
                level=standards.worst([p.level for p in points]),
            )
            plans.append((assessment, points))
    RiskAssessment.objects.bulk_create([a for a, _p in plans], batch_size=BATCH)
    if any(a.pk is None for a, _p in plans):  # databases without RETURNING
        ids = {
            (row[1], row[2]): row[0]
            for row in RiskAssessment.objects.filter(district=district).values_list("id", "site_id", "assessed_on")
        }
        for assessment, _points in plans:
            assessment.pk = ids[(assessment.site_id, assessment.assessed_on)]
    rows = []
    for assessment, points in plans:
        for point in points:
            point.assessment = assessment
            rows.append(point)
    RiskPoint.objects.bulk_create(rows, batch_size=BATCH)
    latest = {a.site_id: a.level for a, _p in plans}  # plans are in date order per place: the last one wins
    colours = {level: sum(1 for v in latest.values() if v == level) for level in ORDER}
    return {
        "places": len(sites),
        "assessed": len(latest),
        "unassessed": len(sites) - len(latest),
        "assessments": len(plans),
        "risk_points": len(rows),
        **colours,
    }


# --- chemical units: people within 500 m and the inventories of the graded installations -----------------------

# (inventory rows, people within 500 m) that give each GB 18218 level with the standard's β (氨 2, 氯 4) and α:
# 一级 R = 2.0 × 2 × 300/10 = 120; 二级 R = 2.0 × (2 × 90/10 + 4 × 10/5) = 52; 三级 R = 1.5 × 2 × 40/10 = 12;
# 四级 R = 1.0 × 2 × 18/10 = 3.6.
INSTALLATIONS: dict[str, tuple[list[tuple[str, str, float, str]], int]] = {
    "1": ([("液氨", "7664-41-7", 300.0, "")], 1_850),
    "2": ([("液氨", "7664-41-7", 90.0, ""), ("氯", "7782-50-5", 10.0, "")], 420),
    "3": ([("液氨", "7664-41-7", 40.0, "")], 65),
    "4": ([("液氨", "7664-41-7", 18.0, "")], 12),
}
# Which levels each district's hazchem storage units are given, in the order of their places.
DISTRICT_INSTALLATIONS = {"990102": ["1", "2", "3", "3", "4"], "990103": ["2", "3", "4"], "990104": ["3", "4"]}
# A substance not named in GB 18218 Table 1, recorded with its Table 2 category (易燃液体 W5.4): below its Q.
CATEGORY_ROW = ("二甲苯", "1330-20-7", 35.0, "W5.4")


def _people(rng: random.Random) -> int:
    """People normally present within 500 m: the bands of α (0; 1–29; 30–49; 50–99; ≥ 100), mostly ≥ 100 in a city."""
    band = rng.choices([(0, 0), (3, 29), (30, 49), (50, 99), (100, 3_000)], weights=[1, 2, 2, 3, 8])[0]
    return rng.randint(*band)


def _seed_chemicals(district: OrgUnit, *, index: int) -> dict:
    """Every chemical unit of the district's hazchem places gets its headcount; a few storage units the
    inventory of an installation of a chosen level, one more a category-only substance."""
    rng = random.Random(20261202 + index * 101)
    units = list(
        ChemicalUnit.objects.filter(site__district=district, people_within_500m__isnull=True)
        .order_by("site_id", "id")
        .only("id", "site_id", "kind", "name")
    )
    for unit in units:
        unit.people_within_500m = _people(rng)
    storage = [u for u in units if u.kind == ChemicalUnitKind.STORAGE]
    levels = DISTRICT_INSTALLATIONS.get(district.code, ["3", "4"])
    picked = rng.sample(storage, min(len(levels), len(storage))) if storage else []
    new_rows = []
    for unit, level in zip(sorted(picked, key=lambda u: u.pk), levels, strict=False):
        rows, people = INSTALLATIONS[level]
        unit.people_within_500m = people
        ChemicalInventory.objects.filter(unit=unit).delete()
        new_rows.extend(
            ChemicalInventory(unit=unit, substance=s, cas_number=cas, max_quantity_t=_decimal(q), hazard_category=cat)
            for s, cas, q, cat in rows
        )
    others = [u for u in storage if u not in picked]
    if others:
        substance, cas, quantity, category = CATEGORY_ROW
        new_rows.append(
            ChemicalInventory(
                unit=others[0], substance=substance, cas_number=cas, max_quantity_t=_decimal(quantity),
                hazard_category=category,
            )
        )  # fmt: skip
    ChemicalUnit.objects.bulk_update(units, ["people_within_500m"], batch_size=BATCH)
    ChemicalInventory.objects.bulk_create(new_rows, batch_size=BATCH)
    return {"chemical_units": len(units), "graded_installations": len(picked)}


def seed(*, stdout=None, today: datetime.date | None = None) -> dict:
    """Assess the places of every district of the demo city that has places and no assessment yet."""
    city = OrgUnit.objects.filter(kind=OrgUnitKind.CITY, code=CITY["code"]).first()
    if city is None:
        return {}
    today = today or timezone.localdate()
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city=city).order_by("order", "id"))
    summary: dict[str, dict] = {}
    with transaction.atomic():
        for index, district in enumerate(districts):
            if RiskAssessment.objects.filter(district=district).exists():
                continue  # a seeded district is left as it is
            result = _seed_district(district, index=index, today=today)
            if result is None:
                continue
            result.update(_seed_chemicals(district, index=index))
            summary[district.name] = result
            if stdout is not None:
                stdout.write(
                    f"  {district.name}: {result['assessed']} of {result['places']} places assessed "
                    f"({result['red']} red, {result['orange']} orange, {result['yellow']} yellow, "
                    f"{result['blue']} blue; {result['unassessed']} unassessed), {result['risk_points']} risk points, "
                    f"{result['graded_installations']} chemical units set as graded installations"
                )
        if summary:
            audit.record(
                actor=None,
                action="risk.demo.seed",
                object_type="organizations.orgunit",
                object_id=str(city.pk),
                object_repr=str(city),
                after=summary,
            )
    return summary
