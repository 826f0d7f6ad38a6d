"""Checklists of the city's works and networks: city gas users, construction sites, municipal facilities and
waterlogging points. See :mod:`.spec` for the conventions of the data."""

from __future__ import annotations

from anjian.inspections.standards.spec import (
    ACT,
    BRIDGE_MAINTENANCE_STD,
    BRIDGE_RULES,
    CONSTRUCTION_CRITERIA,
    CONSTRUCTION_REG,
    DANGEROUS_WORKS_REG,
    DRAIN_MAINTENANCE_STD,
    DRAINAGE_REG,
    ENVIRONMENT,
    FIRE_LAW,
    FLOOD_REG,
    GAS_CRITERIA,
    GAS_DESIGN,
    GAS_REG,
    HIGH_RISE_REG,
    MANAGEMENT,
    ROAD_LAW,
    SAFETY_LAW,
    URBAN_ROAD_REG,
    WATERLOGGING_OPINION,
    WATERLOGGING_STD,
    TemplateSpec,
    check,
    major,
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
        check(
            "用气场所安装可燃气体（燃气泄漏）报警装置并保持正常使用",
            f"{SAFETY_LAW}第三十六条第四款；{GAS_DESIGN}第10.8节",
        ),
        check(
            "燃气泄漏报警装置与紧急自动切断阀联动，切断功能测试正常",
            f"{GAS_DESIGN}第10.8节",
        ),
        check(
            "燃具为合格产品，带熄火保护装置，与气源种类相符",
            f"{GAS_REG}第二十七条、第二十八条",
        ),
        check(
            "燃具连接软管为专用燃气软管，长度不超过2米、中间无接头、不穿墙穿门窗，软管不老化、不龟裂",
            f"{GAS_REG}第二十七条；{GAS_DESIGN}第10章",
        ),
        check(
            "燃具、连接管、调压器在使用年限内，不使用国家明令淘汰的产品",
            f"{GAS_REG}第二十七条",
        ),
        check(
            "户内燃气设施和燃气计量装置未被擅自安装、改装、拆除，燃气管道未被用作负重支架、接地引线",
            f"{GAS_REG}第二十八条",
            nature=ACT,
        ),
        check(
            "燃气管道、阀门不被封闭在吊顶、墙内或被杂物覆盖，便于检查和紧急关闭",
            f"{GAS_DESIGN}第10章",
        ),
        check(
            "液化石油气钢瓶直立放置、远离火源热源，备用瓶单独存放且不超量",
            f"{GAS_REG}第二十八条",
        ),
        check(
            "液化石油气钢瓶来自持证燃气经营企业、在检验有效期内并有可追溯标识",
            f"{GAS_REG}第二十七条；TSG 23-2021《气瓶安全技术规程》",
            evidence=True,
        ),
        check(
            "用气房间通风良好，使用燃气期间有人看管",
            f"{GAS_DESIGN}第10章",
            nature=ENVIRONMENT,
        ),
        check(
            "厨房灶具、排油烟罩及时清洗，排油烟管道定期检查、清洗",
            f"{FIRE_LAW}第十六条；{HIGH_RISE_REG}第二十三条",
        ),
        check(
            "单位建立燃气安全管理制度，操作人员经燃气安全培训、会紧急处置",
            f"{GAS_REG}第二十七条",
            nature=MANAGEMENT,
        ),
        check(
            "配合燃气经营企业入户安全检查，检查发现的问题已整改",
            f"{GAS_REG}第十七条",
            nature=MANAGEMENT,
        ),
        major(
            "地下室、半地下室和通风不良的场所不使用瓶装液化石油气",
            "在地下室、半地下室或通风不良的场所使用瓶装液化石油气",
            f"{GAS_REG}第二十八条；{GAS_DESIGN}第10.5.3条",
            GAS_CRITERIA,
            "用户设施部分（条号待核对）",
        ),
        major(
            "使用的液化石油气钢瓶经定期检验合格，不是超期未检、报废或改装的钢瓶",
            "使用超期未检、检验不合格、报废或改装的液化石油气钢瓶",
            f"{GAS_REG}第二十七条；TSG 23-2021《气瓶安全技术规程》",
            GAS_CRITERIA,
            "瓶装燃气部分（条号待核对）",
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
        major(
            "建筑施工企业取得安全生产许可证后从事建筑施工活动",
            "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动",
            "《安全生产许可证条例》第二条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（一）项",
            evidence=True,
            nature=MANAGEMENT,
        ),
        major(
            "施工单位的主要负责人、项目负责人、专职安全生产管理人员取得安全生产考核合格证书后从事相关工作",
            "施工单位的主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书从事相关工作",
            f"{CONSTRUCTION_REG}第三十六条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（二）项",
            nature=MANAGEMENT,
        ),
        major(
            "建筑施工特种作业人员取得特种作业人员操作资格证书后上岗作业",
            "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业",
            f"{CONSTRUCTION_REG}第二十五条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（三）项",
            nature=ACT,
        ),
        major(
            "危险性较大的分部分项工程编制并审核专项施工方案，超过一定规模的危险性较大的分部分项工程专项施工方案"
            "按规定组织专家论证",
            "危险性较大的分部分项工程未编制、未审核专项施工方案，或未按规定组织专家对超过一定规模的危险性较大的"
            "分部分项工程的专项施工方案进行论证",
            f"{DANGEROUS_WORKS_REG}第十条、第十一条、第十二条；建质规〔2022〕2号 第四条",
            CONSTRUCTION_CRITERIA,
            "第四条第（四）项",
            nature=MANAGEMENT,
        ),
        major(
            "深基坑施工进行第三方监测，基坑出现支护结构变形超控制值、侧壁大量漏水流土、底部管涌等坍塌预兆时及时处理",
            "深基坑施工未进行第三方监测，或基坑出现支护结构变形超控制值、侧壁大量漏水流土、底部管涌等坍塌预兆"
            "未及时处理",
            f"{DANGEROUS_WORKS_REG}第十九条；建质规〔2022〕2号 第五条",
            CONSTRUCTION_CRITERIA,
            "第五条",
        ),
        major(
            "模板支架地基承载力和变形满足设计要求，施工荷载不超过设计值，拆除时混凝土强度达到要求",
            "模板支架地基承载力和变形不满足设计要求、施工荷载超过设计值，或拆除时混凝土强度未达到要求",
            "建质规〔2022〕2号 第六条；JGJ 162-2008《建筑施工模板安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第六条",
        ),
        major(
            "脚手架按规定设置连墙件、连墙件不整层缺失，附着式升降脚手架经验收合格后投入使用、防坠落装置有效",
            "脚手架未设置连墙件或连墙件整层缺失，附着式升降脚手架未经验收合格即投入使用或防坠落装置失效",
            "建质规〔2022〕2号 第七条；JGJ 130-2011《建筑施工扣件式钢管脚手架安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第七条",
        ),
        major(
            "塔式起重机、施工升降机、物料提升机等起重机械经验收合格后投入使用，并按规定办理使用登记",
            "塔式起重机、施工升降机、物料提升机等起重机械未经验收合格即投入使用，或未按规定办理使用登记",
            f"{CONSTRUCTION_REG}第三十五条；建质规〔2022〕2号 第八条",
            CONSTRUCTION_CRITERIA,
            "第八条第（一）项",
            nature=MANAGEMENT,
        ),
        major(
            "建筑起重机械的安全装置齐全有效，未被违规拆除、破坏",
            "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏",
            "建质规〔2022〕2号 第八条；JGJ 196-2010《建筑施工塔式起重机安装、使用、拆卸安全技术规程》",
            CONSTRUCTION_CRITERIA,
            "第八条第（五）项",
        ),
        major(
            "悬挑式操作平台的搁置点、拉结点、支撑点设置在稳定的主体结构上并可靠连接",
            "悬挑式操作平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接",
            "建质规〔2022〕2号 第九条；JGJ 80-2016《建筑施工高处作业安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第九条第（三）项",
        ),
        major(
            "隧道、人防工程，高温、有导电灰尘、比较潮湿等特殊作业环境照明按规定使用安全电压",
            "隧道、人防工程，高温、有导电灰尘、比较潮湿等特殊作业环境照明未按规定使用安全电压",
            "建质规〔2022〕2号 第十条；JGJ 46-2005《施工现场临时用电安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第十条",
        ),
        major(
            "有限空间作业履行作业审批制度，对施工人员进行专项安全教育培训，执行“先通风、再检测、后作业”原则",
            "有限空间作业未履行作业审批制度，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则",
            "建质规〔2022〕2号 第十一条；GB 30871-2022《危险化学品企业特殊作业安全规范》",
            CONSTRUCTION_CRITERIA,
            "第十一条第（一）项",
            nature=ACT,
        ),
        major(
            "有限空间作业时现场有专人负责监护工作",
            "有限空间作业时现场未有专人负责监护工作",
            "建质规〔2022〕2号 第十一条",
            CONSTRUCTION_CRITERIA,
            "第十一条第（二）项",
            nature=ACT,
        ),
        major(
            "拆除施工作业顺序符合规范和施工方案要求",
            "拆除施工作业顺序不符合规范和施工方案要求",
            "建质规〔2022〕2号 第十二条；JGJ 147-2016《建筑拆除工程安全技术规范》",
            CONSTRUCTION_CRITERIA,
            "第十二条",
            nature=ACT,
        ),
        major(
            "暗挖作业面带水施工时采取相应措施，地下水控制措施失效时停止施工，出现涌水、涌沙、局部坍塌、"
            "支护结构变形开裂且有增大趋势时及时采取措施",
            "暗挖作业面带水施工未采取措施或地下水控制措施失效仍继续施工，或出现涌水、涌沙、局部坍塌、"
            "支护结构变形开裂且有增大趋势未及时采取措施",
            "建质规〔2022〕2号 第十三条",
            CONSTRUCTION_CRITERIA,
            "第十三条",
        ),
        check(
            "进入施工现场人员正确佩戴安全帽，高处作业人员正确系挂安全带",
            f"{CONSTRUCTION_REG}第三十二条；JGJ 59-2011《建筑施工安全检查标准》",
            nature=ACT,
        ),
        check(
            "楼层临边、洞口、电梯井口、通道口设置防护栏杆、盖板、安全网等防护",
            "JGJ 80-2016《建筑施工高处作业安全技术规范》；JGJ 59-2011《建筑施工安全检查标准》",
        ),
        check(
            "临时用电采用TN-S接零保护系统，实行三级配电、两级漏电保护和“一机一闸一漏一箱”",
            "JGJ 46-2005《施工现场临时用电安全技术规范》",
        ),
        check(
            "危大工程按方案施工、在施工现场公告并设置警示标志，按规定验收合格后进入下一道工序",
            f"{DANGEROUS_WORKS_REG}第十四条、第十六条、第二十一条",
            nature=MANAGEMENT,
        ),
        check(
            "施工前进行安全技术交底，作业人员进场前接受安全教育培训",
            f"{CONSTRUCTION_REG}第二十七条、第三十七条",
            nature=MANAGEMENT,
        ),
        check(
            "尚未竣工的建筑物内不设置员工集体宿舍，办公、生活区与作业区分开设置",
            f"{CONSTRUCTION_REG}第二十九条",
        ),
        check(
            "施工现场落实消防安全责任制，动火作业经审批，易燃材料规范存放，消防器材、临时消防水源到位",
            f"{CONSTRUCTION_REG}第三十一条；GB 50720-2011《建设工程施工现场消防安全技术规范》",
        ),
    ),
)


MUNICIPAL = TemplateSpec(
    code="municipal",
    name="市政设施安全检查表",
    sector="municipal",
    description=(
        "适用于城市道路、桥梁、隧道、排水管网、检查井、路灯和户外广告等市政设施的巡查，依据《城市道路管理条例》、"
        "《城镇排水与污水处理条例》、《城市桥梁检测和养护维修管理办法》（建设部令第118号）、CJJ 99-2017 和 "
        "CJJ 6-2009。所引条号据资料整理，启用前请核对原文。"
    ),
    items=(
        check(
            "城市道路路面平整，无坑槽、塌陷、隆起；发现损坏时设置警示标志并及时修复",
            f"{URBAN_ROAD_REG}第二十二条",
        ),
        check(
            "检查井盖、雨水箅子完整、稳固，无缺失、破损、移位，井盖与路面高差符合要求",
            f"{URBAN_ROAD_REG}第二十三条；GB/T 23858-2009《检查井盖》",
        ),
        check(
            "占用、挖掘城市道路经批准，施工现场设置明显标志和安全防围设施",
            f"{URBAN_ROAD_REG}第三十一条、第三十五条",
            nature=MANAGEMENT,
        ),
        check(
            "城市桥梁按规定进行经常性检查、定期检测，桥梁技术状况档案完整",
            f"{BRIDGE_RULES}；{BRIDGE_MAINTENANCE_STD}",
            nature=MANAGEMENT,
        ),
        check(
            "桥梁主体结构、支座、伸缩缝、栏杆完好，无明显裂缝、变形、锈蚀和缺损",
            f"{BRIDGE_MAINTENANCE_STD}",
        ),
        check(
            "桥梁按规定设置限载、限高、限速标志，超限车辆通行经批准并采取加固措施",
            f"{BRIDGE_RULES}；{URBAN_ROAD_REG}第二十八条",
            evidence=True,
        ),
        check(
            "人行天桥、地下通道照明、排水、防滑设施完好，出入口无堆物占用",
            f"{BRIDGE_MAINTENANCE_STD}",
        ),
        check(
            "排水管道、泵站按规定养护、疏通，运行记录完整",
            f"{DRAINAGE_REG}；{DRAIN_MAINTENANCE_STD}",
            nature=MANAGEMENT,
        ),
        check(
            "排水管道、检查井等有限空间作业执行审批，落实“先通风、再检测、后作业”，现场有专人监护",
            f"{DRAIN_MAINTENANCE_STD}；{SAFETY_LAW}第四十三条",
            nature=ACT,
        ),
        check(
            "路灯、交通设施杆件、箱变等带电设施接地可靠，箱门锁闭，无漏电、倾斜、锈蚀断裂",
            "CJJ 45-2015《城市道路照明设计标准》；CJJ 89-2012《城市道路照明工程施工及验收规程》",
        ),
        check(
            "户外广告、招牌设施经设置许可，结构牢固、连接件无松动锈蚀，定期安全检测",
            "《城市市容和环境卫生管理条例》第十一条",
        ),
        check(
            "市政设施养护单位建立巡查制度和应急预案，汛期、冰冻等极端天气前开展专项检查",
            f"{URBAN_ROAD_REG}；{DRAINAGE_REG}",
            nature=MANAGEMENT,
        ),
    ),
)


WATERLOGGING_POINT = TemplateSpec(
    code="waterlogging_point",
    name="城市内涝点（易涝点）汛期安全检查表",
    sector="waterlogging_point",
    description=(
        "适用于城市内涝点、易涝点（下穿通道、低洼路段、地下空间出入口、低洼居民区等）的汛前和汛期检查，依据"
        "《城镇排水与污水处理条例》、《中华人民共和国防汛条例》、GB 51222-2017《城镇内涝防治技术规范》和"
        "《国务院办公厅关于加强城市内涝治理的实施意见》（国办发〔2021〕11号）。条例条号据资料整理，启用前请核对原文；"
        "积水深度的警戒和封闭阈值按本地防汛预案。"
    ),
    items=(
        check(
            "易涝点列入排查台账，明确责任单位、责任人和值守人员",
            f"{WATERLOGGING_OPINION}；{FLOOD_REG}",
            nature=MANAGEMENT,
        ),
        check(
            "易涝点设置积水警示标志和水位标尺，夜间警示清晰可见",
            f"{WATERLOGGING_STD}；{WATERLOGGING_OPINION}",
            evidence=True,
        ),
        check(
            "下穿通道、隧道设置积水监测和自动报警装置，监测数据接入管理平台",
            f"{WATERLOGGING_STD}",
        ),
        check(
            "下穿通道、低洼路段配备封闭栏杆、警示灯等封闭设施，达到封闭阈值时及时封闭交通",
            f"{WATERLOGGING_STD}；{ROAD_LAW}第三十九条",
            nature=MANAGEMENT,
        ),
        check(
            "雨水口、雨水管渠汛前完成清掏疏通，无堵塞、淤积",
            f"{DRAINAGE_REG}第二十四条；{DRAIN_MAINTENANCE_STD}",
        ),
        check(
            "排涝泵站设备完好，汛前完成试运行，备用电源可正常启用",
            f"{DRAINAGE_REG}；{WATERLOGGING_STD}",
        ),
        check(
            "配备移动泵车、抽水泵、沙袋、挡水板等防汛物资，数量满足预案要求且存放点明确",
            f"{FLOOD_REG}第十九条",
            nature=MANAGEMENT,
        ),
        check(
            "地下车库、地下商场等地下空间出入口设置挡水设施，配电设施采取防水措施",
            f"{WATERLOGGING_STD}",
        ),
        check(
            "周边在建工程基坑、围挡采取防汛加固措施，排水不排入市政管网以外的低洼处",
            f"{CONSTRUCTION_REG}第二十八条；{DANGEROUS_WORKS_REG}",
        ),
        check(
            "低洼区域的危旧房屋、地下室住户等人员转移预案明确转移路线、安置点和责任人",
            f"{FLOOD_REG}第二十二条",
            nature=MANAGEMENT,
        ),
        check(
            "路灯、信号灯、配电箱等带电设施位于积水区域的已采取断电或防护措施",
            f"{WATERLOGGING_STD}",
        ),
        check(
            "制定易涝点应急处置预案，收到暴雨预警后按预案到岗值守、开展巡查",
            f"{WATERLOGGING_OPINION}；{FLOOD_REG}",
            nature=MANAGEMENT,
        ),
    ),
)
