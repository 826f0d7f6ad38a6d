"""Seeded checklist templates and inspection intervals (STANDARDS.md §1, §2, §5).

Pure reference data: no models and no database. A loader elsewhere copies these specs into
ChecklistTemplate / ChecklistItem rows; tests pin the content (tests/test_standards.py).

Conventions of the data:
- Chinese texts are official wording and checks as an inspector reads them, so they are data, not UI strings.
- A general item states the requirement to check ("…是否…"); a non-compliant answer records a hazard.
- A major-criterion item (criteria_document set) carries the criterion's own wording, the situation that
  makes a hazard major by itself (STANDARDS §5). Its criteria_document / criteria_edition / criteria_number
  say exactly which list, which edition and which item, so an administrator can check and correct them.
- GB 35181-2017 has two kinds of clauses: chapter 6 items make a hazard major on their own (直接判定), chapter 7
  items only count toward a combined judgement (综合判定, chapter 8). Only chapter 6 items are marked as major
  criteria here; chapter 7 clauses are cited in legal_basis with "综合判定要素", so a single finding of that
  kind never escalates a place on its own.
- Where a number or edition was taken from secondary sources, the template's description says so (STANDARDS
  "(check)" rule): the data keeps its source visible instead of pretending to certainty.
"""

from dataclasses import dataclass

# Nature of a hazard (管理分类, STANDARDS §5); the values of inspections.choices.HazardNature.
ACT = "unsafe_act"  # 人的不安全行为
CONDITION = "unsafe_condition"  # 物的不安全状态
MANAGEMENT = "management"  # 管理上的缺陷
ENVIRONMENT = "environment"  # 环境因素


@dataclass(frozen=True)
class ItemSpec:
    """One check of a checklist template; a major criterion when criteria_document is set."""

    text: str
    legal_basis: str
    photo_required: bool = False
    nature: str = ""
    criteria_document: str = ""
    criteria_edition: str = ""
    criteria_number: str = ""

    @property
    def is_major_criterion(self) -> bool:
        return bool(self.criteria_document)


@dataclass(frozen=True)
class TemplateSpec:
    """A checklist template for one sector of STANDARDS §1."""

    code: str
    name: str
    sector: str
    description: str
    items: tuple[ItemSpec, ...]


def _check(text: str, basis: str, *, photo: bool = False, nature: str = CONDITION) -> ItemSpec:
    return ItemSpec(text=text, legal_basis=basis, photo_required=photo, nature=nature)


def _major(
    text: str,
    basis: str,
    criteria: tuple[str, str],
    number: str,
    *,
    photo: bool = False,
    nature: str = CONDITION,
) -> ItemSpec:
    document, edition = criteria
    return ItemSpec(
        text=text,
        legal_basis=basis,
        photo_required=photo,
        nature=nature,
        criteria_document=document,
        criteria_edition=edition,
        criteria_number=number,
    )


# Laws and regulations cited in legal_basis.
FIRE_LAW = "《中华人民共和国消防法》"
REG61 = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）"
HIGH_RISE_REG = "《高层民用建筑消防安全管理规定》（应急管理部令第5号）"
SAFETY_LAW = "《中华人民共和国安全生产法》"
HAZCHEM_REG = "《危险化学品安全管理条例》"
FIREWORKS_REG = "《烟花爆竹安全管理条例》"
FIREWORKS_STORE_STD = "AQ 4128-2019《烟花爆竹零售店（点）安全技术规范》"
SE_LAW = "《中华人民共和国特种设备安全法》"
ELEVATOR_INSPECTION = "TSG T7001-2023《电梯监督检验和定期检验规则》"
ELEVATOR_MAINTENANCE = "TSG T5002-2017《电梯维护保养规则》"
SE_USE_RULES = "TSG 08-2017《特种设备使用管理规则》"
CONSTRUCTION_REG = "《建设工程安全生产管理条例》"
DANGEROUS_WORKS_REG = "《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）"
GAS_REG = "《城镇燃气管理条例》"
GAS_DESIGN = "GB 50028-2006《城镇燃气设计规范》"
MIXED_USE_STD = "GA 703-2007《住宿与生产储存经营合用场所消防安全技术要求》"
DANGEROUS_HOUSE_STD = "JGJ 125-2016《危险房屋鉴定标准》"
PLANNING_LAW = "《中华人民共和国城乡规划法》"

# Major hazard criteria lists: (document, edition).
GB35181 = ("重大火灾隐患判定方法", "GB 35181-2017")
HAZCHEM_CRITERIA = ("化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")
FIREWORKS_CRITERIA = ("烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")
CONSTRUCTION_CRITERIA = ("房屋市政工程生产安全重大事故隐患判定标准（2022版）", "建质规〔2022〕2号")
GAS_CRITERIA = ("城镇燃气经营安全重大隐患判定标准", "建城规〔2023〕4号")
SELF_BUILT_CRITERIA = ("全国自建房安全专项整治工作方案", "国办发明电〔2022〕10号")

_GB35181_NOTE = (
    "重大隐患条款按 GB 35181-2017《重大火灾隐患判定方法》第6章（直接判定）编号；第7章综合判定要素只在依据中注明，"
    "须按第8章累计判定。据资料该标准已有2025年版（GB 35181-2025《重大火灾隐患判定规则》），启用前请核对版本和条号。"
)


CROWDED_PLACE_FIRE = TemplateSpec(
    code="crowded_place_fire",
    name="人员密集场所消防安全检查表",
    sector="crowded_place",
    description=(
        "适用于商场、宾馆、饭店、学校、医院、公共娱乐场所等人员密集场所的日常和专项消防检查。" + _GB35181_NOTE
    ),
    items=(
        _check(
            "是否确定消防安全责任人、消防安全管理人，并落实逐级和岗位消防安全责任制",
            f"{FIRE_LAW}第十六条、第十七条；{REG61}第四条、第五条、第七条",
            nature=MANAGEMENT,
        ),
        _check(
            "公众聚集场所投入使用、营业前是否通过消防安全检查或办理告知承诺",
            f"{FIRE_LAW}第十五条",
            nature=MANAGEMENT,
        ),
        _check(
            "疏散通道、安全出口是否畅通，未被占用、堵塞、封闭",
            f"{FIRE_LAW}第二十八条；{REG61}第二十一条；GB 35181-2017 第7.3.3条（综合判定要素）",
            photo=True,
        ),
        _check(
            "营业期间安全出口是否上锁、遮挡，疏散走道、楼梯间、安全出口是否设置栅栏、卷帘门",
            f"{REG61}第二十一条；GB 35181-2017 第7.3.9条（综合判定要素）",
            photo=True,
            nature=ACT,
        ),
        _check(
            "疏散指示标志、应急照明是否按规定设置且完好有效",
            f"{REG61}第二十一条；GB 35181-2017 第7.3.6条（综合判定要素）",
            photo=True,
        ),
        _check(
            "商店营业厅内的疏散距离是否符合国家工程建设消防技术标准（不大于规定值的125%）",
            "GB 35181-2017 第7.3.5条（综合判定要素）；GB 50016-2014《建筑设计防火规范》（2018年版）",
        ),
        _check(
            "门窗、外窗是否设置影响逃生和灭火救援的障碍物，外窗是否被广告牌等封堵、遮挡",
            f"{FIRE_LAW}第二十八条；GB 35181-2017 第7.3.10条（综合判定要素）",
            photo=True,
        ),
        _check(
            "常闭式防火门是否保持关闭、闭门器完好，防火卷帘下是否堆放物品",
            f"{REG61}第二十一条、第二十五条；GB 35181-2017 第7.3.7条（综合判定要素）",
            photo=True,
        ),
        _check(
            "室内消火栓、灭火器是否完好有效，未被埋压、圈占、遮挡或挪作他用",
            f"{FIRE_LAW}第十六条、第二十八条；{REG61}第二十九条；GB 35181-2017 第7.4.3条（综合判定要素）",
            photo=True,
        ),
        _check(
            "自动消防设施是否处于正常运行状态，建筑消防设施是否每年至少全面检测一次并存档",
            f"{FIRE_LAW}第十六条；{REG61}第二十八条；GB 35181-2017 第7.4.6条、第7.7.2条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        _check(
            "消防控制室是否24小时值班，值班人员是否持证上岗、熟悉火警处置程序",
            f"{REG61}第三十八条；GB 25506-2010《消防控制室通用技术要求》；GB 35181-2017 第7.8.2条（综合判定要素）",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "室内装修、装饰是否使用不燃、难燃材料，疏散走道、楼梯间装修材料燃烧性能是否符合规定",
            f"{FIRE_LAW}第二十六条；GB 35181-2017 第7.3.8条、第7.9.5条（综合判定要素）",
            photo=True,
        ),
        _check(
            "电气线路是否规范敷设、穿管保护，有无私拉乱接、在可燃物上直接敷设或超负荷用电",
            f"{FIRE_LAW}第二十七条；GB 35181-2017 第7.9.4条（综合判定要素）",
            photo=True,
        ),
        _check(
            "营业期间是否动火施工；动火作业是否办理审批、落实现场监护",
            f"{FIRE_LAW}第二十一条；{REG61}第二十条",
            nature=ACT,
        ),
        _check(
            "营业期间是否至少每2小时进行一次防火巡查，营业结束后是否检查消除遗留火种，巡查记录是否完整",
            f"{REG61}第二十五条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否至少每月开展一次防火检查并记录，发现的火灾隐患是否及时整改",
            f"{REG61}第二十六条、第三十二条",
            nature=MANAGEMENT,
        ),
        _check(
            "员工是否至少每半年接受一次消防安全培训，会报警、会扑救初起火灾、会组织疏散",
            f"{REG61}第三十六条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否制定灭火和应急疏散预案并至少每半年组织一次演练",
            f"{REG61}第三十九条、第四十条",
            nature=MANAGEMENT,
        ),
        _major(
            "公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于国家工程建设消防技术标准规定值的80%",
            f"{FIRE_LAW}第十六条；GB 35181-2017 第6.5条",
            GB35181,
            "6.5",
            photo=True,
        ),
        _major(
            "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统"
            "或火灾自动报警系统",
            f"{FIRE_LAW}第十六条；GB 35181-2017 第6.6条",
            GB35181,
            "6.6",
        ),
        _major(
            "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品",
            f"{FIRE_LAW}第二十三条；GB 35181-2017 第6.8条",
            GB35181,
            "6.8",
            photo=True,
            nature=ACT,
        ),
        _major(
            "托儿所、幼儿园的儿童用房以及老年人活动场所，所在楼层位置不符合国家工程建设消防技术标准的规定",
            "GB 35181-2017 第6.9条；GB 50016-2014《建筑设计防火规范》（2018年版）",
            GB35181,
            "6.9",
        ),
        _major(
            "人员密集场所的居住场所采用彩钢夹芯板搭建，且彩钢夹芯板芯材的燃烧性能等级低于GB 8624规定的A级",
            f"{FIRE_LAW}第二十六条；GB 35181-2017 第6.10条",
            GB35181,
            "6.10",
            photo=True,
        ),
    ),
)


THREE_IN_ONE = TemplateSpec(
    code="three_in_one",
    name="“三合一”场所消防安全检查表",
    sector="three_in_one",
    description=(
        "适用于住宿与生产、储存、经营合用的场所（“三合一”场所），重点检查住人区域的防火分隔、逃生条件和用电安全。"
        + _GB35181_NOTE
    ),
    items=(
        _major(
            "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内，或与人员密集场所、"
            "居住场所的防火间距小于国家工程建设消防技术标准规定值的75%",
            f"{FIRE_LAW}第十九条；GB 35181-2017 第6.2条",
            GB35181,
            "6.2",
            photo=True,
        ),
        _major(
            "人员密集场所的居住场所采用彩钢夹芯板搭建，且彩钢夹芯板芯材的燃烧性能等级低于GB 8624规定的A级",
            f"{FIRE_LAW}第二十六条；GB 35181-2017 第6.10条",
            GB35181,
            "6.10",
            photo=True,
        ),
        _check(
            "合用场所是否设在不允许住人的建筑内（甲、乙类火灾危险性建筑，三级及以下耐火等级建筑，厂房、仓库，"
            "地下建筑等）",
            f"{MIXED_USE_STD}；GB 35181-2017 第7.1.3条（综合判定要素）",
        ),
        _check(
            "住人区域与生产、储存、经营区域之间是否采用不燃烧体墙和楼板进行防火分隔",
            f"{FIRE_LAW}第十九条；{MIXED_USE_STD}；GB 35181-2017 第7.1.3条（综合判定要素）",
            photo=True,
        ),
        _check(
            "住人区域是否设置独立的疏散楼梯或安全出口，不经过生产、储存、经营区域即可疏散",
            f"{MIXED_USE_STD}",
            photo=True,
        ),
        _check(
            "住人房间外窗、阳台是否设置防盗网、铁栅栏等影响逃生的障碍物；确需设置的是否留有可从内部开启的逃生口",
            f"{FIRE_LAW}第二十八条；{MIXED_USE_STD}",
            photo=True,
        ),
        _check(
            "生产、储存、经营的车间、商店、仓库是否与员工宿舍设在同一座建筑物内",
            f"{SAFETY_LAW}第四十二条",
        ),
        _check(
            "疏散通道、楼梯间、安全出口是否畅通，有无堆放货物、锁闭出口",
            f"{FIRE_LAW}第二十八条；{SAFETY_LAW}第四十二条",
            photo=True,
        ),
        _check(
            "住宿与非住宿部分是否设置火灾自动报警系统或独立式感烟火灾探测报警器，未分隔时是否设置自动喷水灭火设施",
            f"{MIXED_USE_STD}",
        ),
        _check(
            "电气线路是否穿管保护，有无私拉乱接、使用大功率电器或超负荷用电",
            f"{FIRE_LAW}第二十七条",
            photo=True,
        ),
        _check(
            "电动自行车及其蓄电池是否在室内、楼梯间、疏散通道停放或充电，有无“飞线”充电",
            f"{FIRE_LAW}第二十七条、第二十八条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "生产、储存、经营区域是否吸烟、使用明火，或违规使用液化石油气、电热器具",
            f"{FIRE_LAW}第二十一条；{GAS_REG}第二十八条",
            nature=ACT,
        ),
        _check(
            "是否按规定配置灭火器、应急照明，灭火器是否在有效期内",
            f"{FIRE_LAW}第十六条",
            photo=True,
        ),
        _check(
            "经营者和住宿人员是否接受消防安全教育，会报警、会使用灭火器、会逃生自救",
            f"{FIRE_LAW}第十六条；{SAFETY_LAW}第二十八条",
            nature=MANAGEMENT,
        ),
    ),
)


# Item counts of the three sections of the self-built house template, in item order.
SELF_BUILT_HOUSE_SECTIONS: tuple[tuple[str, int], ...] = (("结构安全", 8), ("改变用途", 5), ("消防安全", 6))

SELF_BUILT_HOUSE = TemplateSpec(
    code="self_built_house",
    name="自建房安全排查检查表",
    sector="self_built_house",
    description=(
        "按《全国自建房安全专项整治工作方案》（国办发明电〔2022〕10号）排查自建房，依次检查结构安全（第1–8项）、"
        "改变用途（第9–13项）和消防安全（第14–19项）。重大隐患项引用该方案“彻底整治安全隐患”部分，"
        "方案未按条编号，启用前请核对原文表述。"
    ),
    items=(
        # 结构安全
        _check(
            "地基是否有明显不均匀沉降，墙体、梁、柱、楼板是否出现明显裂缝（斜裂缝、贯通裂缝）",
            f"{DANGEROUS_HOUSE_STD}；国办发明电〔2022〕10号",
            photo=True,
        ),
        _check(
            "房屋整体或局部是否有明显倾斜、变形",
            f"{DANGEROUS_HOUSE_STD}；国办发明电〔2022〕10号",
            photo=True,
        ),
        _check(
            "梁、柱、承重墙、楼板等承重构件是否破损、钢筋外露锈蚀、砌体风化酥碱",
            f"{DANGEROUS_HOUSE_STD}",
            photo=True,
        ),
        _check(
            "是否存在未经规划许可违规加层、扩建",
            f"{PLANNING_LAW}第四十条、第四十一条；国办发明电〔2022〕10号",
            photo=True,
            nature=ACT,
        ),
        _check(
            "是否擅自拆改承重墙、梁、柱或在承重墙上开设门窗洞口",
            "《建设工程质量管理条例》第十五条；《住宅室内装饰装修管理办法》（建设部令第110号）第五条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "屋面、挑檐、阳台、外墙附属物及外挂广告牌是否牢固，有无坠落风险",
            "国办发明电〔2022〕10号",
            photo=True,
        ),
        _major(
            "经房屋安全鉴定为C级、D级危险房屋仍在使用，未采取停止使用、人员撤离等管控措施",
            f"国办发明电〔2022〕10号；{DANGEROUS_HOUSE_STD}",
            SELF_BUILT_CRITERIA,
            "“彻底整治安全隐患”部分",
            photo=True,
            nature=MANAGEMENT,
        ),
        _major(
            "排查发现存在严重安全隐患、有倒塌风险（承重构件严重开裂、明显倾斜或地基严重沉降）仍在使用",
            f"国办发明电〔2022〕10号；{DANGEROUS_HOUSE_STD}",
            SELF_BUILT_CRITERIA,
            "“彻底整治安全隐患”部分",
            photo=True,
        ),
        # 改变用途
        _check(
            "用于经营的，是否依法办理营业执照和相关经营许可，改变房屋用途是否经有关部门批准",
            "国办发明电〔2022〕10号",
            nature=MANAGEMENT,
        ),
        _check(
            "3层及以上、人员密集、违规改扩建等用于经营的自建房，是否委托有资质的机构进行房屋安全鉴定并合格",
            "国办发明电〔2022〕10号",
            nature=MANAGEMENT,
        ),
        _check(
            "用作餐饮、民宿、培训、娱乐、养老、托育等人员密集经营场所的，是否办理消防安全检查或告知承诺",
            f"{FIRE_LAW}第十五条；国办发明电〔2022〕10号",
            nature=MANAGEMENT,
        ),
        _check(
            "是否在同一房屋内住人并从事生产、储存、经营（“三合一”）",
            f"{FIRE_LAW}第十九条；{MIXED_USE_STD}",
            photo=True,
        ),
        _check(
            "出租居住的，是否以原设计房间为最小出租单位，厨房、卫生间、阳台、地下储藏室是否出租住人",
            "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）第八条",
            nature=MANAGEMENT,
        ),
        # 消防安全
        _check(
            "疏散楼梯、通道、出口是否畅通，有无锁闭、堵塞",
            f"{FIRE_LAW}第二十八条",
            photo=True,
        ),
        _check(
            "外窗、阳台是否设置影响逃生和灭火救援的防盗网、广告牌；确需设置的能否从内部开启",
            f"{FIRE_LAW}第二十八条",
            photo=True,
        ),
        _check(
            "电气线路是否穿管保护，有无私拉乱接、超负荷用电",
            f"{FIRE_LAW}第二十七条",
            photo=True,
        ),
        _check(
            "电动自行车是否在楼梯间、疏散通道、安全出口停放，或入户、“飞线”充电",
            f"{FIRE_LAW}第二十七条、第二十八条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "是否配置灭火器，住人区域是否安装独立式感烟火灾探测报警器",
            f"{FIRE_LAW}第十六条；{MIXED_USE_STD}",
        ),
        _check(
            "使用燃气的，是否使用合格燃具和连接软管，瓶装液化石油气是否存放在地下室、卧室或疏散通道",
            f"{GAS_REG}第二十七条、第二十八条",
            photo=True,
        ),
    ),
)


CITY_GAS_RESTAURANT = TemplateSpec(
    code="city_gas_restaurant",
    name="餐饮场所燃气安全检查表",
    sector="city_gas",
    description=(
        "适用于使用管道天然气或瓶装液化石油气的餐饮用户。重大隐患项引用《城镇燃气经营安全重大隐患判定标准》，"
        "文号取“建城规〔2023〕4号”（另有资料作“建质规”），条款序号未能核实，启用前须对照住房和城乡建设部原文核对。"
    ),
    items=(
        _check(
            "用气场所是否安装可燃气体（燃气泄漏）报警装置并保持正常使用",
            f"{SAFETY_LAW}第三十六条第四款；{GAS_DESIGN}第10.8节",
            photo=True,
        ),
        _check(
            "燃气泄漏报警装置是否与紧急自动切断阀联动，切断功能测试是否正常",
            f"{GAS_DESIGN}第10.8节",
            photo=True,
        ),
        _check(
            "燃具是否为合格产品，是否带熄火保护装置，是否与气源种类相符",
            f"{GAS_REG}第二十七条、第二十八条",
            photo=True,
        ),
        _check(
            "燃具连接软管是否为专用燃气软管，长度不超过2米、无接头、未穿墙穿门窗，有无老化、龟裂",
            f"{GAS_REG}第二十七条；{GAS_DESIGN}第10章",
            photo=True,
        ),
        _check(
            "是否使用国家明令淘汰或使用年限已届满的燃具、连接管、调压器",
            f"{GAS_REG}第二十七条",
        ),
        _check(
            "是否擅自安装、改装、拆除户内燃气设施和燃气计量装置，或将燃气管道作为负重支架、接地引线",
            f"{GAS_REG}第二十八条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "燃气管道、阀门是否被封闭在吊顶、墙内或被杂物覆盖，是否便于检查和紧急关闭",
            f"{GAS_DESIGN}第10章",
            photo=True,
        ),
        _check(
            "液化石油气钢瓶是否直立放置、远离火源热源，备用瓶是否单独存放且不超量",
            f"{GAS_REG}第二十八条",
            photo=True,
        ),
        _check(
            "液化石油气钢瓶是否来自持证燃气经营企业、在检验有效期内并有可追溯标识",
            f"{GAS_REG}第二十七条；TSG 23-2021《气瓶安全技术规程》",
            photo=True,
        ),
        _check(
            "用气房间是否通风良好，使用燃气期间是否有人看管",
            f"{GAS_DESIGN}第10章",
            nature=ENVIRONMENT,
        ),
        _check(
            "厨房灶具、排油烟罩是否及时清洗，排油烟管道是否定期检查、清洗",
            f"{FIRE_LAW}第十六条；{HIGH_RISE_REG}第二十三条",
            photo=True,
        ),
        _check(
            "单位是否建立燃气安全管理制度，操作人员是否经燃气安全培训、会紧急处置",
            f"{GAS_REG}第二十七条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否配合燃气经营企业入户安全检查，检查发现的问题是否整改",
            f"{GAS_REG}第十七条",
            nature=MANAGEMENT,
        ),
        _major(
            "在地下室、半地下室或通风不良的场所使用瓶装液化石油气",
            f"{GAS_REG}第二十八条；{GAS_DESIGN}第10.5.3条",
            GAS_CRITERIA,
            "用户设施部分（条号待核对）",
            photo=True,
        ),
        _major(
            "使用超期未检、检验不合格、报废或改装的液化石油气钢瓶",
            f"{GAS_REG}第二十七条；TSG 23-2021《气瓶安全技术规程》",
            GAS_CRITERIA,
            "瓶装燃气部分（条号待核对）",
            photo=True,
        ),
    ),
)


CONSTRUCTION_SITE = TemplateSpec(
    code="construction_site",
    name="建筑施工现场安全检查表",
    sector="construction",
    description=(
        "适用于房屋建筑和市政基础设施工程施工现场。重大隐患项按《房屋市政工程生产安全重大事故隐患判定标准（2022版）》"
        "（建质规〔2022〕2号）的条、项编号；据资料已有2024版（建质规〔2024〕5号），启用前请核对版本和条号。"
    ),
    items=(
        _major(
            "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动",
            "《安全生产许可证条例》第二条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（一）项",
            nature=MANAGEMENT,
        ),
        _major(
            "施工单位的主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书从事相关工作",
            f"{CONSTRUCTION_REG}第三十六条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（二）项",
            nature=MANAGEMENT,
        ),
        _major(
            "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业",
            f"{CONSTRUCTION_REG}第二十五条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（三）项",
            photo=True,
            nature=ACT,
        ),
        _major(
            "危险性较大的分部分项工程未编制、未审核专项施工方案，或未按规定组织专家对超过一定规模的危险性较大的"
            "分部分项工程的专项施工方案进行论证",
            f"{DANGEROUS_WORKS_REG}第十条、第十一条、第十二条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（四）项",
            nature=MANAGEMENT,
        ),
        _major(
            "深基坑施工未进行第三方监测，或基坑出现支护结构变形超控制值、侧壁大量漏水流土、底部管涌等坍塌预兆"
            "未及时处理",
            f"{DANGEROUS_WORKS_REG}第十九条；建质规〔2022〕2号 第五条",
            CONSTRUCTION_CRITERIA,
            "第五条",
            photo=True,
        ),
        _major(
            "模板支架地基承载力和变形不满足设计要求、施工荷载超过设计值，或拆除时混凝土强度未达到要求",
            "建质规〔2022〕2号 第六条；JGJ 162-2008《建筑施工模板安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第六条",
            photo=True,
        ),
        _major(
            "脚手架未设置连墙件或连墙件整层缺失，附着式升降脚手架未经验收合格即投入使用或防坠落装置失效",
            "建质规〔2022〕2号 第七条；JGJ 130-2011《建筑施工扣件式钢管脚手架安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第七条",
            photo=True,
        ),
        _major(
            "塔式起重机、施工升降机、物料提升机等起重机械未经验收合格即投入使用，或未按规定办理使用登记",
            f"{CONSTRUCTION_REG}第三十五条；建质规〔2022〕2号 第八条",
            CONSTRUCTION_CRITERIA,
            "第八条第（一）项",
            photo=True,
            nature=MANAGEMENT,
        ),
        _major(
            "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏",
            "建质规〔2022〕2号 第八条；JGJ 196-2010《建筑施工塔式起重机安装、使用、拆卸安全技术规程》",
            CONSTRUCTION_CRITERIA,
            "第八条第（五）项",
            photo=True,
        ),
        _major(
            "悬挑式操作平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接",
            "建质规〔2022〕2号 第九条；JGJ 80-2016《建筑施工高处作业安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第九条第（三）项",
            photo=True,
        ),
        _major(
            "隧道、人防工程，高温、有导电灰尘、比较潮湿等特殊作业环境照明未按规定使用安全电压",
            "建质规〔2022〕2号 第十条；JGJ 46-2005《施工现场临时用电安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第十条",
            photo=True,
        ),
        _major(
            "有限空间作业未履行作业审批制度，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则",
            "建质规〔2022〕2号 第十一条；GB 30871-2022《危险化学品企业特殊作业安全规范》",
            CONSTRUCTION_CRITERIA,
            "第十一条第（一）项",
            nature=ACT,
        ),
        _major(
            "有限空间作业时现场未有专人负责监护工作",
            "建质规〔2022〕2号 第十一条",
            CONSTRUCTION_CRITERIA,
            "第十一条第（二）项",
            photo=True,
            nature=ACT,
        ),
        _major(
            "拆除施工作业顺序不符合规范和施工方案要求",
            "建质规〔2022〕2号 第十二条；JGJ 147-2016《建筑拆除工程安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第十二条",
            nature=ACT,
        ),
        _major(
            "暗挖作业面带水施工未采取措施或地下水控制措施失效仍继续施工，或出现涌水、涌沙、局部坍塌、"
            "支护结构变形开裂且有增大趋势未及时采取措施",
            "建质规〔2022〕2号 第十三条",
            CONSTRUCTION_CRITERIA,
            "第十三条",
            photo=True,
        ),
        _check(
            "进入施工现场人员是否正确佩戴安全帽，高处作业人员是否正确系挂安全带",
            f"{CONSTRUCTION_REG}第三十二条；JGJ 59-2011《建筑施工安全检查标准》",
            photo=True,
            nature=ACT,
        ),
        _check(
            "楼层临边、洞口、电梯井口、通道口是否设置防护栏杆、盖板、安全网等防护",
            "JGJ 80-2016《建筑施工高处作业安全技术规范》；JGJ 59-2011《建筑施工安全检查标准》",
            photo=True,
        ),
        _check(
            "临时用电是否采用TN-S接零保护系统，实行三级配电、两级漏电保护和“一机一闸一漏一箱”",
            "JGJ 46-2005《施工现场临时用电安全技术规范》",
            photo=True,
        ),
        _check(
            "危大工程是否按方案施工、在施工现场公告并设置警示标志，按规定验收合格后进入下一道工序",
            f"{DANGEROUS_WORKS_REG}第十四条、第十六条、第二十一条",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "施工前是否进行安全技术交底，作业人员进场前是否接受安全教育培训",
            f"{CONSTRUCTION_REG}第二十七条、第三十七条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否在尚未竣工的建筑物内设置员工集体宿舍，办公、生活区是否与作业区分开设置",
            f"{CONSTRUCTION_REG}第二十九条",
            photo=True,
        ),
        _check(
            "施工现场是否落实消防安全责任制，动火作业是否审批，易燃材料是否规范存放，消防器材、临时消防水源是否到位",
            f"{CONSTRUCTION_REG}第三十一条；GB 50720-2011《建设工程施工现场消防安全技术规范》",
            photo=True,
        ),
    ),
)


HAZCHEM = TemplateSpec(
    code="hazchem",
    name="危险化学品生产经营单位安全检查表",
    sector="hazchem",
    description=(
        "第1–20项为《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》（安监总管三〔2017〕121号）"
        "全部20条，按原文顺序；其后为一般检查项。"
    ),
    items=(
        _major(
            "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格",
            f"{SAFETY_LAW}第二十七条",
            HAZCHEM_CRITERIA,
            "第一条",
            nature=MANAGEMENT,
        ),
        _major(
            "特种作业人员未持证上岗",
            f"{SAFETY_LAW}第三十条",
            HAZCHEM_CRITERIA,
            "第二条",
            photo=True,
            nature=ACT,
        ),
        _major(
            "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求",
            "GB/T 37243-2019《危险化学品生产装置和储存设施外部安全防护距离确定方法》",
            HAZCHEM_CRITERIA,
            "第三条",
            photo=True,
        ),
        _major(
            "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、"
            "紧急停车系统未投入使用",
            "《重点监管的危险化工工艺目录》；《危险化学品重大危险源监督管理暂行规定》（原国家安全监管总局令第40号）",
            HAZCHEM_CRITERIA,
            "第四条",
        ),
        _major(
            "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、"
            "二级重大危险源的危险化学品罐区未配备独立的安全仪表系统",
            "《危险化学品重大危险源监督管理暂行规定》（原国家安全监管总局令第40号）",
            HAZCHEM_CRITERIA,
            "第五条",
        ),
        _major(
            "全压力式液化烃储罐未按国家标准设置注水措施",
            "GB 50160-2008《石油化工企业设计防火标准》（2018年版）",
            HAZCHEM_CRITERIA,
            "第六条",
            photo=True,
        ),
        _major(
            "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统",
            "GB 50160-2008《石油化工企业设计防火标准》（2018年版）",
            HAZCHEM_CRITERIA,
            "第七条",
            photo=True,
        ),
        _major(
            "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域",
            "《危险化学品输送管道安全管理规定》（原国家安全监管总局令第43号）",
            HAZCHEM_CRITERIA,
            "第八条",
        ),
        _major(
            "地区架空电力线路穿越生产区且不符合国家标准要求",
            "GB 50160-2008《石油化工企业设计防火标准》（2018年版）",
            HAZCHEM_CRITERIA,
            "第九条",
            photo=True,
            nature=ENVIRONMENT,
        ),
        _major(
            "在役化工装置未经正规设计且未进行安全设计诊断",
            "《危险化学品建设项目安全监督管理办法》（原国家安全监管总局令第45号）",
            HAZCHEM_CRITERIA,
            "第十条",
            nature=MANAGEMENT,
        ),
        _major(
            "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备",
            f"{SAFETY_LAW}第三十八条",
            HAZCHEM_CRITERIA,
            "第十一条",
            photo=True,
        ),
        _major(
            "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用"
            "防爆电气设备",
            "GB/T 50493-2019《石油化工可燃气体和有毒气体检测报警设计标准》；"
            "GB 50058-2014《爆炸危险环境电力装置设计规范》",
            HAZCHEM_CRITERIA,
            "第十二条",
            photo=True,
        ),
        _major(
            "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求",
            "GB 50160-2008《石油化工企业设计防火标准》（2018年版）；GB 50779-2012《石油化工控制室抗爆设计规范》",
            HAZCHEM_CRITERIA,
            "第十三条",
        ),
        _major(
            "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源",
            "GB 50052-2009《供配电系统设计规范》",
            HAZCHEM_CRITERIA,
            "第十四条",
        ),
        _major(
            "安全阀、爆破片等安全附件未正常投用",
            f"{SE_LAW}第三十九条",
            HAZCHEM_CRITERIA,
            "第十五条",
            photo=True,
        ),
        _major(
            "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度",
            f"{SAFETY_LAW}第二十二条、第四十一条",
            HAZCHEM_CRITERIA,
            "第十六条",
            nature=MANAGEMENT,
        ),
        _major(
            "未制定操作规程和工艺控制指标",
            f"{SAFETY_LAW}第二十一条",
            HAZCHEM_CRITERIA,
            "第十七条",
            nature=MANAGEMENT,
        ),
        _major(
            "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行",
            "GB 30871-2022《危险化学品企业特殊作业安全规范》",
            HAZCHEM_CRITERIA,
            "第十八条",
            nature=MANAGEMENT,
        ),
        _major(
            "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用的化工工艺未经过"
            "省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料开车；精细化工企业未按规范性文件"
            "要求开展反应安全风险评估",
            "《关于加强精细化工反应安全风险评估工作的指导意见》（安监总管三〔2017〕1号）",
            HAZCHEM_CRITERIA,
            "第十九条",
            nature=MANAGEMENT,
        ),
        _major(
            "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存",
            f"{HAZCHEM_REG}第二十四条；GB 15603-2022《危险化学品仓库储存通则》",
            HAZCHEM_CRITERIA,
            "第二十条",
            photo=True,
        ),
        _check(
            "重大危险源是否登记建档、定期检测评估、实时监控，并报应急管理部门备案",
            f"{SAFETY_LAW}第四十条",
            nature=MANAGEMENT,
        ),
        _check(
            "剧毒化学品和构成重大危险源的危险化学品是否在专用仓库单独存放，实行双人收发、双人保管",
            f"{HAZCHEM_REG}第二十四条",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "危险化学品包装是否附有化学品安全技术说明书，包装及容器是否粘贴安全标签",
            f"{HAZCHEM_REG}第十五条",
            photo=True,
        ),
        _check(
            "是否制定生产安全事故应急预案并定期演练，配备必要的应急救援器材",
            f"{SAFETY_LAW}第八十一条；{HAZCHEM_REG}第七十条",
            nature=MANAGEMENT,
        ),
    ),
)


FIREWORKS_RETAIL = TemplateSpec(
    code="fireworks_retail",
    name="烟花爆竹零售点安全检查表",
    sector="fireworks",
    description=(
        "适用于烟花爆竹零售店（点），含春节期间临时零售点。重大隐患项引用《烟花爆竹生产经营单位重大生产安全事故"
        "隐患判定标准（试行）》（安监总管三〔2017〕121号）中适用于零售经营的条款，条款序号据资料整理，启用前请核对原文。"
    ),
    items=(
        _major(
            "零售点与居住场所设置在同一建筑物内或在零售场所使用明火",
            f"{FIREWORKS_STORE_STD}；{FIRE_LAW}第十九条",
            FIREWORKS_CRITERIA,
            "第二十条",
            photo=True,
        ),
        _major(
            "零售经营者超许可证载明限量储存烟花爆竹",
            f"{FIREWORKS_REG}第十九条；{FIREWORKS_STORE_STD}",
            FIREWORKS_CRITERIA,
            "第十九条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "是否持有有效的《烟花爆竹经营（零售）许可证》并悬挂于显著位置，经营地址、负责人与许可证一致",
            f"{FIREWORKS_REG}第三条、第二十条",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "主要负责人是否经过安全知识教育，销售人员是否经过安全培训",
            f"{FIREWORKS_REG}第十九条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否实行专店或专柜销售，并设专人负责安全管理",
            f"{FIREWORKS_REG}第十九条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否配备灭火器等必要的消防器材，并张贴“严禁烟火”等明显的安全警示标志",
            f"{FIREWORKS_REG}第十九条",
            photo=True,
        ),
        _check(
            "是否从合法批发企业进货并建立购销台账，有无销售非法生产、经营的烟花爆竹或应由专业燃放人员燃放的产品",
            f"{FIREWORKS_REG}第二十一条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "零售点是否设在人员密集场所出入口、疏散通道，或地下室、三层及以上建筑物内",
            f"{FIREWORKS_STORE_STD}",
            photo=True,
        ),
        _check(
            "零售点与学校、幼儿园、医院等人员密集场所及加油站等易燃易爆场所的安全距离是否符合规定",
            f"{FIREWORKS_STORE_STD}",
            nature=ENVIRONMENT,
        ),
        _check(
            "产品堆放区与销售区是否分开，堆码是否稳固、不超高，店内安全疏散通道是否畅通",
            f"{FIREWORKS_STORE_STD}",
            photo=True,
        ),
        _check(
            "店内电气线路是否穿管保护，是否使用电热器具、碘钨灯等高温照明或取暖设备",
            f"{FIREWORKS_STORE_STD}",
            photo=True,
        ),
        _check(
            "零售点内及周边是否有人吸烟、燃放或试放烟花爆竹",
            f"{FIREWORKS_STORE_STD}；{FIRE_LAW}第二十一条",
            nature=ACT,
        ),
    ),
)


ELEVATOR = TemplateSpec(
    code="elevator",
    name="电梯使用安全检查表",
    sector="special_equipment",
    description=(
        "适用于住宅、商场、办公楼等场所在用电梯的使用单位检查，依据《特种设备安全法》、TSG 08-2017、"
        "TSG T5002-2017 和 TSG T7001-2023。"
    ),
    items=(
        _check(
            "电梯是否办理使用登记，使用登记标志是否置于轿厢内显著位置",
            f"{SE_LAW}第三十三条；{SE_USE_RULES}",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "电梯是否经定期检验合格，检验合格标志是否在有效期内",
            f"{SE_LAW}第四十条；{ELEVATOR_INSPECTION}",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "是否使用未经许可生产、未经检验、检验不合格或国家明令淘汰、已经报废的电梯",
            f"{SE_LAW}第三十二条、第四十条",
        ),
        _check(
            "是否与具备许可资质的维保单位签订维保合同，维保单位是否至少每15日进行一次维护保养",
            f"{SE_LAW}第四十五条；{ELEVATOR_MAINTENANCE}",
            nature=MANAGEMENT,
        ),
        _check(
            "维护保养记录是否完整，并由维保人员和使用单位安全管理员签字确认",
            f"{ELEVATOR_MAINTENANCE}",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "是否配备取得相应资格的电梯安全管理员，是否建立岗位责任、隐患治理、应急救援等安全管理制度",
            f"{SE_LAW}第十四条、第三十四条、第三十六条；{SE_USE_RULES}",
            nature=MANAGEMENT,
        ),
        _check(
            "是否建立电梯安全技术档案（使用登记证、检验报告、维保记录、故障和事故记录等）",
            f"{SE_LAW}第三十五条",
            nature=MANAGEMENT,
        ),
        _check(
            "轿厢内是否公示应急救援电话，紧急报警装置能否与值班人员或救援中心有效通话",
            f"{ELEVATOR_INSPECTION}；{SE_USE_RULES}",
            photo=True,
        ),
        _check(
            "安全使用说明、安全注意事项和警示标志是否置于易于为乘客注意的显著位置",
            f"{SE_LAW}第四十三条",
            photo=True,
        ),
        _check(
            "是否制定电梯困人等事故应急专项预案并定期演练，维保单位接到困人报警后能否按时到场救援",
            f"{SE_LAW}第六十九条；{ELEVATOR_MAINTENANCE}",
            nature=MANAGEMENT,
        ),
        _check(
            "电梯出现故障或异常情况后，是否经全面检查、消除隐患后再投入使用",
            f"{SE_LAW}第四十二条",
            nature=MANAGEMENT,
        ),
        _check(
            "机房门是否上锁、设有警示标志，机房内是否有杂物，通风、照明是否良好",
            f"{ELEVATOR_INSPECTION}",
            photo=True,
        ),
        _check(
            "层门、轿门是否正常开闭，层门在轿厢不在层站时能否从外部随意打开，平层是否准确",
            f"{ELEVATOR_INSPECTION}",
            photo=True,
        ),
        _check(
            "底坑是否有积水、杂物，井道内是否有与电梯无关的设施",
            f"{ELEVATOR_INSPECTION}",
            photo=True,
            nature=ENVIRONMENT,
        ),
    ),
)


HIGH_RISE = TemplateSpec(
    code="high_rise",
    name="高层民用建筑消防安全检查表",
    sector="high_rise",
    description=(
        "适用于高层住宅建筑（建筑高度大于27米）和高层公共建筑（建筑高度大于24米的非单层公共建筑），"
        "依据《高层民用建筑消防安全管理规定》（应急管理部令第5号）。" + _GB35181_NOTE
    ),
    items=(
        _check(
            "是否明确消防安全管理人并在建筑显著位置公示其姓名、联系方式和职责；多业主时是否明确统一管理人",
            f"{HIGH_RISE_REG}第五条、第八条",
            nature=MANAGEMENT,
        ),
        _check(
            "消防控制室是否实行24小时值班、每班不少于2人，值班人员是否持证上岗",
            f"{HIGH_RISE_REG}第二十六条；GB 35181-2017 第7.8.2条（综合判定要素）",
            photo=True,
            nature=MANAGEMENT,
        ),
        _check(
            "消防车通道、消防车登高操作场地是否畅通，有无设置停车泊位、隔离桩、架空管线等障碍物",
            f"{HIGH_RISE_REG}第二十二条；GB 35181-2017 第7.1.1条、第7.3.11条（综合判定要素）",
            photo=True,
        ),
        _check(
            "疏散通道、安全出口是否畅通，有无堆放物品、锁闭出口；门禁疏散门火灾时能否易于开启",
            f"{HIGH_RISE_REG}第二十八条；{FIRE_LAW}第二十八条",
            photo=True,
        ),
        _check(
            "常闭式防火门是否保持常闭、闭门器和顺序器完好，常开式防火门能否在火灾时自动关闭并反馈信号",
            f"{HIGH_RISE_REG}第二十八条；GB 35181-2017 第7.3.7条（综合判定要素）",
            photo=True,
        ),
        _check(
            "避难层（间）、避难走道是否被占用、堆放杂物或锁闭，是否设置位置指示标识",
            f"{HIGH_RISE_REG}第二十九条；GB 35181-2017 第7.3.1条（综合判定要素）",
            photo=True,
        ),
        _check(
            "室内外消火栓是否被圈占、遮挡，消火栓箱内有无杂物，供水压力是否正常",
            f"{HIGH_RISE_REG}第二十八条；GB 35181-2017 第7.4.3条（综合判定要素）",
            photo=True,
        ),
        _check(
            "自动喷水灭火系统、火灾自动报警系统、防烟排烟系统是否正常运行，联动控制是否有效",
            f"{HIGH_RISE_REG}第二十六条、第三十二条；GB 35181-2017 第7.4.6条、第7.5条、第7.7.3条（综合判定要素）",
            nature=MANAGEMENT,
        ),
        _check(
            "消防电梯能否正常运行，迫降功能是否有效",
            "GB 35181-2017 第7.3.12条（综合判定要素）",
        ),
        _check(
            "电缆井、管道井等竖向管井是否在每层楼板处防火封堵，检查门是否为防火门，井内是否堆放杂物",
            f"{HIGH_RISE_REG}第二十条",
            photo=True,
        ),
        _check(
            "外墙外保温材料是否为易燃、可燃材料，保温系统是否破损、开裂、脱落，是否设置燃烧性能提示和警示标识",
            f"{HIGH_RISE_REG}第十九条",
            photo=True,
        ),
        _check(
            "公共门厅、疏散走道、楼梯间、安全出口是否停放电动自行车或为电动自行车充电",
            f"{HIGH_RISE_REG}第三十七条",
            photo=True,
            nature=ACT,
        ),
        _check(
            "电动自行车集中存放、充电场所是否独立设置或与建筑其他部分防火分隔，充电设施是否具备充满自动断电功能",
            f"{HIGH_RISE_REG}第三十七条",
            photo=True,
        ),
        _check(
            "锅炉房、变配电室、消防水泵房、防排烟风机房等设备用房是否设明显防火标志，有无被占用、堆放杂物",
            f"{HIGH_RISE_REG}第二十五条",
            photo=True,
        ),
        _check(
            "是否违反规定在高层民用建筑地下部分使用液化石油气，或在建筑内生产、储存、经营甲、乙类火灾危险性物品",
            f"{HIGH_RISE_REG}第十七条、第十八条",
            photo=True,
        ),
        _check(
            "动火作业是否办理审批、公告并落实现场监护，商场、公共娱乐场所是否在营业期间动火施工",
            f"{HIGH_RISE_REG}第十五条",
            nature=ACT,
        ),
        _check(
            "是否每日防火巡查；高层住宅每月、高层公共建筑每半月至少开展一次防火检查并记录",
            f"{HIGH_RISE_REG}第三十四条、第三十五条",
            nature=MANAGEMENT,
        ),
        _check(
            "是否每年至少组织一次整栋建筑消防安全评估，每年至少组织一次全要素综合演练",
            f"{HIGH_RISE_REG}第三十九条、第四十四条",
            nature=MANAGEMENT,
        ),
        _major(
            "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内，或与人员密集场所、"
            "居住场所的防火间距小于国家工程建设消防技术标准规定值的75%",
            f"{FIRE_LAW}第十九条；{HIGH_RISE_REG}第十八条；GB 35181-2017 第6.2条",
            GB35181,
            "6.2",
            photo=True,
        ),
        _major(
            "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统"
            "或火灾自动报警系统",
            f"{FIRE_LAW}第十六条；GB 35181-2017 第6.6条",
            GB35181,
            "6.6",
        ),
        _major(
            "托儿所、幼儿园的儿童用房以及老年人活动场所，所在楼层位置不符合国家工程建设消防技术标准的规定",
            "GB 35181-2017 第6.9条；GB 50016-2014《建筑设计防火规范》（2018年版）",
            GB35181,
            "6.9",
        ),
    ),
)


CHECKLIST_TEMPLATES: tuple[TemplateSpec, ...] = (
    CROWDED_PLACE_FIRE,
    THREE_IN_ONE,
    SELF_BUILT_HOUSE,
    CITY_GAS_RESTAURANT,
    CONSTRUCTION_SITE,
    HAZCHEM,
    FIREWORKS_RETAIL,
    ELEVATOR,
    HIGH_RISE,
)


def template_for_sector(code: str) -> TemplateSpec | None:
    """The seeded template of a sector (the first one, in CHECKLIST_TEMPLATES order), or None."""
    return next((template for template in CHECKLIST_TEMPLATES if template.sector == code), None)


# Inspection interval by risk level (STANDARDS §2): red monthly, orange quarterly, yellow half-yearly, blue yearly.
LEVEL_FREQUENCY_DAYS: dict[str, int] = {"red": 30, "orange": 91, "yellow": 182, "blue": 365}

# Default inspection interval per sector (STANDARDS §1), in days. Independent of a place's risk level; a scheduler
# taking the shorter of this and LEVEL_FREQUENCY_DAYS never inspects less often than either asks.
DEFAULT_FREQUENCY_DAYS: dict[str, int] = {
    # Monthly: the sectors whose accidents are explosions, fires or collapses with many deaths, and whose
    # conditions change week to week (stock levels, work in progress, seasonal retail points).
    "hazchem": 30,
    "fireworks": 30,
    "construction": 30,
    # Quarterly: places where many people sleep, gather or use gas, and where the common defects (blocked exits,
    # e-bike charging, gas hoses, added floors) reappear within months of a fix.
    "city_gas": 90,
    "crowded_place": 90,
    "three_in_one": 90,
    "high_rise": 90,
    "self_built_house": 90,
    "group_rental": 90,
    "dilapidated_house": 90,
    # Half-yearly: sectors with their own statutory checks (special equipment is inspected yearly by an
    # inspection body and maintained every 15 days), or where inspections follow seasons and campaigns
    # (waterlogging points before the flood season, road sections), so a routine visit adds less.
    "special_equipment": 180,
    "commercial": 180,
    "road_traffic": 180,
    "municipal": 180,
    "industry_trade": 180,
    "waterlogging_point": 180,
    # Yearly: a large event is inspected when it is approved and held; the interval only catches recurring venues.
    "large_event": 365,
}


# Section headings of the templates that have them: (heading, number of items), in item order.
TEMPLATE_SECTIONS: dict[str, tuple[tuple[str, int], ...]] = {"self_built_house": SELF_BUILT_HOUSE_SECTIONS}
