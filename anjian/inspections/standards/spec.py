"""The shape of a seeded checklist: templates, items and the laws and criteria lists they cite.

Conventions of the data (every template of the package follows them; tests/test_checklist_wording.py pins them):
- Chinese texts are official wording and checks as an inspector reads them, so they are data, not UI strings.
- Every item states the requirement as a fact that holds at a compliant place ("疏散通道、安全出口畅通"), so the
  answer 符合 always means "compliant" and 不符合 always records a hazard. No item is a question ("是否…", "有无…")
  and none opens with the violation ("未…", "没有…", "无…").
- A major-criterion item (criteria_document set) states the requirement whose breach is the criterion, and keeps
  the criterion's own wording in ``criterion_text``: the situation that makes a hazard major by itself
  (STANDARDS §5), used as the title of the hazard it records. criteria_document / criteria_edition /
  criteria_number say exactly which list, which edition and which item, so an administrator can check them.
- ``photo_required`` marks an item whose evidence is a photo even when it is compliant: a licence, a registration
  or inspection mark, a notice that must be posted. A finding (不符合) always needs a photo; no flag is needed.
- Where a number or edition was taken from secondary sources, the template's description says so (STANDARDS
  "(check)" rule): the data keeps its source visible instead of pretending to certainty.
"""

from __future__ import annotations

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
    criterion_text: str = ""

    @property
    def is_major_criterion(self) -> bool:
        return bool(self.criteria_document)


@dataclass(frozen=True)
class TemplateSpec:
    """A checklist template for one sector of STANDARDS §1; ``sections`` are (heading, number of items)."""

    code: str
    name: str
    sector: str
    description: str
    items: tuple[ItemSpec, ...]
    sections: tuple[tuple[str, int], ...] = ()


def check(text: str, basis: str, *, evidence: bool = False, nature: str = CONDITION) -> ItemSpec:
    """A general item; ``evidence``: a photo is kept even when it is compliant (a licence, a mark, a notice)."""
    return ItemSpec(text=text, legal_basis=basis, photo_required=evidence, nature=nature)


def major(
    text: str,
    criterion: str,
    basis: str,
    criteria: tuple[str, str],
    number: str,
    *,
    evidence: bool = False,
    nature: str = CONDITION,
) -> ItemSpec:
    """A major-criterion item: ``text`` the requirement, ``criterion`` the criterion's own wording."""
    document, edition = criteria
    return ItemSpec(
        text=text,
        legal_basis=basis,
        photo_required=evidence,
        nature=nature,
        criteria_document=document,
        criteria_edition=edition,
        criteria_number=number,
        criterion_text=criterion,
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
ROAD_LAW = "《中华人民共和国道路交通安全法》"
ROAD_SIGNS_STD = "GB 5768《道路交通标志和标线》"
ROAD_SAFETY_FACILITIES_STD = "JTG D81-2017《公路交通安全设施设计规范》"
DANGEROUS_GOODS_ROAD_RULES = "《危险货物道路运输安全管理办法》（交通运输部令2019年第29号）"
VEHICLE_MONITORING_RULES = "《道路运输车辆动态监督管理办法》"
SCHOOL_BUS_REG = "《校车安全管理条例》"
LARGE_EVENT_REG = "《大型群众性活动安全管理条例》（国务院令第505号）"
RENTAL_RULES = "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）"
RENTAL_POLICE_RULES = "《租赁房屋治安管理规定》（公安部令第24号）"
DANGEROUS_HOUSE_RULES = "《城市危险房屋管理规定》（建设部令第129号修正）"
URBAN_ROAD_REG = "《城市道路管理条例》"
DRAINAGE_REG = "《城镇排水与污水处理条例》"
BRIDGE_RULES = "《城市桥梁检测和养护维修管理办法》（建设部令第118号）"
BRIDGE_MAINTENANCE_STD = "CJJ 99-2017《城市桥梁养护技术标准》"
DRAIN_MAINTENANCE_STD = "CJJ 6-2009《城镇排水管道维护安全技术规程》"
WATERLOGGING_STD = "GB 51222-2017《城镇内涝防治技术规范》"
FLOOD_REG = "《中华人民共和国防汛条例》"
WATERLOGGING_OPINION = "《国务院办公厅关于加强城市内涝治理的实施意见》（国办发〔2021〕11号）"
COMMERCIAL_COMPLEX_RULES = "《大型商业综合体消防安全管理规则（试行）》"

# Major hazard criteria lists: (document, edition).
GB35181 = ("重大火灾隐患判定方法", "GB 35181-2017")
HAZCHEM_CRITERIA = ("化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")
FIREWORKS_CRITERIA = ("烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")
CONSTRUCTION_CRITERIA = ("房屋市政工程生产安全重大事故隐患判定标准（2022版）", "建质规〔2022〕2号")
GAS_CRITERIA = ("城镇燃气经营安全重大隐患判定标准", "建城规〔2023〕4号")
SELF_BUILT_CRITERIA = ("全国自建房安全专项整治工作方案", "国办发明电〔2022〕10号")
INDUSTRY_TRADE_CRITERIA = ("工贸企业重大事故隐患判定标准", "应急管理部令第10号")

GB35181_NOTE = (
    "重大隐患条款按 GB 35181-2017《重大火灾隐患判定方法》第6章（直接判定）编号；第7章综合判定要素只在依据中注明，"
    "须按第8章累计判定。据资料该标准已有2025年版（GB 35181-2025《重大火灾隐患判定规则》），启用前请核对版本和条号。"
)
