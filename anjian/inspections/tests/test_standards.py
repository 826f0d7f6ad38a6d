"""Pins the seeded checklist templates and inspection intervals (anjian/inspections/standards.py)."""

import re

import pytest

from anjian.inspections.choices import HazardNature
from anjian.inspections.standards import (
    CHECKLIST_TEMPLATES,
    DEFAULT_FREQUENCY_DAYS,
    LEVEL_FREQUENCY_DAYS,
    SELF_BUILT_HOUSE_SECTIONS,
    ItemSpec,
    template_for_sector,
)
from anjian.organizations.standards import SECTOR_CODES, SECTORS

CHINESE_ORDINALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
]
TEMPLATE_IDS = [template.code for template in CHECKLIST_TEMPLATES]


def _template(code):
    return next(template for template in CHECKLIST_TEMPLATES if template.code == code)


def test_it_seeds_a_template_for_every_sector():
    assert TEMPLATE_IDS == [
        "crowded_place_fire",
        "three_in_one",
        "self_built_house",
        "city_gas_restaurant",
        "construction_site",
        "hazchem",
        "fireworks_retail",
        "elevator",
        "high_rise",
        "road_traffic",
        "commercial",
        "large_event",
        "group_rental",
        "dilapidated_house",
        "municipal",
        "industry_trade",
        "waterlogging_point",
    ]
    assert {template.sector for template in CHECKLIST_TEMPLATES} == set(SECTOR_CODES)


def test_it_keeps_template_codes_unique():
    assert len(set(TEMPLATE_IDS)) == len(TEMPLATE_IDS)


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_it_files_every_template_under_a_real_sector(template):
    assert template.sector in {code for code, _zh, _en in SECTORS}


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_it_gives_every_template_a_name_a_description_and_10_to_25_items(template):
    assert re.fullmatch(r"[a-z][a-z_]*", template.code)
    assert template.name.endswith("检查表")
    assert template.description
    assert 10 <= len(template.items) <= 25


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_it_keeps_item_texts_unique_within_a_template(template):
    texts = [item.text for item in template.items]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_it_gives_every_item_a_text_a_legal_basis_and_a_known_nature(template):
    for item in template.items:
        assert item.text.strip() == item.text and item.text
        assert item.legal_basis.strip()
        assert item.nature in HazardNature.values, item.text


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_it_gives_every_major_item_its_document_edition_and_number(template):
    for item in template.items:
        criteria = (item.criteria_document, item.criteria_edition, item.criteria_number)
        if item.is_major_criterion:
            assert all(field.strip() for field in criteria), item.text
            assert item.criterion_text.strip() and item.criterion_text != item.text, item.text
        else:
            # A general item carries no half-filled criteria reference.
            assert criteria == ("", "", ""), item.text
            assert item.criterion_text == "", item.text


def test_it_tells_a_major_criterion_by_its_document():
    assert ItemSpec(text="t", legal_basis="b", criteria_document="d").is_major_criterion
    assert not ItemSpec(text="t", legal_basis="b").is_major_criterion


def test_it_lists_the_20_hazchem_criteria_in_order_first():
    items = _template("hazchem").items
    majors = [item for item in items if item.is_major_criterion]
    assert len(majors) == 20
    assert items[:20] == tuple(majors)
    assert [item.criteria_number for item in majors] == [f"第{ordinal}条" for ordinal in CHINESE_ORDINALS]
    assert {item.criteria_document for item in majors} == {
        "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）"
    }
    assert {item.criteria_edition for item in majors} == {"安监总管三〔2017〕121号"}
    assert majors[0].criterion_text == "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格"
    assert majors[0].text == "危险化学品生产、经营单位主要负责人和安全生产管理人员依法经考核合格"
    assert majors[1].criterion_text == "特种作业人员未持证上岗"
    assert majors[1].text == "特种作业人员持证上岗"
    assert majors[19].criterion_text.startswith("未按国家标准分区分类储存危险化学品")
    assert majors[19].text.startswith("按国家标准分区分类储存危险化学品")


def test_it_marks_the_fireworks_retail_point_in_a_dwelling_as_major():
    item = next(item for item in _template("fireworks_retail").items if "同一建筑物" in item.text)
    assert item.criterion_text == "零售点与居住场所设置在同一建筑物内或在零售场所使用明火"
    assert item.text == "零售点不与居住场所设置在同一建筑物内，零售场所内不使用明火"
    assert item.is_major_criterion
    assert item.criteria_document == "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）"
    assert item.criteria_edition == "安监总管三〔2017〕121号"


def test_it_marks_the_confined_space_rule_of_construction_as_major():
    items = _template("construction_site").items
    confined = [item for item in items if "有限空间" in item.text]
    assert any("先通风、再检测、后作业" in item.text for item in confined)
    assert all(item.is_major_criterion for item in confined)
    assert all(item.criteria_edition == "建质规〔2022〕2号" for item in confined)


def test_it_numbers_construction_criteria_within_articles_4_to_13():
    numbers = [item.criteria_number for item in _template("construction_site").items if item.is_major_criterion]
    articles = [re.match(r"第([一二三四五六七八九十]+)条", number).group(1) for number in numbers]
    assert set(articles) <= {"四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"}
    # Articles appear in the standard's order.
    order = ["四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    assert [order.index(article) for article in articles] == sorted(order.index(article) for article in articles)


def test_it_marks_only_direct_judgement_clauses_of_gb_35181_as_major():
    """Chapter 7 of GB 35181 only counts toward a combined judgement; one such finding is never major alone."""
    for template in CHECKLIST_TEMPLATES:
        for item in template.items:
            if item.criteria_edition == "GB 35181-2017":
                assert item.criteria_document == "重大火灾隐患判定方法"
                assert re.fullmatch(r"6\.\d+", item.criteria_number), item.text
                assert f"第{item.criteria_number}条" in item.legal_basis


@pytest.mark.parametrize("code", ["crowded_place_fire", "three_in_one", "high_rise"])
def test_it_gives_the_fire_templates_gb_35181_major_items(code):
    assert any(item.criteria_edition == "GB 35181-2017" for item in _template(code).items)


def test_it_orders_the_self_built_house_checks_by_section():
    items = _template("self_built_house").items
    assert sum(count for _name, count in SELF_BUILT_HOUSE_SECTIONS) == len(items)
    assert [name for name, _count in SELF_BUILT_HOUSE_SECTIONS] == ["结构安全", "改变用途", "消防安全"]
    structure = items[: SELF_BUILT_HOUSE_SECTIONS[0][1]]
    assert any("承重" in item.text for item in structure)
    assert any("C级、D级" in item.text and item.is_major_criterion for item in structure)
    fire = items[-SELF_BUILT_HOUSE_SECTIONS[2][1] :]
    assert any("电动自行车" in item.text for item in fire)


def test_it_marks_basement_lpg_use_as_a_major_gas_hazard():
    item = next(item for item in _template("city_gas_restaurant").items if "地下室、半地下室" in item.text)
    assert item.is_major_criterion
    assert item.criteria_document == "城镇燃气经营安全重大隐患判定标准"


def test_it_finds_the_template_of_a_sector():
    assert template_for_sector("hazchem").code == "hazchem"
    assert template_for_sector("special_equipment").code == "elevator"
    assert template_for_sector("waterlogging_point").code == "waterlogging_point"
    assert template_for_sector("no_such_sector") is None


def test_it_gives_every_sector_a_default_frequency():
    assert set(DEFAULT_FREQUENCY_DAYS) == set(SECTOR_CODES)
    assert all(days in (30, 90, 180, 365) for days in DEFAULT_FREQUENCY_DAYS.values())
    assert {code for code, days in DEFAULT_FREQUENCY_DAYS.items() if days == 30} == {
        "hazchem",
        "fireworks",
        "construction",
    }


def test_it_inspects_by_risk_level_as_standards_section_2_says():
    assert LEVEL_FREQUENCY_DAYS == {"red": 30, "orange": 91, "yellow": 182, "blue": 365}
