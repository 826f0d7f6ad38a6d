"""Fire-safety checklists: crowded places, three-in-one premises and high-rise buildings (GB 35181, the Fire
Law, 公安部令第61号, 应急管理部令第5号). See :mod:`.spec` for the conventions of the data."""

from __future__ import annotations

from anjian.inspections.standards.spec import (
    ACT,
    FIRE_LAW,
    GAS_REG,
    GB35181,
    GB35181_NOTE,
    HIGH_RISE_REG,
    MANAGEMENT,
    MIXED_USE_STD,
    REG61,
    SAFETY_LAW,
    TemplateSpec,
    check,
    major,
)

# GB 35181-2017 chapter 6 (直接判定) items shared by several templates.
FLAMMABLES_SHARE_A_BUILDING = major(
    "生产、储存、经营易燃易爆危险品的场所未与人员密集场所、居住场所设置在同一建筑物内，且与人员密集场所、"
    "居住场所的防火间距不小于国家工程建设消防技术标准规定值的75%",
    "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内，或与人员密集场所、"
    "居住场所的防火间距小于国家工程建设消防技术标准规定值的75%",
    f"{FIRE_LAW}第十九条；GB 35181-2017 第6.2条",
    GB35181,
    "6.2",
)
SPRINKLERS_AND_ALARMS = major(
    "旅馆、公共娱乐场所、商店、地下人员密集场所按国家工程建设消防技术标准的规定设置自动喷水灭火系统和火灾自动报警系统",
    "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统"
    "或火灾自动报警系统",
    f"{FIRE_LAW}第十六条；GB 35181-2017 第6.6条",
    GB35181,
    "6.6",
)
CHILDREN_AND_ELDERLY_FLOORS = major(
    "托儿所、幼儿园的儿童用房以及老年人活动场所所在楼层位置符合国家工程建设消防技术标准的规定",
    "托儿所、幼儿园的儿童用房以及老年人活动场所，所在楼层位置不符合国家工程建设消防技术标准的规定",
    "GB 35181-2017 第6.9条；GB 50016-2014《建筑设计防火规范》（2018年版）",
    GB35181,
    "6.9",
)
SANDWICH_PANEL_DWELLINGS = major(
    "人员密集场所的居住场所不采用芯材燃烧性能等级低于GB 8624规定A级的彩钢夹芯板搭建",
    "人员密集场所的居住场所采用彩钢夹芯板搭建，且彩钢夹芯板芯材的燃烧性能等级低于GB 8624规定的A级",
    f"{FIRE_LAW}第二十六条；GB 35181-2017 第6.10条",
    GB35181,
    "6.10",
)
EXITS_OF_CROWDED_PLACES = major(
    "公共娱乐场所、商店、地下人员密集场所的安全出口数量满足要求，且其总净宽度不小于国家工程建设消防技术标准规定值的80%",
    "公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于国家工程建设消防技术标准规定值的80%",
    f"{FIRE_LAW}第十六条；GB 35181-2017 第6.5条",
    GB35181,
    "6.5",
)
FLAMMABLES_IN_CROWDED_PLACES = major(
    "人员密集场所内不违反消防安全规定使用、储存或销售易燃易爆危险品",
    "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品",
    f"{FIRE_LAW}第二十三条；GB 35181-2017 第6.8条",
    GB35181,
    "6.8",
    nature=ACT,
)


CROWDED_PLACE_FIRE = TemplateSpec(
    code="crowded_place_fire",
    name="人员密集场所消防安全检查表",
    sector="crowded_place",
    description=("适用于商场、宾馆、饭店、学校、医院、公共娱乐场所等人员密集场所的日常和专项消防检查。" + GB35181_NOTE),
    items=(
        check(
            "确定消防安全责任人、消防安全管理人，落实逐级和岗位消防安全责任制",
            f"{FIRE_LAW}第十六条、第十七条；{REG61}第四条、第五条、第七条",
            nature=MANAGEMENT,
        ),
        check(
            "公众聚集场所投入使用、营业前已通过消防安全检查或办理告知承诺",
            f"{FIRE_LAW}第十五条",
            nature=MANAGEMENT,
        ),
        check(
            "疏散通道、安全出口畅通，未被占用、堵塞、封闭",
            f"{FIRE_LAW}第二十八条；{REG61}第二十一条；GB 35181-2017 第7.3.3条（综合判定要素）",
        ),
        check(
            "营业期间安全出口不上锁、不遮挡，疏散走道、楼梯间、安全出口未设置栅栏、卷帘门",
            f"{REG61}第二十一条；GB 35181-2017 第7.3.9条（综合判定要素）",
            nature=ACT,
        ),
        check(
            "疏散指示标志、应急照明按规定设置且完好有效",
            f"{REG61}第二十一条；GB 35181-2017 第7.3.6条（综合判定要素）",
        ),
        check(
            "商店营业厅内的疏散距离符合国家工程建设消防技术标准（不大于规定值的125%）",
            "GB 35181-2017 第7.3.5条（综合判定要素）；GB 50016-2014《建筑设计防火规范》（2018年版）",
        ),
        check(
            "门窗未设置影响逃生和灭火救援的障碍物，外窗未被广告牌等封堵、遮挡",
            f"{FIRE_LAW}第二十八条；GB 35181-2017 第7.3.10条（综合判定要素）",
        ),
        check(
            "常闭式防火门保持关闭、闭门器完好，防火卷帘下未堆放物品",
            f"{REG61}第二十一条、第二十五条；GB 35181-2017 第7.3.7条（综合判定要素）",
        ),
        check(
            "室内消火栓、灭火器完好有效，未被埋压、圈占、遮挡或挪作他用",
            f"{FIRE_LAW}第十六条、第二十八条；{REG61}第二十九条；GB 35181-2017 第7.4.3条（综合判定要素）",
        ),
        check(
            "自动消防设施处于正常运行状态，建筑消防设施每年至少全面检测一次并存档",
            f"{FIRE_LAW}第十六条；{REG61}第二十八条；GB 35181-2017 第7.4.6条、第7.7.2条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        check(
            "消防控制室24小时值班，值班人员持证上岗、熟悉火警处置程序",
            f"{REG61}第三十八条；GB 25506-2010《消防控制室通用技术要求》；GB 35181-2017 第7.8.2条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        check(
            "室内装修、装饰使用不燃、难燃材料，疏散走道、楼梯间装修材料燃烧性能符合规定",
            f"{FIRE_LAW}第二十六条；GB 35181-2017 第7.3.8条、第7.9.5条（综合判定要素）",
        ),
        check(
            "电气线路规范敷设、穿管保护，不私拉乱接、不在可燃物上直接敷设、不超负荷用电",
            f"{FIRE_LAW}第二十七条；GB 35181-2017 第7.9.4条（综合判定要素）",
        ),
        check(
            "营业期间不动火施工；动火作业办理审批、落实现场监护",
            f"{FIRE_LAW}第二十一条；{REG61}第二十条",
            nature=ACT,
        ),
        check(
            "营业期间至少每2小时进行一次防火巡查，营业结束后检查消除遗留火种，巡查记录完整",
            f"{REG61}第二十五条",
            nature=MANAGEMENT,
        ),
        check(
            "至少每月开展一次防火检查并记录，发现的火灾隐患及时整改",
            f"{REG61}第二十六条、第三十二条",
            nature=MANAGEMENT,
        ),
        check(
            "员工至少每半年接受一次消防安全培训，会报警、会扑救初起火灾、会组织疏散",
            f"{REG61}第三十六条",
            nature=MANAGEMENT,
        ),
        check(
            "制定灭火和应急疏散预案并至少每半年组织一次演练",
            f"{REG61}第三十九条、第四十条",
            nature=MANAGEMENT,
        ),
        EXITS_OF_CROWDED_PLACES,
        SPRINKLERS_AND_ALARMS,
        FLAMMABLES_IN_CROWDED_PLACES,
        CHILDREN_AND_ELDERLY_FLOORS,
        SANDWICH_PANEL_DWELLINGS,
    ),
)


THREE_IN_ONE = TemplateSpec(
    code="three_in_one",
    name="“三合一”场所消防安全检查表",
    sector="three_in_one",
    description=(
        "适用于住宿与生产、储存、经营合用的场所（“三合一”场所），重点检查住人区域的防火分隔、逃生条件和用电安全。"
        + GB35181_NOTE
    ),
    items=(
        FLAMMABLES_SHARE_A_BUILDING,
        SANDWICH_PANEL_DWELLINGS,
        check(
            "合用场所不设在不允许住人的建筑内（甲、乙类火灾危险性建筑，三级及以下耐火等级建筑，厂房、仓库，"
            "地下建筑等）",
            f"{MIXED_USE_STD}；GB 35181-2017 第7.1.3条（综合判定要素）",
        ),
        check(
            "住人区域与生产、储存、经营区域之间采用不燃烧体墙和楼板进行防火分隔",
            f"{FIRE_LAW}第十九条；{MIXED_USE_STD}；GB 35181-2017 第7.1.3条（综合判定要素）",
        ),
        check(
            "住人区域设置独立的疏散楼梯或安全出口，不经过生产、储存、经营区域即可疏散",
            f"{MIXED_USE_STD}",
        ),
        check(
            "住人房间外窗、阳台不设置防盗网、铁栅栏等影响逃生的障碍物；确需设置的留有可从内部开启的逃生口",
            f"{FIRE_LAW}第二十八条；{MIXED_USE_STD}",
        ),
        check(
            "生产、储存、经营的车间、商店、仓库不与员工宿舍设在同一座建筑物内",
            f"{SAFETY_LAW}第四十二条",
        ),
        check(
            "疏散通道、楼梯间、安全出口畅通，不堆放货物、不锁闭出口",
            f"{FIRE_LAW}第二十八条；{SAFETY_LAW}第四十二条",
        ),
        check(
            "住宿与非住宿部分设置火灾自动报警系统或独立式感烟火灾探测报警器，未分隔时设置自动喷水灭火设施",
            f"{MIXED_USE_STD}",
        ),
        check(
            "电气线路穿管保护，不私拉乱接、不使用大功率电器、不超负荷用电",
            f"{FIRE_LAW}第二十七条",
        ),
        check(
            "电动自行车及其蓄电池不在室内、楼梯间、疏散通道停放或充电，不“飞线”充电",
            f"{FIRE_LAW}第二十七条、第二十八条",
            nature=ACT,
        ),
        check(
            "生产、储存、经营区域不吸烟、不使用明火，不违规使用液化石油气、电热器具",
            f"{FIRE_LAW}第二十一条；{GAS_REG}第二十八条",
            nature=ACT,
        ),
        check(
            "按规定配置灭火器、应急照明，灭火器在有效期内",
            f"{FIRE_LAW}第十六条",
        ),
        check(
            "经营者和住宿人员接受消防安全教育，会报警、会使用灭火器、会逃生自救",
            f"{FIRE_LAW}第十六条；{SAFETY_LAW}第二十八条",
            nature=MANAGEMENT,
        ),
    ),
)


HIGH_RISE = TemplateSpec(
    code="high_rise",
    name="高层民用建筑消防安全检查表",
    sector="high_rise",
    description=(
        "适用于高层住宅建筑（建筑高度大于27米）和高层公共建筑（建筑高度大于24米的非单层公共建筑），"
        "依据《高层民用建筑消防安全管理规定》（应急管理部令第5号）。" + GB35181_NOTE
    ),
    items=(
        check(
            "明确消防安全管理人并在建筑显著位置公示其姓名、联系方式和职责；多业主时明确统一管理人",
            f"{HIGH_RISE_REG}第五条、第八条",
            evidence=True,
            nature=MANAGEMENT,
        ),
        check(
            "消防控制室实行24小时值班、每班不少于2人，值班人员持证上岗",
            f"{HIGH_RISE_REG}第二十六条；GB 35181-2017 第7.8.2条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        check(
            "消防车通道、消防车登高操作场地畅通，未设置停车泊位、隔离桩、架空管线等障碍物",
            f"{HIGH_RISE_REG}第二十二条；GB 35181-2017 第7.1.1条、第7.3.11条（综合判定要素）",
        ),
        check(
            "疏散通道、安全出口畅通，不堆放物品、不锁闭出口；门禁疏散门在火灾时易于开启",
            f"{HIGH_RISE_REG}第二十八条；{FIRE_LAW}第二十八条",
        ),
        check(
            "常闭式防火门保持常闭、闭门器和顺序器完好，常开式防火门在火灾时自动关闭并反馈信号",
            f"{HIGH_RISE_REG}第二十八条；GB 35181-2017 第7.3.7条（综合判定要素）",
        ),
        check(
            "避难层（间）、避难走道未被占用、堆放杂物或锁闭，设置位置指示标识",
            f"{HIGH_RISE_REG}第二十九条；GB 35181-2017 第7.3.1条（综合判定要素）",
        ),
        check(
            "室内外消火栓未被圈占、遮挡，消火栓箱内无杂物，供水压力正常",
            f"{HIGH_RISE_REG}第二十八条；GB 35181-2017 第7.4.3条（综合判定要素）",
        ),
        check(
            "自动喷水灭火系统、火灾自动报警系统、防烟排烟系统正常运行，联动控制有效",
            f"{HIGH_RISE_REG}第二十六条、第三十二条；GB 35181-2017 第7.4.6条、第7.5条、第7.7.3条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        check(
            "消防电梯正常运行，迫降功能有效",
            "GB 35181-2017 第7.3.12条（综合判定要素）",
        ),
        check(
            "电缆井、管道井等竖向管井在每层楼板处防火封堵，检查门为防火门，井内不堆放杂物",
            f"{HIGH_RISE_REG}第二十条",
        ),
        check(
            "外墙外保温材料为不燃或难燃材料，保温系统完好、不破损开裂脱落，设置燃烧性能提示和警示标识",
            f"{HIGH_RISE_REG}第十九条",
        ),
        check(
            "公共门厅、疏散走道、楼梯间、安全出口不停放电动自行车，也不为电动自行车充电",
            f"{HIGH_RISE_REG}第三十七条",
            nature=ACT,
        ),
        check(
            "电动自行车集中存放、充电场所独立设置或与建筑其他部分防火分隔，充电设施具备充满自动断电功能",
            f"{HIGH_RISE_REG}第三十七条",
        ),
        check(
            "锅炉房、变配电室、消防水泵房、防排烟风机房等设备用房设明显防火标志，未被占用、堆放杂物",
            f"{HIGH_RISE_REG}第二十五条",
        ),
        check(
            "高层民用建筑地下部分不使用液化石油气，建筑内不生产、储存、经营甲、乙类火灾危险性物品",
            f"{HIGH_RISE_REG}第十七条、第十八条",
        ),
        check(
            "动火作业办理审批、公告并落实现场监护，商场、公共娱乐场所营业期间不动火施工",
            f"{HIGH_RISE_REG}第十五条",
            nature=ACT,
        ),
        check(
            "每日开展防火巡查；高层住宅每月、高层公共建筑每半月至少开展一次防火检查并记录",
            f"{HIGH_RISE_REG}第三十四条、第三十五条",
            nature=MANAGEMENT,
        ),
        check(
            "每年至少组织一次整栋建筑消防安全评估，每年至少组织一次全要素综合演练",
            f"{HIGH_RISE_REG}第三十九条、第四十四条",
            nature=MANAGEMENT,
        ),
        major(
            FLAMMABLES_SHARE_A_BUILDING.text,
            FLAMMABLES_SHARE_A_BUILDING.criterion_text,
            f"{FIRE_LAW}第十九条；{HIGH_RISE_REG}第十八条；GB 35181-2017 第6.2条",
            GB35181,
            "6.2",
        ),
        SPRINKLERS_AND_ALARMS,
        CHILDREN_AND_ELDERLY_FLOORS,
    ),
)
