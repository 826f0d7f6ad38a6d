"""What the demo inspections are about: the campaigns of the year, and the words hazards, rectifications,
notices and verifications are written with. Plain data and the seeding's fixed numbers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from anjian.inspections import services
from anjian.inspections.choices import (
    CampaignKind,
)
from anjian.organizations.choices import DepartmentType

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


# A campaign's places are handed out in batches, each due by its own share of the campaign's period.
BATCH_SHARES = (0.4, 0.55, 0.7, 0.85, 1.0, 1.0)
# What a campaign left undone more than CATCH_UP_DAYS ago was mostly done late (CAUGHT_UP of it) within as many days.
CATCH_UP_DAYS = 45
CAUGHT_UP = 0.85
# Each department officer's and inspector's tasks assigned by hand, due these many days from today: one a little
# late, a few this week, the rest over the coming weeks.
HAND_ASSIGNED_DUE = (-3, 1, 2, 4, 7, 10, 14, 21)
HAND_ASSIGNED_NOTES = (
    "年度监督检查计划",
    "举报线索核查",
    "复产复工前检查",
    "重点时段安全检查",
    "上级交办事项",
)

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
