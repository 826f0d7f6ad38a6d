"""GB 18218-2018 危险化学品重大危险源辨识: the numbers of STANDARDS §3, in one place.

* ``TABLE1`` — substances named in Table 1 with their critical quantity Q (t), CAS number where the substance
  has one, aliases used in registers, β where the substance is a named toxic gas of Table 3, and its hazard
  category (the Table 2 code of its GHS classification), whose Table 4 β applies to every other entry: the
  flammable gases W2 (β 1.5), the explosives W1.1 (β 2), the very toxic gases J1 (β 4)…
* ``TABLE2_Q`` — Q by hazard category for substances not named in Table 1.
* ``TABLE4_BETA`` — β by hazard category (W categories not listed: 1).
* α by the people within 500 m (``alpha_for``), and the level bands of R (``level_for``).

The catalogue in the database (``HazardousSubstance``) is seeded from ``TABLE1`` by a data migration and may be
corrected by an administrator; Tables 2 and 4, α and the bands are fixed by the standard and pinned by tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from anjian.registry.standards import HAZARD_CATEGORY_CHOICES

D = Decimal

# STANDARDS §3 marks the Table 1 values "(check against the standard's text)": the note stays with the data.
CHECK_NOTE = "（核对标准原文）"

# Table 2: critical quantity Q (t) by hazard category, for substances not named in Table 1.
TABLE2_Q: dict[str, Decimal] = {
    "J1": D("5"),
    "J2": D("50"),
    "J3": D("50"),
    "J4": D("50"),
    "J5": D("500"),
    "W1.1": D("1"),
    "W1.2": D("10"),
    "W1.3": D("50"),
    "W2": D("10"),
    "W3": D("150"),  # net weight of the aerosol
    "W4": D("50"),
    "W5.1": D("10"),
    "W5.2": D("50"),
    "W5.3": D("1000"),
    "W5.4": D("5000"),
    "W6.1": D("10"),
    "W6.2": D("50"),
    "W7.1": D("10"),
    "W7.2": D("50"),
    "W8": D("50"),
    "W9.1": D("50"),
    "W9.2": D("200"),
    "W10": D("200"),
    "W11": D("200"),
}

# Table 4: β by hazard category; every W category not listed here has β = 1.
TABLE4_BETA: dict[str, Decimal] = {
    "J1": D("4"),
    "J2": D("1"),
    "J3": D("2"),
    "J4": D("2"),
    "J5": D("1"),
    "W1.1": D("2"),
    "W1.2": D("2"),
    "W1.3": D("2"),
    "W2": D("1.5"),
    "W5.1": D("1.5"),
    "W6.1": D("1.5"),
    "W7.1": D("1.5"),
}
OTHER_W_BETA = D("1")

CATEGORY_CODES: tuple[str, ...] = tuple(code for code, _label in HAZARD_CATEGORY_CHOICES)
assert set(CATEGORY_CODES) == set(TABLE2_Q), "the registry's category list and Table 2 must name the same codes"


def category_beta(category: str) -> Decimal | None:
    """β of Table 4 for a category code; None for a code the standard does not have."""
    if category not in TABLE2_Q:
        return None
    return TABLE4_BETA.get(category, OTHER_W_BETA)


@dataclass(frozen=True)
class Table1Entry:
    name: str
    q: Decimal
    cas: str = ""
    aliases: str = ""
    beta: Decimal | None = None  # Table 3: named toxic gases only
    group: str = ""
    category: str = ""  # the hazard category (Table 2 codes) whose β of Table 4 applies outside Table 3

    @property
    def seeded_beta(self) -> Decimal:
        """β as seeded in the catalogue: Table 3 for the named toxic gases, else Table 4 by the category."""
        if self.beta is not None:
            return self.beta
        return category_beta(self.category)


def source_note(entry: Table1Entry) -> str:
    """Where a seeded catalogue entry's values come from, as stored with it."""
    note = f"GB 18218-2018 表1 {entry.group}{CHECK_NOTE}"
    if entry.beta is not None:
        return f"{note}；β 见表3"
    return f"{note}；类别 {entry.category}{CHECK_NOTE}，β 见表4"


def _t(name, q, cas="", aliases="", beta=None, group="", category=""):
    return Table1Entry(name, D(q), cas, aliases, D(beta) if beta is not None else None, group, category)


TOXIC, EXPLOSIVE, GAS, LIQUID, OTHER = "毒性气体及毒性物质", "爆炸品及氧化性物质", "易燃气体", "易燃液体", "其他"

TABLE1: tuple[Table1Entry, ...] = (
    # Toxic; β of the named toxic gases from Table 3.
    _t("氨", "10", "7664-41-7", "液氨、氨气", "2", TOXIC, "J3"),
    _t("二氟化氧", "1", "7783-41-7", "", None, TOXIC, "J1"),
    _t("二氧化氮", "1", "10102-44-0", "", "10", TOXIC, "J3"),
    _t("二氧化硫", "20", "7446-09-5", "", "2", TOXIC, "J3"),
    _t("氟", "1", "7782-41-4", "氟气", None, TOXIC, "J1"),
    _t("碳酰氯", "0.3", "75-44-5", "光气", "20", TOXIC, "J1"),
    _t("环氧乙烷", "10", "75-21-8", "", "2", TOXIC, "J3"),
    _t("甲醛（含量>90%）", "5", "50-00-0", "甲醛", None, TOXIC, "J3"),
    _t("磷化氢", "1", "7803-51-2", "", "20", TOXIC, "J1"),
    _t("硫化氢", "5", "7783-06-4", "", "5", TOXIC, "J3"),
    _t("氯化氢（无水）", "20", "7647-01-0", "氯化氢", "3", TOXIC, "J3"),
    _t("氯", "5", "7782-50-5", "液氯、氯气", "4", TOXIC, "J3"),
    _t("煤气（CO，CO和H₂、CH₄的混合物等）", "20", "", "煤气、一氧化碳、CO", "2", TOXIC, "J3"),
    _t("砷化氢", "1", "7784-42-1", "", None, TOXIC, "J1"),
    _t("锑化氢", "1", "7803-52-3", "", None, TOXIC, "J1"),
    _t("硒化氢", "1", "7783-07-5", "", None, TOXIC, "J1"),
    _t("溴甲烷", "10", "74-83-9", "", "3", TOXIC, "J3"),
    _t("丙酮氰醇", "20", "75-86-5", "", None, TOXIC, "J2"),
    _t("丙烯醛", "20", "107-02-8", "", None, TOXIC, "J2"),
    _t("氟化氢", "1", "7664-39-3", "", "5", TOXIC, "J3"),
    _t("环氧氯丙烷", "20", "106-89-8", "", None, TOXIC, "J5"),
    _t("3-溴-1,2-环氧丙烷", "20", "3132-64-7", "", None, TOXIC, "J5"),
    _t("甲苯二异氰酸酯", "100", "26471-62-5", "TDI", None, TOXIC, "J5"),
    _t("一氯化硫", "1", "10025-67-9", "", None, TOXIC, "J5"),
    _t("氰化氢", "1", "74-90-8", "", "10", TOXIC, "J2"),
    _t("三氧化硫", "75", "7446-11-9", "", None, TOXIC, "J5"),
    _t("3-氨基丙烯", "20", "107-11-9", "烯丙胺", None, TOXIC, "J5"),
    _t("溴", "20", "7726-95-6", "", None, TOXIC, "J5"),
    _t("乙撑亚胺", "20", "151-56-4", "", None, TOXIC, "J2"),
    _t("异氰酸甲酯", "0.75", "624-83-9", "", "20", TOXIC, "J2"),
    # Explosive and oxidising.
    _t("叠氮化钡", "0.5", "18810-58-7", "", None, EXPLOSIVE, "W1.1"),
    _t("叠氮化铅", "0.5", "13424-46-9", "", None, EXPLOSIVE, "W1.1"),
    _t("雷汞", "0.5", "628-86-4", "", None, EXPLOSIVE, "W1.1"),
    _t("三硝基苯甲醚", "5", "28653-16-9", "", None, EXPLOSIVE, "W1.1"),
    _t("三硝基甲苯", "5", "118-96-7", "TNT", None, EXPLOSIVE, "W1.1"),
    _t("硝化甘油", "1", "55-63-0", "", None, EXPLOSIVE, "W1.1"),
    # Both ammonium nitrate grades share a CAS number: a line matched only by CAS takes the smaller Q.
    _t("硝酸铵（含可燃物>0.2%）", "5", "6484-52-2", "", None, EXPLOSIVE, "W1.1"),
    _t("硝酸铵（含可燃物≤0.2%）", "50", "6484-52-2", "", None, EXPLOSIVE, "W9.2"),
    _t("硝酸铵基化肥", "200", "", "", None, EXPLOSIVE, "W9.2"),
    _t("硝酸钾", "1000", "7757-79-1", "", None, EXPLOSIVE, "W9.2"),
    # Flammable gases.
    _t("1,3-丁二烯", "5", "106-99-0", "丁二烯", None, GAS, "W2"),
    _t("二甲醚", "50", "115-10-6", "甲醚", None, GAS, "W2"),
    _t("甲烷，天然气", "50", "74-82-8", "甲烷、天然气、液化天然气、LNG", None, GAS, "W2"),
    _t("氯乙烯", "50", "75-01-4", "", None, GAS, "W2"),
    _t("氢", "5", "1333-74-0", "氢气", None, GAS, "W2"),
    _t("液化石油气", "50", "68476-85-7", "LPG", None, GAS, "W2"),
    _t("一甲胺", "5", "74-89-5", "甲胺", None, GAS, "W2"),
    _t("乙炔", "1", "74-86-2", "", None, GAS, "W2"),
    _t("乙烯", "50", "74-85-1", "", None, GAS, "W2"),
    _t("氧（压缩的或液化的）", "200", "7782-44-7", "氧、氧气、液氧", None, GAS, "W4"),
    # Flammable liquids.
    _t("苯", "50", "71-43-2", "", None, LIQUID, "W5.3"),
    _t("苯乙烯", "500", "100-42-5", "", None, LIQUID, "W5.4"),
    _t("丙酮", "500", "67-64-1", "", None, LIQUID, "W5.3"),
    _t("丙烯腈", "50", "107-13-1", "", None, LIQUID, "W5.3"),
    _t("二硫化碳", "50", "75-15-0", "", None, LIQUID, "W5.3"),
    _t("环己烷", "500", "110-82-7", "", None, LIQUID, "W5.3"),
    _t("1,2-环氧丙烷", "10", "75-56-9", "环氧丙烷", None, LIQUID, "W5.1"),
    _t("甲苯", "500", "108-88-3", "", None, LIQUID, "W5.3"),
    _t("甲醇", "500", "67-56-1", "", None, LIQUID, "W5.3"),
    _t("汽油", "200", "86290-81-5", "乙醇汽油、甲醇汽油", None, LIQUID, "W5.3"),
    _t("乙醇", "500", "64-17-5", "酒精", None, LIQUID, "W5.3"),
    _t("乙醚", "10", "60-29-7", "", None, LIQUID, "W5.1"),
    _t("乙酸乙酯", "500", "141-78-6", "", None, LIQUID, "W5.3"),
    _t("正己烷", "500", "110-54-3", "", None, LIQUID, "W5.3"),
    # Others.
    _t("过乙酸", "10", "79-21-0", "过氧乙酸", None, OTHER, "W7.1"),
    _t("过氧化甲乙酮", "10", "1338-23-4", "", None, OTHER, "W7.1"),
    _t("白磷", "50", "12185-10-3", "黄磷", None, OTHER, "W8"),
    _t("烷基铝", "1", "", "", None, OTHER, "W8"),
    _t("戊硼烷", "1", "19624-22-7", "", None, OTHER, "W8"),
    _t("过氧化钾", "20", "17014-71-0", "", None, OTHER, "W9.1"),
    _t("过氧化钠", "20", "1313-60-6", "", None, OTHER, "W9.1"),
    _t("氯酸钾", "100", "3811-04-9", "", None, OTHER, "W9.1"),
    _t("氯酸钠", "100", "7775-09-9", "", None, OTHER, "W9.1"),
    _t("发烟硝酸", "20", "52583-42-3", "", None, OTHER, "W9.1"),
    _t("硝酸（发红烟的除外，含硝酸>70%）", "100", "7697-37-2", "硝酸", None, OTHER, "W9.2"),
    _t("硝酸胍", "50", "506-93-4", "", None, OTHER, "W9.2"),
    _t("碳化钙", "100", "75-20-7", "电石", None, OTHER, "W11"),
    _t("钾", "1", "7440-09-7", "金属钾", None, OTHER, "W11"),
    _t("钠", "10", "7440-23-5", "金属钠", None, OTHER, "W11"),
)

# GB 18218-2018 §4.2.3 note: α by the people normally present within 500 m of the installation's boundary.
ALPHA_BANDS: tuple[tuple[int, Decimal], ...] = ((100, D("2.0")), (50, D("1.5")), (30, D("1.2")), (1, D("1.0")))
ALPHA_NOBODY = D("0.5")
# Headcount not recorded: assume the most conservative α and say so wherever it is shown.
ALPHA_UNKNOWN = D("2.0")

# Level bands of R, each band closed at its lower end: 一级 R ≥ 100; 二级 50 ≤ R < 100; 三级 10 ≤ R < 50; 四级 R < 10.
LEVEL_BANDS: tuple[tuple[Decimal, str], ...] = ((D("100"), "1"), (D("50"), "2"), (D("10"), "3"))
LEVEL_BELOW = "4"

# Colour of each level on the four-colour map (一级 red … 四级 blue).
LEVEL_COLOURS = {"1": "red", "2": "orange", "3": "yellow", "4": "blue"}


def alpha_for(people: int | None) -> tuple[Decimal, bool]:
    """α for a headcount within 500 m, and whether it was assumed because the headcount is unknown."""
    if people is None:
        return ALPHA_UNKNOWN, True
    for minimum, alpha in ALPHA_BANDS:
        if people >= minimum:
            return alpha, False
    return ALPHA_NOBODY, False


def level_for(r_value) -> str:
    """一级…四级 from R (a Decimal or an exact Fraction)."""
    exact = Fraction(r_value)
    for minimum, level in LEVEL_BANDS:
        if exact >= minimum:
            return level
    return LEVEL_BELOW


_ALIAS_SPLIT = re.compile(r"[、;；\n]+")


def split_aliases(text: str) -> list[str]:
    """Aliases are separated by 、 or ; (also tolerated: the full-width semicolon, a new line); never by a comma,
    which belongs to names like 1,3-丁二烯."""
    return [part.strip() for part in _ALIAS_SPLIT.split(text or "") if part.strip()]


def normalise_name(name: str) -> str:
    """Names compare without spaces and with full-width brackets, so "氯化氢(无水)" matches "氯化氢（无水）"."""
    return re.sub(r"\s+", "", (name or "")).replace("(", "（").replace(")", "）").lower()
