"""Checklists of public spaces and what moves through them: road sections and key vehicles, shopping areas and
large events. See :mod:`.spec` for the conventions of the data."""

from __future__ import annotations

from anjian.inspections.standards.fire import (
    EXITS_OF_CROWDED_PLACES,
    FLAMMABLES_IN_CROWDED_PLACES,
    SPRINKLERS_AND_ALARMS,
)
from anjian.inspections.standards.spec import (
    ACT,
    COMMERCIAL_COMPLEX_RULES,
    DANGEROUS_GOODS_ROAD_RULES,
    ENVIRONMENT,
    FIRE_LAW,
    GB35181_NOTE,
    HAZCHEM_REG,
    LARGE_EVENT_REG,
    MANAGEMENT,
    REG61,
    ROAD_LAW,
    ROAD_SAFETY_FACILITIES_STD,
    ROAD_SIGNS_STD,
    SAFETY_LAW,
    SCHOOL_BUS_REG,
    SE_LAW,
    VEHICLE_MONITORING_RULES,
    TemplateSpec,
    check,
)

ROAD_TRAFFIC = TemplateSpec(
    code="road_traffic",
    name="道路交通安全隐患检查表",
    sector="road_traffic",
    description=(
        "适用于危险路段和重点车辆（客运、危险货物运输、校车）所属单位的检查，依据《中华人民共和国道路交通安全法》、"
        "GB 5768《道路交通标志和标线》、JTG D81-2017、《危险货物道路运输安全管理办法》（交通运输部令2019年第29号）、"
        "《道路运输车辆动态监督管理办法》和《校车安全管理条例》。各办法、条例的条号据资料整理，启用前请核对原文；"
        "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》核对原文后可补充为重大隐患项。"
    ),
    sections=(("危险路段", 8), ("重点车辆", 6)),
    items=(
        # 危险路段
        check(
            "危险路段按国家标准设置警告、限速、禁令等交通标志和标线，标志标线清晰完好",
            f"{ROAD_LAW}第二十五条；{ROAD_SIGNS_STD}",
        ),
        check(
            "急弯、陡坡、临水临崖路段按规定设置护栏等安全防护设施，设施完好无缺损",
            f"{ROAD_LAW}第二十九条；{ROAD_SAFETY_FACILITIES_STD}",
        ),
        check(
            "路面无坍塌、坑槽、水毁、隆起；交通设施损毁的已设置警示标志并及时修复",
            f"{ROAD_LAW}第三十条",
        ),
        check(
            "交通信号灯设置符合GB 14886，运行正常",
            f"{ROAD_LAW}第二十五条；GB 14886-2016《道路交通信号灯设置与安装规范》",
        ),
        check(
            "道路两侧树木、广告牌、管线与交通设施保持必要距离，不遮挡交通信号灯、交通标志，不妨碍安全视距",
            f"{ROAD_LAW}第二十八条",
            nature=ENVIRONMENT,
        ),
        check(
            "学校、幼儿园周边道路设置人行横道、减速设施和注意儿童等警示标志",
            f"{ROAD_LAW}第三十四条；GA/T 1215-2014《中小学与幼儿园校园周边道路交通设施设置规范》",
        ),
        check(
            "道路施工作业在批准的路段和时间内进行，来车方向安全距离处设置明显的安全警示标志和防护设施",
            f"{ROAD_LAW}第三十二条",
            nature=ACT,
        ),
        check(
            "交通事故多发点段列入排查台账，整改措施落实并按期完成",
            f"{ROAD_LAW}第三十条；{ROAD_SAFETY_FACILITIES_STD}",
            nature=MANAGEMENT,
        ),
        # 重点车辆
        check(
            "客运、危险货物运输车辆安装具有行驶记录功能的卫星定位装置并保持正常在线",
            f"{VEHICLE_MONITORING_RULES}",
        ),
        check(
            "危险货物运输车辆的驾驶人员、押运人员取得从业资格，车辆悬挂危险货物运输标志",
            f"{HAZCHEM_REG}第四十四条；{DANGEROUS_GOODS_ROAD_RULES}",
            evidence=True,
            nature=MANAGEMENT,
        ),
        check(
            "重点车辆按期进行安全技术检验，达到报废标准的车辆不再上路行驶",
            f"{ROAD_LAW}第十三条、第十四条",
        ),
        check(
            "驾驶人按期审验、换证，交通违法和记分及时处理",
            f"{ROAD_LAW}第二十四条",
            nature=ACT,
        ),
        check(
            "校车取得使用许可，按审核确定的线路、时间行驶，配备随车照管人员",
            f"{SCHOOL_BUS_REG}",
            nature=MANAGEMENT,
        ),
        check(
            "运输企业落实车辆动态监控、驾驶人安全教育和出车前安全检查",
            f"{VEHICLE_MONITORING_RULES}；{SAFETY_LAW}第二十八条",
            nature=MANAGEMENT,
        ),
    ),
)


COMMERCIAL = TemplateSpec(
    code="commercial",
    name="商圈商超安全检查表",
    sector="commercial",
    description=(
        "适用于商场、超市、大型商业综合体和商业街区，依据《大型商业综合体消防安全管理规则（试行）》"
        "（应急消〔2019〕314号）、《中华人民共和国安全生产法》、《中华人民共和国特种设备安全法》和 GB 35181-2017。"
        + GB35181_NOTE
    ),
    items=(
        check(
            "明确商场（综合体）安全生产和消防安全责任人、管理人，与各经营商户签订安全管理协议",
            f"{SAFETY_LAW}第四十九条；{COMMERCIAL_COMPLEX_RULES}",
            nature=MANAGEMENT,
        ),
        check(
            "疏散通道、安全出口畅通，营业期间不锁闭，不堆放商品、促销台",
            f"{FIRE_LAW}第二十八条；{REG61}第二十一条",
        ),
        check(
            "疏散指示标志、应急照明完好有效，商铺装修不遮挡疏散指示",
            f"{REG61}第二十一条；{COMMERCIAL_COMPLEX_RULES}",
        ),
        check(
            "防火卷帘下方、防火门处不摆放商品和经营设施，防火门保持常闭",
            f"{REG61}第二十一条；{COMMERCIAL_COMPLEX_RULES}",
        ),
        check(
            "自动扶梯、电梯经定期检验合格，扶梯出入口设置安全警示和紧急停止装置",
            f"{SE_LAW}第四十条、第四十三条",
        ),
        check(
            "餐饮区使用燃气的安装可燃气体报警装置，厨房排油烟管道定期清洗",
            f"{SAFETY_LAW}第三十六条第四款；{COMMERCIAL_COMPLEX_RULES}",
        ),
        check(
            "中庭、外立面的广告牌、装饰物、吊顶安装牢固，没有坠落危险",
            f"{COMMERCIAL_COMPLEX_RULES}",
        ),
        check(
            "商户电气线路规范敷设，不私拉乱接，营业结束后切断非必要电源",
            f"{FIRE_LAW}第二十七条；{COMMERCIAL_COMPLEX_RULES}",
        ),
        check(
            "节假日、促销活动等客流高峰制定人员疏导方案，落实限流和安保措施",
            f"{COMMERCIAL_COMPLEX_RULES}；{LARGE_EVENT_REG}",
            nature=MANAGEMENT,
        ),
        check(
            "冷库、仓库设置在独立区域，与营业区防火分隔，不在库房内住人",
            f"{SAFETY_LAW}第四十二条；{FIRE_LAW}第十九条",
        ),
        check(
            "微型消防站人员、器材到位，员工会报警、会扑救初起火灾、会组织疏散",
            f"{COMMERCIAL_COMPLEX_RULES}；{REG61}第三十六条",
            nature=MANAGEMENT,
        ),
        EXITS_OF_CROWDED_PLACES,
        SPRINKLERS_AND_ALARMS,
        FLAMMABLES_IN_CROWDED_PLACES,
    ),
)


LARGE_EVENT = TemplateSpec(
    code="large_event",
    name="大型群众性活动安全检查表",
    sector="large_event",
    description=(
        "适用于演唱会、体育比赛、展览展销、游园灯会等大型群众性活动举办前和举办期间的检查，依据"
        "《大型群众性活动安全管理条例》（国务院令第505号）。该条例条号据资料整理，启用前请核对原文；"
        "临时搭建设施的结构安全按相关技术标准另行检测。"
    ),
    items=(
        check(
            "活动已依法取得公安机关安全许可，活动时间、地点、内容与许可一致",
            f"{LARGE_EVENT_REG}第十一条、第十二条",
            evidence=True,
            nature=MANAGEMENT,
        ),
        check(
            "承办者制定并组织实施安全工作方案，明确安全责任人和各岗位职责",
            f"{LARGE_EVENT_REG}第七条、第十条",
            nature=MANAGEMENT,
        ),
        check(
            "按核准的场所容纳人数和划定区域发放或出售门票，现场人数不超过核准人数",
            f"{LARGE_EVENT_REG}第七条",
        ),
        check(
            "活动场所、设施符合国家安全标准和安全规定，临时搭建的舞台、看台、展台经验收合格",
            f"{LARGE_EVENT_REG}第七条、第八条",
        ),
        check(
            "疏散通道、安全出口、消防车通道畅通，应急广播、应急照明、疏散指示标志完好",
            f"{LARGE_EVENT_REG}第八条",
        ),
        check(
            "监控设备和消防设施、器材配置齐全、完好有效",
            f"{LARGE_EVENT_REG}第八条",
        ),
        check(
            "配备与活动规模相适应的专业保安人员和安全工作人员，佩戴识别标志",
            f"{LARGE_EVENT_REG}第七条、第十条",
            nature=MANAGEMENT,
        ),
        check(
            "入场人员票证查验和安全检查措施落实，禁止携带危险物品入场",
            f"{LARGE_EVENT_REG}第九条、第十条",
            nature=ACT,
        ),
        check(
            "设置治安缓冲区域并标识清楚，车辆停放和疏导措施落实",
            f"{LARGE_EVENT_REG}第八条、第十条",
        ),
        check(
            "制定应急救援预案，落实医疗救护、灭火、应急疏散等措施并组织演练",
            f"{LARGE_EVENT_REG}第七条、第十条",
            nature=MANAGEMENT,
        ),
        check(
            "临时用电规范敷设，配电设施有防雨、防触电措施，大功率用电设备有专人值守",
            f"{FIRE_LAW}第二十七条；JGJ 46-2005《施工现场临时用电安全技术规范》",
        ),
        check(
            "使用烟花、舞台焰火等特殊效果的已经批准并由专业人员操作",
            f"{LARGE_EVENT_REG}第七条；《烟花爆竹安全管理条例》第三十三条",
            nature=ACT,
        ),
    ),
)
