"""Demo inspections and hazards of the demo district (issue 4, item 9): campaigns, a year of inspections and
about 8,000 hazards in every state, a few hundred overdue, some escalated, a few suspension orders and two
closure requests, with generated sample photos.

Rules the data follows (so the pages show what the services would have produced):
- Everything comes from one seeded ``random.Random``; times are relative to the day of seeding.
- Rows are written with ``bulk_create`` (a service call per hazard would take many minutes), but each hazard
  is built by replaying the transitions of :mod:`anjian.inspections.workflow` in time order: the timeline
  (``HazardEvent``), the notice, plans, rectifications with their after-photos, escalations and the final
  fields are what ``services`` writes for the same moves. Numbers use the services' formats.
- The hourly job's work is replayed too: a hazard past its deadline gets one "overdue" event per missed
  deadline and, if not yet under escalated supervision, an automatic escalation (挂牌督办) with a new
  deadline 15 days on; a major hazard is escalated when it is reported. What became overdue in the last two
  days is left to :func:`services.scan_deadlines`, run at the end, so the demo accounts get real notifications.
- Actors are the demo accounts, each acting only on places in its scope; nobody verifies a rectification they
  submitted. The few places with no demo officer but the safety office have their rectifications verified by
  the city administrator (city scope).
- About 40 distinct photos are generated and stored once; the ``Photo`` rows of all hazards reuse them.
- The whole seeding writes one audit record (``inspections.demo.seed``), which also marks the district as
  seeded: a second run does nothing.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import CharField, DateField, DateTimeField, DecimalField, JSONField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.models import AuditEntry
from anjian.inspections import evidence, services
from anjian.inspections.choices import (
    CAMPAIGN_SOURCE,
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    AnswerResult,
    CampaignKind,
    ClosureDecision,
    EnforcementKind,
    Handling,
    HazardGrade,
    HazardSource,
    HazardStatus,
    InspectionKind,
    InspectionStatus,
    PhotoStage,
    TaskOrigin,
    TaskStatus,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
)
from anjian.organizations.choices import TERRITORIAL_KINDS, DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site, SiteSector, SiteStatusChange

AUDIT_ACTION = "inspections.demo.seed"
DEFAULT_SEED = 20261128
BATCH = 500
# Full size: inspections in the year and hazards found (size=1.0); tests seed a fraction.
INSPECTIONS = 7_500
HAZARDS = 8_000
FINDING_PHOTOS = 24
AFTER_PHOTOS = 16
PHOTO_DIR = "evidence/demo"
# What became overdue this recently is left to the hourly job run at the end of the seeding.
LEFT_TO_JOB = datetime.timedelta(days=2)
ESCALATION_DAYS = services.ESCALATION_DAYS
MAJOR_DEFAULT_DAYS = services.MAJOR_DEFAULT_DAYS

GOVERNMENT = ("haibin", "wangjiang", "yingji", "jiancha", "zhujian")
OFFICE, CITY, ENTERPRISE = "anban", "cityadmin", "qiye"


# --- campaigns ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    kind: str
    organizer: str  # "office" or a department type
    sectors: tuple[str, ...]
    start: tuple[int, int]  # month, day: the latest such day on or before today
    days: int  # length of the inspection period
    deadline_days: int  # rectification deadline after the end of the inspections
    territories: int = 0  # 0: the whole district; n: the first n streets and parks
    done_rate: float = 0.93
    description: str = ""


CAMPAIGNS = [
    CampaignSpec(
        "城镇燃气安全专项整治",
        CampaignKind.SPECIAL,
        "office",
        ("city_gas",),
        (3, 1),
        120,
        60,
        description="全面排查餐饮等燃气用户的燃气泄漏报警装置、连接软管、通风和“瓶改管”情况，"
        "6月底前完成排查，8月底前完成整改销号。",
    ),
    CampaignSpec(
        "自建房安全专项整治",
        CampaignKind.SPECIAL,
        DepartmentType.HOUSING,
        ("self_built_house",),
        (4, 1),
        183,
        92,
        done_rate=0.88,
        description="重点排查经营性自建房的结构安全、违规加层、改变用途和消防安全隐患，"
        "9月底前完成排查，年底前完成整治。",
    ),
    CampaignSpec(
        "汛期前安全大检查",
        CampaignKind.SEASONAL,
        "office",
        ("waterlogging_point", "construction", "dilapidated_house", "municipal"),
        (4, 15),
        46,
        15,
        done_rate=0.95,
        description="入汛前对城市内涝点、在建工地、危旧房和市政设施开展拉网式检查，5月底前完成。",
    ),
    CampaignSpec(
        "危化品重大危险源专项检查",
        CampaignKind.SPECIAL,
        DepartmentType.EMERGENCY,
        ("hazchem",),
        (7, 1),
        61,
        61,
        done_rate=0.82,
        description="对照《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》逐项检查，8月底前完成。",
    ),
    CampaignSpec(
        "国庆节前安全检查",
        CampaignKind.HOLIDAY,
        "office",
        ("crowded_place", "commercial", "large_event"),
        (9, 10),
        20,
        15,
        done_rate=0.9,
        description="节前对商场、宾馆、饭店、娱乐场所和大型活动场所开展安全检查，9月30日前完成。",
    ),
    CampaignSpec(
        "消防安全“除隐患”专项行动",
        CampaignKind.SPECIAL,
        "office",
        ("crowded_place", "three_in_one", "group_rental", "high_rise"),
        (10, 15),
        77,
        31,
        territories=6,
        done_rate=0.9,
        description="聚焦人员密集场所、“三合一”场所、群租房和高层建筑，整治堵塞疏散通道、违规住人、"
        "电动自行车违规停放充电等突出问题，12月底前完成排查。",
    ),
]
# The street that lags behind in every campaign (the progress page highlights it).
LAGGARD = "龙湾镇"

# --- vocabulary -------------------------------------------------------------------------------------------------

LOCATIONS = {
    "crowded_place": ["一层大厅", "后厨", "二层走廊", "疏散楼梯间", "配电房", "仓库", "包厢区", "地下室"],
    "city_gas": ["后厨操作间", "液化气钢瓶间", "燃气表间", "灶台下方"],
    "hazchem": ["储罐区", "甲类仓库", "生产装置区", "装卸站台", "中控室", "危废暂存间"],
    "self_built_house": ["一层店面", "楼梯间", "屋顶", "外墙", "二层出租房", "院内"],
    "three_in_one": ["一层店面", "阁楼", "二层住人区", "楼梯口"],
    "construction": ["基坑周边", "塔吊作业区", "脚手架", "施工用电配电箱", "生活区"],
    "industry_trade": ["生产车间", "配电房", "仓库", "有限空间作业点", "粉尘作业区"],
    "fireworks": ["销售区", "库房", "店门口"],
    "special_equipment": ["电梯机房", "轿厢", "锅炉房"],
}
DEFAULT_LOCATIONS = ["现场", "出入口", "一层", "仓库", "周边区域"]
# Hazards found outside the checklist, by sector (the places without a checklist only have these).
EXTRA_TITLES = {
    "road_traffic": ["弯道处警示标志缺失", "临水路段防护栏损坏未修复", "路面坑槽未及时修补", "夜间照明设施损坏"],
    "municipal": ["检查井井盖破损", "人行天桥栏杆松动", "地下管廊照明故障", "路灯杆基础锈蚀"],
    "waterlogging_point": ["排水口被垃圾堵塞", "积水警示标尺缺失", "排涝泵站备用电源故障", "下穿通道挡水设施缺失"],
    "large_event": ["应急疏散预案未组织演练", "临时搭建舞台无验收资料", "安保人员配备不足"],
    "special_equipment": ["电梯定期检验报告过期", "电梯轿厢应急电话不通", "锅炉安全阀未按期校验"],
    "gas": ["燃气调压箱锈蚀", "管道标志桩缺失", "阀门井积水"],
}
GENERIC_TITLES = [
    "电动自行车在楼道内停放充电",
    "私拉乱接电线",
    "灭火器压力不足",
    "安全出口指示标志损坏",
    "疏散通道堆放杂物",
    "消防设施未定期维护保养",
    "员工未经安全培训上岗",
]
FINDINGS = [
    "现场检查发现，已拍照取证。",
    "经现场查看属实，已向现场负责人指出。",
    "检查中发现，现场负责人已签字确认。",
    "抽查发现，要求立即采取防范措施。",
    "复查时再次发现，已当场告知整改要求。",
]
SPOT_FIXES = [
    "已当场清理疏散通道杂物，恢复畅通。",
    "已当场更换灭火器并张贴检查记录。",
    "已拆除私拉电线，恢复规范用电。",
    "已当场关闭阀门并加装软管卡箍。",
    "已移走违规停放的电动自行车。",
    "已补设安全警示标志。",
]
FIXES = [
    "已按整改通知书要求完成整改，附整改后照片。",
    "已更换老化设施并经维保单位检测合格。",
    "已完成线路改造，由持证电工施工。",
    "已增设报警装置并联网，附安装验收单。",
    "已拆除违规搭建部分，恢复原有疏散条件。",
    "已组织员工培训并完善安全管理制度台账。",
    "已聘请专业单位施工，整改资料已归档。",
]
VERIFY_NOTES = ["经复查，整改到位，同意销号。", "现场复核合格。", "复查照片与现场一致，予以验收。", ""]
REJECT_REASONS = [
    "复查发现整改不彻底，问题依然存在。",
    "整改照片与现场不符，需重新整改。",
    "仅作临时处理，未从根本上消除隐患。",
    "整改资料不全，未提供检测合格证明。",
]
NOTICE_REQUIREMENTS = [
    "请于期限内完成整改，整改期间落实临时防范措施。",
    "整改完成后提交整改报告及整改后照片，申请复查。",
    "立即停止违规行为，限期整改到位。",
]
PLAN = {
    "objectives": "彻底消除该重大事故隐患，确保整改期间不发生生产安全事故。",
    "methods": "委托具备资质的专业单位进行设计和施工，分阶段实施，逐项落实整改措施。",
    "funds_and_materials": "整改资金由企业自筹，专款专用；所需设备材料已落实供货单位。",
    "organisation": "成立以主要负责人为组长的整改工作小组，安全管理部门具体负责，落实到人。",
    "timeline": "按整改通知书期限完成，每周向属地和行业主管部门报告进展。",
    "safety_measures": "整改期间停止相关区域作业，设置警戒区域，制定专项应急预案并配备应急物资。",
}
DEFAULT_LEGAL_BASIS = "《中华人民共和国安全生产法》第四十一条"
NO_CHECKLIST_NOTES = ["检查警示标志、防护设施和照明情况，未发现问题。", "现场巡查，设施完好。"]


# --- what the seeding works on --------------------------------------------------------------------------------


@dataclass
class SiteInfo:
    pk: int
    name: str
    status: str
    territory_id: int | None
    enterprise_id: int | None
    principal: str
    enterprise_name: str
    longitude: Decimal | None
    latitude: Decimal | None
    risk_level: str
    sectors: list[str] = field(default_factory=list)
    checklist: ChecklistTemplate | None = None
    officers: list[User] = field(default_factory=list)  # the demo officers (not the office) who may act here
    account: User | None = None  # the enterprise account of the place, if any


@dataclass
class PhotoFile:
    file: str
    thumbnail: str
    content_type: str
    width: int
    height: int
    sha256: str
    phash: str
    original_size: int


class World:
    """The district, its people and places, the clock and the rows being built."""

    def __init__(self, district: OrgUnit, rng: random.Random, now: datetime.datetime):
        self.district = district
        self.rng = rng
        self.now = now
        self.today = timezone.localtime(now).date()
        self.tz = timezone.get_current_timezone()
        self.prefix = (district.short_name or district.name)[:4]
        users = {
            u.username: u
            for u in User.objects.select_related("org_unit").filter(
                username__in=[*GOVERNMENT, OFFICE, CITY, ENTERPRISE]
            )
        }
        missing = [name for name in (OFFICE, CITY) if name not in users]
        if missing:
            raise RuntimeError(f"demo accounts missing: {', '.join(missing)} (run seed_demo)")
        self.users = users
        self.office_user = users[OFFICE]
        self.city_user = users[CITY]
        self.office_unit = (
            OrgUnit.objects.filter(district=district, kind=OrgUnitKind.SAFETY_OFFICE).order_by("order", "id").first()
        )
        self.officers = [users[name] for name in GOVERNMENT if name in users]
        self.rows: dict[str, list] = {
            name: []
            for name in (
                "tasks",
                "inspections",
                "inspectors",
                "answers",
                "hazards",
                "notices",
                "plans",
                "rectifications",
                "escalations",
                "enforcement",
                "events",
                "photos",
                "status_changes",
            )
        }
        self.fillers: list = []  # data of events that needs primary keys, filled before the events are written
        self.finding_photos: list[PhotoFile] = []
        self.after_photos: list[PhotoFile] = []
        self.photo_counter = 0
        self.territory_names: dict[int, str] = {}

    # time helpers
    def moment(self, day: datetime.date, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=self.tz)

    def working_time(self, day: datetime.date) -> datetime.datetime:
        if day.weekday() >= 5 and self.rng.random() < 0.85:  # most visits fall on working days
            day -= datetime.timedelta(days=day.weekday() - 4)
        start = self.moment(day, 8, 30) + datetime.timedelta(minutes=self.rng.randint(0, 8 * 60))
        latest = self.now - datetime.timedelta(hours=3)
        while start > latest:
            start -= datetime.timedelta(days=1)
        return start

    def official(self, site: SiteInfo) -> str:
        """挂牌督办 names the person who answers for the rectification: the enterprise's principal."""
        if site.principal:
            return f"{site.principal}（{site.enterprise_name}主要负责人）"[:100]
        unit = self.territory_names.get(site.territory_id) or self.district.name
        return f"{unit}主要负责人"[:100]


# --- photos ---------------------------------------------------------------------------------------------------------


def _store_sample(world: World, index: int, stage: str) -> PhotoFile:
    """One generated photo, processed like an upload and stored once under a fixed name."""
    label = f"{'HAZARD' if stage == PhotoStage.FINDING else 'FIXED'} {index:02d}"
    seed = (1000 if stage == PhotoStage.FINDING else 2000) + index
    data = evidence.sample_photo(seed=seed, label=label, size=(960, 720))
    processed = evidence.process_photo(SimpleUploadedFile(f"{label}.jpg", data, content_type="image/jpeg"))
    name = f"{PHOTO_DIR}/{stage}-{index:02d}.{processed.extension}"
    thumb = f"{PHOTO_DIR}/{stage}-{index:02d}-thumb.jpg"
    for path, content in ((name, processed.content), (thumb, processed.thumbnail)):
        if not default_storage.exists(path):
            saved = default_storage.save(path, ContentFile(content))
            if saved != path:
                raise RuntimeError(f"demo photo stored as {saved}, expected {path}")
    return PhotoFile(
        file=name,
        thumbnail=thumb,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        sha256=processed.sha256,
        phash=processed.phash,
        original_size=processed.original_size,
    )


def _photo(world: World, stage: str, *, at, by, site: SiteInfo, **owners) -> dict:
    """A Photo row (as a record: owners are resolved to ids when written) reusing one of the stored samples."""
    pool = world.finding_photos if stage == PhotoStage.FINDING else world.after_photos
    world.photo_counter += 1
    sample = pool[world.rng.randrange(len(pool))]
    latitude = longitude = None
    if site.latitude is not None and site.longitude is not None:
        latitude = (site.latitude + Decimal(world.rng.randint(-200, 200)) / 1_000_000).quantize(Decimal("0.000001"))
        longitude = (site.longitude + Decimal(world.rng.randint(-200, 200)) / 1_000_000).quantize(Decimal("0.000001"))
    local = timezone.localtime(at)
    photo = dict(
        stage=stage,
        file=sample.file,
        thumbnail=sample.thumbnail,
        content_type=sample.content_type,
        width=sample.width,
        height=sample.height,
        sha256=sample.sha256,
        phash=sample.phash,
        original_name=f"IMG_{local:%Y%m%d_%H%M%S}.jpg",
        original_size=sample.original_size,
        taken_at=at,
        latitude=latitude,
        longitude=longitude,
        uploaded_by_id=by.pk,
        uploaded_at=at,
        **owners,
    )
    world.rows["photos"].append(photo)
    return photo


# --- one hazard's life ------------------------------------------------------------------------------------------


class Life:
    """Replays one hazard's transitions in time order, stopping at ``until`` (now, or when its place closed)."""

    def __init__(self, world: World, hazard: Hazard, site: SiteInfo, *, until, inspection: Inspection | None):
        self.w = world
        self.rng = world.rng
        self.h = hazard
        self.site = site
        self.until = until
        self.inspection = inspection
        self.last = hazard.reported_at
        self.rectification: Rectification | None = None
        self.overdue_marked: set[datetime.date] = set()
        self.answer = getattr(hazard, "answer_record", None)

    # -- bookkeeping
    def _at(self, when: datetime.datetime) -> datetime.datetime:
        when = max(when, self.last + datetime.timedelta(seconds=1))
        self.last = when
        return when

    def event(self, when, action, actor, *, from_status="", note="", data=None, fill=None) -> dict:
        """A HazardEvent row (a record, written in bulk at the end), as services._event makes it."""
        event = {
            "hazard": self.h,
            "action": action,
            "from_status": from_status,
            "to_status": self.h.status if from_status else "",
            "actor_id": actor.pk if actor is not None else None,
            "actor_unit_id": actor.org_unit_id if actor is not None else None,
            "at": when,
            "note": note,
            "data": audit.to_json(data or {}),
        }
        self.w.rows["events"].append(event)
        if fill is not None:
            self.w.fillers.append((event, fill))
        return event

    def move(self, when, action, actor, target, *, note="", data=None, fill=None) -> None:
        from_status = self.h.status
        self.h.status = target
        self.event(when, action, actor, from_status=from_status, note=note, data=data, fill=fill)

    def happens(self, when) -> bool:
        return when <= self.until

    # -- the hourly job, replayed
    def escalate(self, when, reason: str) -> None:
        h = self.h
        if reason == Escalation.Reason.MAJOR:
            new_deadline = h.deadline or timezone.localtime(when).date() + datetime.timedelta(days=MAJOR_DEFAULT_DAYS)
        else:
            new_deadline = timezone.localtime(when).date() + datetime.timedelta(days=ESCALATION_DAYS)
        when = self._at(when)
        escalation = Escalation(
            hazard=h,
            reason=reason,
            supervising_unit=self.w.office_unit,
            responsible_official=self.w.official(self.site),
            previous_deadline=h.deadline,
            new_deadline=new_deadline,
            automatic=True,
            created_by=None,
            created_at=when,
        )
        self.w.rows["escalations"].append(escalation)
        if h.deadline is not None or h.status in DEADLINE_STATUSES:
            h.original_deadline = h.original_deadline or h.deadline
            h.deadline = new_deadline
        h.escalated_at = when
        self.event(
            when,
            "escalated",
            None,
            data={
                "reason": reason,
                "official": escalation.responsible_official,
                "unit": self.w.office_unit.name,
                "deadline": new_deadline,
            },
        )

    def catch_up(self, before) -> None:
        """Overdue events (and the automatic escalation) for every deadline missed before ``before``."""
        final = before >= self.until
        before = min(before, self.until)
        while self.h.status in DEADLINE_STATUSES and self.h.deadline is not None:
            deadline = self.h.deadline
            if deadline in self.overdue_marked:  # the job marks each missed deadline once
                return
            # The hourly job notices it in its first run after midnight, or after the move that made it owed again.
            moment = self.w.moment(deadline + datetime.timedelta(days=1), 0, self.rng.randint(1, 55))
            moment = max(moment, self.last + datetime.timedelta(minutes=self.rng.randint(5, 60)))
            if moment > before or (final and moment > self.w.now - LEFT_TO_JOB):
                return
            self.overdue_marked.add(deadline)
            self.event(self._at(moment), "overdue", None, data={"deadline": deadline})
            if self.h.escalated_at is None:
                self.escalate(moment + datetime.timedelta(seconds=1), Escalation.Reason.OVERDUE)

    # -- the moves
    def report(self, inspector) -> None:
        h = self.h
        self.event(h.reported_at, "reported", inspector, data={"grade": h.grade, "source": h.source})
        _photo(
            self.w,
            PhotoStage.FINDING,
            at=h.reported_at,
            by=inspector,
            site=self.site,
            hazard=h,
            inspection=self.inspection,
            answer=self.answer,
        )
        if h.grade == HazardGrade.MAJOR:
            self.escalate(h.reported_at + datetime.timedelta(seconds=1), Escalation.Reason.MAJOR)

    def submit_rect(self, when, actor, *, on_the_spot: bool, description: str) -> Rectification:
        cost = None
        if not on_the_spot:
            cost = Decimal(self.rng.choice([200, 500, 800, 1500, 3000, 6000, 12000, 50000])) + Decimal(
                self.rng.randint(0, 99)
            )
        rectification = Rectification(
            hazard=self.h,
            on_the_spot=on_the_spot,
            description=description,
            cost=cost,
            submitted_by=actor,
            submitted_at=when,
            result=RectificationResult.PENDING,
        )
        self.w.rows["rectifications"].append(rectification)
        _photo(self.w, PhotoStage.AFTER, at=when, by=actor, site=self.site, hazard=self.h, rectification=rectification)
        self.rectification = rectification
        return rectification

    def review(self, when, verifier, *, accept: bool) -> None:
        rectification = self.rectification
        h = self.h
        if accept:
            note = self.rng.choice(VERIFY_NOTES)
            rectification.result = RectificationResult.ACCEPTED
            rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = verifier, when, note
            h.closed_at, h.verified_by = when, verifier
            self.move(
                when,
                "verify",
                verifier,
                HazardStatus.VERIFIED,
                note=note,
                fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
            )
            return
        reason = self.rng.choice(REJECT_REASONS)
        rectification.result = RectificationResult.REJECTED
        rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = verifier, when, reason
        if h.deadline is None:
            h.deadline = timezone.localtime(when).date() + datetime.timedelta(days=self.rng.choice([7, 10, 15]))
            h.original_deadline = h.original_deadline or h.deadline
        h.rejection_count += 1
        h.handling = Handling.DEADLINE
        self.move(
            when,
            "reject",
            verifier,
            HazardStatus.RECTIFYING,
            note=reason,
            data={"deadline": h.deadline, "failures": h.rejection_count},
            fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
        )

    # -- the paths
    def run(self, *, inspector, submitter, verifier, self_reported: bool, plan: dict) -> None:
        """``plan`` may force choices (the scripted enforcement stories); the rest is drawn at random."""
        rng = self.rng
        h = self.h
        self.report(inspector)
        spot = plan.get("spot")
        if spot is None:
            spot = h.grade == HazardGrade.GENERAL and rng.random() < (0.45 if self_reported else 0.38)
        if spot:
            when = self._at(h.reported_at + datetime.timedelta(minutes=rng.randint(5, 40)))
            if not self.happens(when):
                return
            # 即查即改: recorded by whoever found it (the enterprise itself in a self-inspection).
            self.submit_rect(when, inspector, on_the_spot=True, description=rng.choice(SPOT_FIXES))
            h.handling = Handling.ON_SPOT
            self.move(when, "fix_on_spot", inspector, HazardStatus.FIXED_ON_SPOT, note=self.rectification.description)
            when = self._at(
                when + datetime.timedelta(hours=rng.choice([2, 20, 30, 50, 75, 120, 170, 260, 400, 600, 900, 1400]))
            )
            if not self.happens(when):
                return
            accept = rng.random() > 0.04
            self.review(when, verifier(self.rectification.submitted_by), accept=accept)
            if accept:
                return
            self.work(self.last, submitter=submitter, verifier=verifier, plan=plan)
            return
        if self_reported:  # the enterprise commits to a deadline instead of waiting for a notice
            when = self._at(h.reported_at + datetime.timedelta(hours=rng.choice([1, 3, 20, 26, 50])))
            if not self.happens(when):
                return
            h.handling = Handling.DEADLINE
            h.deadline = h.original_deadline = timezone.localtime(when).date() + datetime.timedelta(
                days=rng.choice([15, 30, 30, 45])
            )
            self.move(when, "commit", submitter, HazardStatus.RECTIFYING, data={"deadline": h.deadline})
            self.work(when, submitter=submitter, verifier=verifier, plan=plan)
            return
        delay = rng.random()
        if delay < 0.5:
            hours = rng.uniform(0.2, 1.5)
        elif delay < 0.8:
            hours = rng.uniform(18, 80)
        elif delay < 0.93:
            hours = rng.uniform(80, 400)
        else:  # awaiting the decision of the supervising department
            hours = rng.uniform(400, 1500)
        when = self._at(h.reported_at + datetime.timedelta(hours=hours))
        if not self.happens(when):
            return
        self.issue(when, inspector, plan)
        if plan.get("ack") is False or (plan.get("ack") is None and rng.random() < 0.025):
            self.catch_up(self.until)
            return
        when = self.last + datetime.timedelta(hours=rng.uniform(3, 80))
        self.catch_up(when)
        when = self._at(when)
        if not self.happens(when):
            self.catch_up(self.until)
            return
        self.move(
            when, "acknowledge", submitter, HazardStatus.RECTIFYING, note=rng.choice(["", "已签收，立即组织整改。"])
        )
        self.work(when, submitter=submitter, verifier=verifier, plan=plan)

    def issue(self, when, issuer, plan: dict) -> None:
        h = self.h
        rng = self.rng
        if h.grade == HazardGrade.MAJOR:
            days = plan.get("days") or rng.choice([60, 90, 90, 120, 180])
        else:
            days = plan.get("days") or rng.choice([7, 15, 15, 30, 30, 30, 45, 60, 60, 90, 90, 120, 180])
        deadline = timezone.localtime(when).date() + datetime.timedelta(days=days)
        legal_basis = (h.legal_basis or DEFAULT_LEGAL_BASIS)[:300]
        requirements = rng.choice(NOTICE_REQUIREMENTS)
        notice = RectificationNotice(
            hazard=h,
            number=f"tmp-{len(self.w.rows['notices'])}",
            issuing_unit_id=issuer.org_unit_id,
            issued_by=issuer,
            issued_at=when,
            deadline=deadline,
            legal_basis=legal_basis,
            requirements=requirements,
        )
        self.w.rows["notices"].append(notice)
        h.handling = Handling.DEADLINE
        h.deadline = deadline
        h.original_deadline = h.original_deadline or deadline
        h.legal_basis = legal_basis
        self.move(
            when,
            "issue_notice",
            issuer,
            HazardStatus.NOTICE_ISSUED,
            note=requirements,
            data={"deadline": deadline},
            fill=lambda e, n=notice: e["data"].update(notice=n.number),
        )

    def work(self, start, *, submitter, verifier, plan: dict) -> None:
        """Rectifying until submitted, then verified or rejected (back to rectifying), in a loop."""
        rng = self.rng
        h = self.h
        attempts = 0
        rejections_left = plan.get("rejections")
        behaviour = plan.get("behaviour") or rng.choices(["normal", "late", "never"], [0.83, 0.14, 0.03])[0]
        if h.grade == HazardGrade.MAJOR and not h.plans_filed:
            when = start + datetime.timedelta(days=rng.uniform(1, 10))
            self.catch_up(when)
            if not self.happens(when):
                self.catch_up(self.until)
                return
            when = self._at(when)
            plan_row = RectificationPlan(
                hazard=h, filed_by=submitter, filed_at=when, funds=Decimal(rng.randint(5, 200) * 10_000), **PLAN
            )
            self.w.rows["plans"].append(plan_row)
            h.plans_filed = True
            self.event(when, "plan_filed", submitter, data={"funds": plan_row.funds})
            start = when
        while True:
            attempts += 1
            if behaviour == "never" and attempts == 1:
                self.catch_up(self.until)
                return
            left = (h.deadline - timezone.localtime(start).date()).days if h.deadline else 10
            if behaviour == "late" and attempts == 1:
                days = max(left, 0) + rng.uniform(2, 70)
            else:
                days = max(0.5, max(left, 1) * rng.uniform(0.55, 0.98))
            when = start + datetime.timedelta(days=days)
            self.catch_up(when)
            if not self.happens(when):
                self.catch_up(self.until)
                return
            when = self._at(when)
            rectification = self.submit_rect(when, submitter, on_the_spot=False, description=rng.choice(FIXES))
            self.move(
                when,
                "submit",
                submitter,
                HazardStatus.SUBMITTED,
                note=rectification.description,
                fill=lambda e, r=rectification: e["data"].update(rectification=r.pk),
            )
            when = when + datetime.timedelta(days=rng.choice([0.3, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45]))
            if not self.happens(when):
                return
            when = self._at(when)
            if rejections_left is not None:
                accept = rejections_left <= 0
                rejections_left -= 1
            else:
                accept = rng.random() > (0.1 if h.rejection_count == 0 else 0.3)
            self.review(when, verifier(submitter), accept=accept)
            if accept:
                return
            if rejections_left is not None and rejections_left <= 0:
                # The scripted refusal: after the last rejection the place does nothing more.
                self.catch_up(self.until)
                return
            start = when


# --- the seeding -----------------------------------------------------------------------------------------------------


def _latest(today: datetime.date, month: int, day: int) -> datetime.date:
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year <= today else datetime.date(today.year - 1, month, day)


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Seeder:
    def __init__(self, district: OrgUnit, *, size: float, seed: int, now=None):
        self.rng = random.Random(seed)
        self.size = size
        self.w = World(district, self.rng, now or timezone.now())
        self.district = district
        self.counts: Counter = Counter()
        self.scripted: set[int] = set()
        self.sample: list[SiteInfo] = []

    # -- loading
    def load(self) -> None:
        w = self.w
        services.ensure_checklists()
        territories = list(
            OrgUnit.objects.filter(district=self.district, kind__in=TERRITORIAL_KINDS).order_by("order", "id")
        )
        self.territories = territories
        w.territory_names = {t.pk: t.name for t in territories}
        self.departments = {
            u.department_type: u for u in OrgUnit.objects.filter(district=self.district, kind=OrgUnitKind.DEPARTMENT)
        }
        templates = {t.sector_id: t for t in ChecklistTemplate.objects.current().filter(sector__isnull=False)}
        self.items: dict[int, list[ChecklistItem]] = {}
        for item in (
            ChecklistItem.objects.select_related("template")
            .filter(template__in=list(templates.values()))
            .order_by("template", "order", "id")
        ):
            self.items.setdefault(item.template_id, []).append(item)
        self.templates = templates
        editable = {u.username: set(Site.objects.editable_by(u).values_list("pk", flat=True)) for u in w.officers}
        enterprise_account = w.users.get(ENTERPRISE)
        own = (
            set(Site.objects.visible_to(enterprise_account).values_list("pk", flat=True))
            if enterprise_account
            else set()
        )
        rows = Site.objects.filter(district=self.district).select_related("enterprise").order_by("pk")
        sectors: dict[int, list[str]] = {}
        for site_id, code in (
            SiteSector.objects.filter(site__district=self.district).order_by("id").values_list("site_id", "sector_id")
        ):
            sectors.setdefault(site_id, []).append(code)
        self.sites: list[SiteInfo] = []
        for site in rows:
            info = SiteInfo(
                pk=site.pk,
                name=site.name,
                status=site.status,
                territory_id=site.territory_id,
                enterprise_id=site.enterprise_id,
                principal=site.enterprise.principal if site.enterprise_id else "",
                enterprise_name=site.enterprise.name if site.enterprise_id else "",
                longitude=site.longitude,
                latitude=site.latitude,
                risk_level=site.risk_level,
                sectors=sectors.get(site.pk, []),
            )
            info.checklist = next((templates[c] for c in info.sectors if c in templates), None)
            info.officers = [u for u in w.officers if site.pk in editable[u.username]]
            info.account = enterprise_account if site.pk in own else None
            self.sites.append(info)
        self.by_pk = {s.pk: s for s in self.sites}
        w.finding_photos = [_store_sample(w, i, PhotoStage.FINDING) for i in range(1, FINDING_PHOTOS + 1)]
        w.after_photos = [_store_sample(w, i, PhotoStage.AFTER) for i in range(1, AFTER_PHOTOS + 1)]

    # -- actors
    def inspector_for(self, site: SiteInfo, prefer: list[User] | None = None) -> User:
        rng = self.rng
        candidates = [u for u in (prefer or []) if u in site.officers] or site.officers
        if not candidates or rng.random() < 0.08:
            return self.w.office_user
        weights = [3 if u.role == "street_officer" else 2 for u in candidates]
        return rng.choices(candidates, weights)[0]

    def verifier_for(self, site: SiteInfo):
        w = self.w

        def pick(submitter: User) -> User:
            others = [u for u in [*site.officers, w.office_user] if u.pk != submitter.pk]
            if not others:
                return w.city_user
            if w.office_user in others and self.rng.random() < 0.35:
                return w.office_user
            return self.rng.choice(others)

        return pick

    # -- campaigns and tasks
    def campaigns(self) -> list[tuple[Campaign, CampaignSpec, list[InspectionTask]]]:
        w = self.w
        result = []
        eligible = {s.pk for s in self.sample if s.status == SiteStatus.OPERATING}
        laggard = next((t.pk for t in self.territories if t.name == LAGGARD), None)
        for spec in CAMPAIGNS:
            starts = _latest(w.today, *spec.start)
            ends = starts + datetime.timedelta(days=spec.days - 1)
            deadline = ends + datetime.timedelta(days=spec.deadline_days)
            organizer = w.office_unit if spec.organizer == "office" else self.departments.get(spec.organizer)
            if organizer is None:
                continue
            creator = w.office_user
            for user in w.officers:
                if user.org_unit_id == organizer.pk and user.role == "department_officer":
                    creator = user
            checklist = self.templates.get(spec.sectors[0])
            campaign = Campaign.objects.create(
                name=spec.name,
                kind=spec.kind,
                district=self.district,
                organizer=organizer,
                checklist=checklist,
                starts_on=starts,
                ends_on=ends,
                deadline=deadline,
                description=spec.description,
                created_by=creator,
                created_at=w.moment(starts - datetime.timedelta(days=7), 9, 30),
            )
            campaign.sectors.set(spec.sectors)
            chosen = self.territories[: spec.territories] if spec.territories else []
            campaign.territories.set(chosen)
            scope = services.campaign_sites(campaign).values_list("pk", "territory_id")
            department = organizer.kind == OrgUnitKind.DEPARTMENT
            tasks = []
            for site_id, territory_id in scope:
                if site_id not in eligible:
                    continue
                unit_id = organizer.pk if department or not territory_id else territory_id
                task = InspectionTask(
                    site_id=site_id,
                    campaign=campaign,
                    origin=TaskOrigin.CAMPAIGN,
                    checklist=checklist,
                    assignee_unit_id=unit_id,
                    due_on=ends,
                    created_by=creator,
                    created_at=campaign.created_at + datetime.timedelta(days=1),
                )
                site = self.by_pk[site_id]
                assignees = [u for u in site.officers if u.org_unit_id == unit_id]
                if assignees and self.rng.random() < 0.6:
                    task.assignee = self.rng.choice(assignees)
                # How far the campaign is: all of it once it ended, the elapsed share while it runs.
                period = (ends - starts).days + 1
                elapsed = min(max((w.today - starts).days, 0), period) / period
                rate = spec.done_rate * (0.65 if territory_id == laggard else 1.0)
                if ends >= w.today:
                    rate = min(0.98, elapsed * 1.08 * (0.65 if territory_id == laggard else 1.0))
                task.done = self.rng.random() < rate
                tasks.append(task)
            w.rows["tasks"].extend(tasks)
            self.counts["campaigns"] += 1
            result.append((campaign, spec, tasks))
        return result

    # -- inspections
    def plan_inspections(self, campaigns) -> list[dict]:
        """Who visits which place when: campaign tasks done, routine visits by frequency, self-inspections."""
        w = self.w
        rng = self.rng
        visits = []
        for campaign, _spec, tasks in campaigns:
            last_day = min(campaign.ends_on, w.today)
            span = max((last_day - campaign.starts_on).days, 0)
            for task in tasks:
                if not task.done:
                    continue
                site = self.by_pk[task.site_id]
                day = campaign.starts_on + datetime.timedelta(days=rng.randint(0, span))
                prefer = [task.assignee] if task.assignee_id else None
                if campaign.organizer.kind == OrgUnitKind.DEPARTMENT:
                    prefer = [u for u in site.officers if u.org_unit_id == campaign.organizer_id]
                visits.append(
                    {"site": site, "start": w.working_time(day), "task": task, "campaign": campaign, "prefer": prefer}
                )
        campaign_count = len(visits)
        routine = []
        for site in self.sample:
            if site.status not in (SiteStatus.OPERATING, SiteStatus.SUSPENDED) or site.pk in self.scripted:
                continue
            interval = services.frequency_days(site.sectors, site.risk_level)
            day = w.today - datetime.timedelta(days=rng.randint(1, max(interval, 2)))
            while day > w.today - datetime.timedelta(days=365):
                routine.append((site, day))
                day -= datetime.timedelta(days=max(7, int(interval * rng.uniform(0.8, 1.2))))
        wanted = max(0, round(INSPECTIONS * self.size) - campaign_count)
        keep = min(1.0, wanted / len(routine)) if routine else 0
        for site, day in routine:
            if rng.random() >= keep:
                continue
            source = HazardSource.ROUTINE
            roll = rng.random()
            if roll < 0.03:
                source = HazardSource.PUBLIC_REPORT
            elif roll < 0.05:
                source = HazardSource.ACCIDENT_ANALOGY
            elif roll < 0.07:
                source = HazardSource.COMPREHENSIVE
            visit = {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "source": source}
            visit["routine_task"] = rng.random() < 0.6
            visits.append(visit)
        for site in self.sample:  # 企业自查: the enterprise account inspects its own places every month
            if site.account is None or site.status != SiteStatus.OPERATING:
                continue
            for month in range(12):
                day = w.today - datetime.timedelta(days=month * 30 + rng.randint(1, 25))
                visits.append(
                    {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "self": True}
                )
        visits.sort(key=lambda v: (v["start"], v["site"].pk))
        return visits

    def inspect(self, visit: dict, *, hazards: int, until=None, plans: list[dict] | None = None) -> list[Life]:
        """One completed inspection: its answers, the hazards it found and their lives."""
        w = self.w
        rng = self.rng
        site: SiteInfo = visit["site"]
        is_self = bool(visit.get("self"))
        inspector = site.account if is_self else visit.get("inspector") or self.inspector_for(site, visit.get("prefer"))
        task, campaign = visit.get("task"), visit.get("campaign")
        started = visit["start"]
        ended = started + datetime.timedelta(minutes=rng.randint(20, 90))
        if is_self:
            source = HazardSource.SELF_INSPECTION
        elif campaign is not None:
            source = CAMPAIGN_SOURCE.get(campaign.kind, HazardSource.SPECIAL)
        else:
            source = visit.get("source", HazardSource.ROUTINE)
        if task is None and visit.get("routine_task"):
            task = InspectionTask(
                site_id=site.pk,
                origin=TaskOrigin.FREQUENCY,
                assignee_unit_id=site.territory_id or inspector.org_unit_id,
                due_on=timezone.localtime(started).date() + datetime.timedelta(days=rng.randint(0, 12)),
                note=f"按检查频次每{services.frequency_days(site.sectors, site.risk_level)}天检查一次",
                created_at=started - datetime.timedelta(days=14),
            )
            w.rows["tasks"].append(task)
        latitude = longitude = None
        if site.latitude is not None:
            latitude = (site.latitude + Decimal(rng.randint(-300, 300)) / 1_000_000).quantize(Decimal("0.000001"))
            longitude = (site.longitude + Decimal(rng.randint(-300, 300)) / 1_000_000).quantize(Decimal("0.000001"))
        checklist = (campaign.checklist if campaign is not None else None) or site.checklist
        if checklist is not None and checklist.sector_id not in site.sectors:
            checklist = site.checklist
        inspection = Inspection(
            site_id=site.pk,
            task=task,
            campaign=campaign,
            checklist=checklist,
            kind=InspectionKind.SELF if is_self else InspectionKind.SUPERVISION,
            source=source,
            status=InspectionStatus.COMPLETED,
            org_unit_id=self.district.pk if is_self else inspector.org_unit_id,
            started_at=started,
            ended_at=ended,
            latitude=latitude,
            longitude=longitude,
            position_accuracy=rng.randint(5, 30) if latitude is not None else None,
            created_by=inspector,
        )
        w.rows["inspections"].append(inspection)
        w.rows["inspectors"].append((inspection, inspector))
        if task is not None:
            task.status = TaskStatus.DONE
            task.completed_at = ended
        self.counts["inspections"] += 1

        findings: list[tuple[dict | None, ChecklistItem | None, str]] = []
        items = self.items.get(checklist.pk, []) if checklist is not None else []
        if items:
            forced_major = any(p.get("major") for p in plans or [])
            weights = [0.12 if item.is_major_criterion else 1.0 for item in items]
            wanted = min(hazards, len(items))
            bad: set[int] = set()
            first = None
            if forced_major:
                majors = [i for i, item in enumerate(items) if item.is_major_criterion]
                if majors:
                    first = rng.choice(majors)
                    bad.add(first)
            while len(bad) < wanted:
                bad.add(rng.choices(range(len(items)), weights)[0])
            for index, item in enumerate(items):
                if index in bad:
                    result, note = AnswerResult.NONCOMPLIANT, rng.choice(FINDINGS)
                elif rng.random() < 0.08 and not item.is_major_criterion:
                    result, note = AnswerResult.NOT_APPLICABLE, ""
                else:
                    result, note = AnswerResult.COMPLIANT, ""
                answer = {"inspection": inspection, "item_id": item.pk, "result": result, "note": note, "pk": None}
                w.rows["answers"].append(answer)
                if result == AnswerResult.NONCOMPLIANT:
                    findings.append((answer, item, note))
                elif result == AnswerResult.COMPLIANT and item.photo_required:
                    _photo(
                        w, PhotoStage.FINDING, at=started, by=inspector, site=site, inspection=inspection, answer=answer
                    )
            if first is not None:  # the scripted story's hazard comes first
                findings.sort(key=lambda f: f[1] is not items[first])
            extra = 1 if rng.random() < 0.05 else 0
        else:
            extra = hazards
            if not extra:
                inspection.note = rng.choice(NO_CHECKLIST_NOTES)
        titles = [t for code in site.sectors for t in EXTRA_TITLES.get(code, [])] or GENERIC_TITLES
        for title in rng.sample(titles, min(extra, len(titles))):
            findings.append((None, None, title))
        lives = []
        span = max(int((ended - started).total_seconds()) - 120, 60)
        for index, (answer, item, text) in enumerate(findings):
            lives.append(
                self.hazard(
                    site,
                    inspection,
                    answer=answer,
                    item=item,
                    title=item.text if item is not None else text,
                    description=text if item is not None else rng.choice(FINDINGS),
                    reported_at=started + datetime.timedelta(seconds=rng.randint(60, span)),
                    inspector=inspector,
                    self_reported=is_self,
                    campaign=campaign,
                    until=until or w.now,
                    plan=(plans[index] if plans and index < len(plans) else {}),
                )
            )
        return lives

    def hazard(
        self,
        site,
        inspection,
        *,
        answer,
        item,
        title,
        description,
        reported_at,
        inspector,
        self_reported,
        campaign,
        until,
        plan,
    ) -> Life:
        w = self.w
        rng = self.rng
        sector = None
        if item is not None and item.template.sector_id in site.sectors:
            sector = item.template.sector_id
        elif site.sectors:
            sector = site.sectors[0]
        major = item is not None and item.is_major_criterion
        h = Hazard(
            site_id=site.pk,
            district_id=self.district.pk,
            sector_id=sector,
            inspection=inspection,
            checklist_item=item,
            campaign=campaign,
            title=title[:300],
            description=description,
            location=rng.choice(LOCATIONS.get(sector or "", DEFAULT_LOCATIONS)),
            grade=HazardGrade.MAJOR if major else HazardGrade.GENERAL,
            criteria_document=item.criteria_document if item else "",
            criteria_edition=item.criteria_edition if item else "",
            criteria_number=item.criteria_number if item else "",
            legal_basis=item.legal_basis if item else "",
            nature=item.nature if item else "",
            source=inspection.source,
            self_reported=self_reported,
            reported_by=inspector,
            reporting_unit=None if self_reported else inspector.org_unit,
            reported_at=reported_at,
        )
        h.plans_filed = False
        h.answer_record = answer  # its id is known once the answers are written
        w.rows["hazards"].append(h)
        life = Life(w, h, site, until=until, inspection=inspection)
        # Without an enterprise account, an officer other than the street's records the rectification on the
        # place's behalf, so the street officers of the demo have hazards of their own to verify.
        stand_ins = [u for u in site.officers if u.role != "street_officer"] or [w.office_user]
        submitter = site.account or self.rng.choice(stand_ins)
        life.run(
            inspector=inspector,
            submitter=submitter,
            verifier=self.verifier_for(site),
            self_reported=self_reported,
            plan=plan,
        )
        return life

    # -- the scripted enforcement stories
    def pick_scripted(self) -> list[SiteInfo]:
        """Places that end under a suspension order (two of them with a closure request): ones with a
        checklist holding major criteria, an enterprise, a street, no enterprise account of the demo."""
        n = 3 + round(2 * self.size)
        pool = [
            s
            for s in self.sample
            if s.status == SiteStatus.OPERATING
            and s.checklist is not None
            and s.territory_id
            and s.account is None
            and s.enterprise_id
            and any(i.is_major_criterion for i in self.items.get(s.checklist.pk, []))
        ]
        if len(pool) < n:
            pool = [
                s
                for s in self.sample
                if s.status == SiteStatus.OPERATING and s.checklist is not None and s.territory_id and s.account is None
            ]
        return self.rng.sample(pool, min(n, len(pool)))

    def enforce(self, scripted: list[SiteInfo]) -> None:
        w = self.w
        rng = self.rng
        for index, site in enumerate(scripted):
            closure = {0: ClosureDecision.APPROVED, 1: ClosureDecision.PENDING}.get(index)
            # The story: found 150-220 days ago, a notice, rectification rejected twice, overdue and escalated,
            # then the suspension order; for two places a closure request follows.
            day = w.today - datetime.timedelta(days=rng.randint(150, 220))
            inspector = self.inspector_for(site)
            visit = {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "inspector": inspector}
            main = {"spot": False, "ack": True, "days": 30, "rejections": 2, "behaviour": "normal", "major": True}
            decided = None
            if closure == ClosureDecision.APPROVED:
                decided = w.now - datetime.timedelta(days=rng.randint(3, 8), hours=rng.randint(1, 6))
            lives = self.inspect(visit, hazards=rng.randint(2, 3), until=decided or w.now, plans=[main])
            life = lives[0]
            h = life.h
            if h.status not in OPEN_STATUSES:
                continue
            issuer = inspector if inspector.pk != w.office_user.pk else w.office_user
            issued = life.last + datetime.timedelta(days=rng.randint(3, 10))
            if decided is not None:
                issued = min(issued, decided - datetime.timedelta(days=20))
            grounds = "重大事故隐患未整改"
            if h.grade != HazardGrade.MAJOR:
                grounds = f"复查验收{h.rejection_count}次未通过" if h.rejection_count >= 2 else "挂牌督办后仍逾期未整改"
            reason = "经复查仍未完成整改，依据《中华人民共和国安全生产法》第一百零二条责令停产停业整顿。"
            order = EnforcementAction(
                hazard=h,
                site_id=site.pk,
                kind=EnforcementKind.SUSPENSION,
                reason=f"{grounds}；{reason}",
                issued_by=issuer,
                issuing_unit_id=issuer.org_unit_id,
                issued_at=life._at(issued),
            )
            w.rows["enforcement"].append(order)
            w.fillers.append(
                (
                    order,
                    lambda o: setattr(o, "number", f"{w.prefix}安责停〔{timezone.localtime(o.issued_at):%Y}〕{o.pk}号"),
                )
            )
            life.event(
                order.issued_at,
                "suspension_ordered",
                issuer,
                note=reason,
                fill=lambda e, o=order: e["data"].update(number=o.number),
            )
            w.rows["status_changes"].append(
                SiteStatusChange(
                    site_id=site.pk,
                    from_status=SiteStatus.OPERATING,
                    to_status=SiteStatus.SUSPENDED,
                    reason=f"停产停业整顿指令：{reason}"[:300],
                    changed_by=issuer,
                    changed_at=order.issued_at,
                )
            )
            site.status = SiteStatus.SUSPENDED
            self.counts["suspension_orders"] += 1
            if closure is None:
                continue
            requested = order.issued_at + datetime.timedelta(days=rng.randint(10, 15))
            if decided is not None:
                requested = min(requested, decided - datetime.timedelta(days=4))
            note = "停产整顿期间拒不整改，且擅自恢复生产经营，提请区政府依法予以关闭。"
            request = EnforcementAction(
                hazard=h,
                site_id=site.pk,
                kind=EnforcementKind.CLOSURE,
                reason=note,
                issued_by=w.office_user,
                issuing_unit=w.office_unit,
                issued_at=life._at(requested),
                decision=ClosureDecision.PENDING,
            )
            w.rows["enforcement"].append(request)
            life.event(request.issued_at, "closure_requested", w.office_user, note=note)
            self.counts["closure_requests"] += 1
            if closure != ClosureDecision.APPROVED:
                continue
            decision_note = "经区政府研究，同意依法予以关闭。"
            request.decision = ClosureDecision.APPROVED
            request.decided_by = w.office_user
            request.decided_at = life._at(decided)
            request.decision_note = decision_note
            w.fillers.append(
                (
                    request,
                    lambda o: setattr(o, "number", f"{w.prefix}政关〔{timezone.localtime(o.decided_at):%Y}〕{o.pk}号"),
                )
            )
            life.event(
                request.decided_at,
                "closure_decided",
                w.office_user,
                note=decision_note,
                data={"decision": ClosureDecision.APPROVED},
            )
            w.rows["status_changes"].append(
                SiteStatusChange(
                    site_id=site.pk,
                    from_status=SiteStatus.SUSPENDED,
                    to_status=SiteStatus.CLOSED,
                    reason="依关闭决定关闭：经区政府研究，同意依法予以关闭。",
                    changed_by=w.office_user,
                    changed_at=request.decided_at,
                )
            )
            site.status = SiteStatus.CLOSED
            closing_at = request.decided_at + datetime.timedelta(seconds=1)
            for other in lives:
                if other.h.status in OPEN_STATUSES:
                    other.h.closed_at = other._at(closing_at)
                    other.move(
                        other.h.closed_at,
                        "close_with_site",
                        w.office_user,
                        HazardStatus.CLOSED_WITH_SITE,
                        fill=lambda e, o=request: e.update(note=o.number),
                    )

    # -- running it
    def build(self) -> None:
        rng = self.rng
        share = min(max(self.size, 0.0), 1.0)
        eligible = [s for s in self.sites if s.status in (SiteStatus.OPERATING, SiteStatus.SUSPENDED)]
        self.sample = (
            eligible
            if share >= 1
            else sorted(rng.sample(eligible, max(1, round(len(eligible) * share))), key=lambda s: s.pk)
        )
        # The demo enterprise's places are always in: its account is the one that runs self-inspections.
        for site in self.sites:
            if site.account is not None and site not in self.sample:
                self.sample.append(site)
        scripted = self.pick_scripted()
        self.scripted = {s.pk for s in scripted}
        campaigns = self.campaigns()
        for _campaign, _spec, tasks in campaigns:
            for task in tasks:  # a scripted place's visits are its story only
                if task.site_id in self.scripted:
                    task.done = False
        visits = self.plan_inspections(campaigns)

        def weight(visit):  # campaigns look harder; an enterprise finds less in its own places
            return (1.3 if visit.get("campaign") is not None else 1.0) * (0.6 if visit.get("self") else 1.0)

        # About 5% of the hazards are found outside the checklist, on top of the answers drawn here.
        lam = 0.95 * HAZARDS * self.size / max(sum(weight(v) for v in visits), 1)
        for visit in visits:
            self.inspect(visit, hazards=_poisson(rng, lam * weight(visit)))
        self.enforce(scripted)

    def write(self) -> dict:
        w = self.w
        rows = w.rows
        InspectionTask.objects.bulk_create(rows["tasks"], batch_size=BATCH)
        Inspection.objects.bulk_create(rows["inspections"], batch_size=BATCH)
        _require_pks(rows["inspections"])
        _insert(
            Inspection.inspectors.through,
            [{"inspection_id": i.pk, "user_id": u.pk} for i, u in rows["inspectors"]],
        )
        answers = rows["answers"]
        _insert(
            InspectionAnswer,
            [
                {"inspection_id": a["inspection"].pk, "item_id": a["item_id"], "result": a["result"], "note": a["note"]}
                for a in answers
            ],
        )
        inspection_ids = [i.pk for i in rows["inspections"]]
        ids = {}
        for start in range(0, len(inspection_ids), BATCH):
            chunk = inspection_ids[start : start + BATCH]
            for inspection_id, item_id, pk in InspectionAnswer.objects.filter(inspection_id__in=chunk).values_list(
                "inspection_id", "item_id", "pk"
            ):
                ids[(inspection_id, item_id)] = pk
        for answer in answers:
            answer["pk"] = ids[(answer["inspection"].pk, answer["item_id"])]
        for hazard in rows["hazards"]:
            if hazard.answer_record is not None:
                hazard.answer_id = hazard.answer_record["pk"]
        Hazard.objects.bulk_create(rows["hazards"], batch_size=BATCH)
        _require_pks(rows["hazards"])
        # Numbers as services._hazard_number makes them: YH, the year reported (local time), the id on 7 digits.
        by_year: dict[int, list[int]] = {}
        for hazard in rows["hazards"]:
            year = timezone.localtime(hazard.reported_at).year
            hazard.number = f"YH{year}{hazard.pk:07d}"
            by_year.setdefault(year, []).append(hazard.pk)
        for year, pks in by_year.items():
            for start in range(0, len(pks), BATCH):
                Hazard.objects.filter(pk__in=pks[start : start + BATCH]).update(
                    number=Concat(Value(f"YH{year}"), LPad(Cast("id", CharField()), 7, Value("0")))
                )
        RectificationNotice.objects.bulk_create(rows["notices"], batch_size=BATCH)
        _require_pks(rows["notices"])
        by_year = {}
        for notice in rows["notices"]:
            year = timezone.localtime(notice.issued_at).year
            notice.number = f"{w.prefix}安整改〔{year}〕{notice.pk}号"
            by_year.setdefault(year, []).append(notice.pk)
        for year, pks in by_year.items():
            for start in range(0, len(pks), BATCH):
                RectificationNotice.objects.filter(pk__in=pks[start : start + BATCH]).update(
                    number=Concat(Value(f"{w.prefix}安整改〔{year}〕"), Cast("id", CharField()), Value("号"))
                )
        RectificationPlan.objects.bulk_create(rows["plans"], batch_size=BATCH)
        Rectification.objects.bulk_create(rows["rectifications"], batch_size=BATCH)
        _require_pks(rows["rectifications"])
        Escalation.objects.bulk_create(rows["escalations"], batch_size=BATCH)
        EnforcementAction.objects.bulk_create(rows["enforcement"], batch_size=BATCH)
        _require_pks(rows["enforcement"])
        for target, fill in w.fillers:  # the actions' numbers first: events quote them
            if isinstance(target, EnforcementAction):
                fill(target)
                target.save(update_fields=["number"])
        for target, fill in w.fillers:
            if isinstance(target, dict):
                fill(target)
        for event in rows["events"]:
            event["hazard_id"] = event.pop("hazard").pk
        _insert(HazardEvent, rows["events"])
        for photo in rows["photos"]:
            for owner in ("inspection", "answer", "hazard", "rectification"):
                value = photo.pop(owner, None)
                photo[f"{owner}_id"] = (value["pk"] if isinstance(value, dict) else value.pk) if value else None
        _insert(Photo, rows["photos"])
        SiteStatusChange.objects.bulk_create(rows["status_changes"], batch_size=BATCH)
        for change in rows["status_changes"]:  # changed_at is auto_now_add: set the real moment afterwards
            SiteStatusChange.objects.filter(pk=change.pk).update(changed_at=change.changed_at)
            Site.objects.filter(pk=change.site_id).update(status=change.to_status)
        for task in rows["tasks"]:
            if task.status == TaskStatus.OPEN and self.by_pk[task.site_id].status == SiteStatus.CLOSED:
                InspectionTask.objects.filter(pk=task.pk).update(status=TaskStatus.CANCELLED)
        statuses = Counter(h.status for h in rows["hazards"])
        today = w.today
        return {
            "campaigns": self.counts["campaigns"],
            "tasks": len(rows["tasks"]),
            "inspections": len(rows["inspections"]),
            "self_inspections": sum(1 for i in rows["inspections"] if i.kind == InspectionKind.SELF),
            "answers": len(answers),
            "hazards": len(rows["hazards"]),
            "major": sum(1 for h in rows["hazards"] if h.grade == HazardGrade.MAJOR),
            "by_status": dict(sorted(statuses.items())),
            "overdue": sum(1 for h in rows["hazards"] if h.status in DEADLINE_STATUSES and h.deadline < today),
            "escalated_open": sum(1 for h in rows["hazards"] if h.status in OPEN_STATUSES and h.escalated_at),
            "escalations": len(rows["escalations"]),
            "events": len(rows["events"]),
            "photos": len(rows["photos"]),
            "photo_files": len(w.finding_photos) + len(w.after_photos),
            "suspension_orders": self.counts["suspension_orders"],
            "closure_requests": self.counts["closure_requests"],
        }


def _adapter(field):
    """The database adaptation of a field's value (what ``get_db_prep_save`` ends in, without its checks)."""
    ops = connection.ops
    if isinstance(field, DateTimeField):
        return lambda value: ops.adapt_datetimefield_value(value)
    if isinstance(field, DateField):
        return lambda value: ops.adapt_datefield_value(value)
    if isinstance(field, DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if isinstance(field, JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _insert(model, rows: list[dict]) -> None:
    """INSERT plain rows with one executemany per batch: the answers, photos and timeline events are about
    300,000 rows, which ``bulk_create`` (model instances, per-value preparation) writes ten times slower.
    Keys are column attnames; values are converted the way the fields convert them."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name) for name in names]
    convert = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Table and column names come from the model's metadata (quoted); every value is a parameter.
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            params = [
                tuple(
                    fn(row[name]) if fn is not None and row[name] is not None else row[name]
                    for name, fn in zip(names, convert, strict=True)
                )
                for row in rows[start : start + 2000]
            ]
            cursor.executemany(sql, params)


def _require_pks(objs) -> None:
    if objs and objs[-1].pk is None:
        raise RuntimeError("the database did not return primary keys from bulk_create (SQLite ≥ 3.35 or PostgreSQL)")


def is_seeded(district: OrgUnit) -> bool:
    return AuditEntry.objects.filter(action=AUDIT_ACTION, object_id=str(district.pk)).exists()


def seed(*, district: OrgUnit, size: float = 1.0, seed: int = DEFAULT_SEED, stdout=None) -> dict | None:
    """Seed the demo district's campaigns, inspections and hazards once; ``None`` when it has them already.

    ``size`` scales the number of places visited, inspections and hazards (tests use a fraction).
    Then the periodic jobs run as they would: routine tasks are planned and the deadlines scanned.
    """
    if is_seeded(district):
        return None
    with transaction.atomic():
        seeder = Seeder(district, size=size, seed=seed)
        seeder.load()
        seeder.build()
        summary = seeder.write()
        audit.record(
            actor=None,
            action=AUDIT_ACTION,
            obj=district,
            org_unit=seeder.w.office_unit,
            after={**summary, "size": size, "seed": seed},
        )
    if stdout is not None:
        stdout.write(
            f"  {district.name}: {summary['inspections']} inspections, {summary['hazards']} hazards "
            f"({summary['overdue']} overdue, {summary['escalated_open']} open under escalated supervision)"
        )
    summary["frequency_tasks"] = services.generate_frequency_tasks(district=district)
    summary["scan"] = services.scan_deadlines()
    return summary
