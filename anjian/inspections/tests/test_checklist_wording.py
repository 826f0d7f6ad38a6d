"""Every checklist item reads one way: it states the requirement, so 符合 means compliant and 不符合 records a
hazard. The scan covers the shipped templates and whatever checklists the database holds after loading them;
the shipped edition reaches installs that loaded an earlier one (anjian/inspections/shipped.py)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from anjian.inspections import services, shipped
from anjian.inspections.choices import AnswerResult
from anjian.inspections.models import ChecklistItem, ChecklistTemplate, InspectionAnswer
from anjian.inspections.standards import CHECKLIST_TEMPLATES
from anjian.inspections.testing import loop_place, photo

# The violation form ("未设置…") and the question form ("是否设置…") an item must never take.
VIOLATION_OPENINGS = ("未", "没有", "无")
QUESTION_WORDS = ("是否", "有无", "能否", "可否", "？", "?")
# What an item that asks for a photo even when compliant shows: a document, a licence, a mark or a posted notice.
EVIDENCE_WORDS = ("证", "照", "标志", "标识", "公示", "报告", "许可")

ALL_ITEMS = [item for template in CHECKLIST_TEMPLATES for item in template.items]
TEMPLATE_IDS = [template.code for template in CHECKLIST_TEMPLATES]


def wording_problem(text: str) -> str:
    """Why ``text`` does not read as a requirement, or "" when it does."""
    if text.startswith(VIOLATION_OPENINGS):
        return f"opens with the violation: {text}"
    for word in QUESTION_WORDS:
        if word in text:
            return f"asks a question ({word}): {text}"
    return ""


def test_the_scan_catches_both_forms_the_issue_found():
    assert wording_problem("未按国家标准设置注水措施")
    assert wording_problem("没有设置疏散指示标志")
    assert wording_problem("无消防安全管理人")
    assert wording_problem("疏散通道是否畅通")
    assert wording_problem("电气线路穿管保护，有无私拉乱接")
    assert wording_problem("按国家标准设置注水措施") == ""


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_every_shipped_item_states_the_requirement(template):
    problems = [wording_problem(item.text) for item in template.items]
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_an_item_asks_for_a_photo_when_compliant_only_for_a_document_or_sign(template):
    flagged = [item.text for item in template.items if item.photo_required]
    assert [text for text in flagged if not any(word in text for word in EVIDENCE_WORDS)] == []


def test_only_a_few_items_ask_for_a_photo_when_compliant():
    flagged = [item for item in ALL_ITEMS if item.photo_required]
    assert 0 < len(flagged) <= len(ALL_ITEMS) // 10


@pytest.mark.parametrize("template", CHECKLIST_TEMPLATES, ids=TEMPLATE_IDS)
def test_the_sections_of_a_template_cover_its_items(template):
    if template.sections:
        assert sum(count for _heading, count in template.sections) == len(template.items)


@pytest.mark.django_db
def test_every_checklist_in_the_database_reads_as_requirements():
    services.ensure_checklists()
    items = ChecklistItem.objects.filter(template__is_current=True)
    assert items.count() == len(ALL_ITEMS)
    problems = [wording_problem(text) for text in items.values_list("text", flat=True)]
    assert [p for p in problems if p] == []
    major = items.get(template__code="hazchem", criteria_number="第六条")
    assert (major.text, major.criterion_text) == (
        "全压力式液化烃储罐按国家标准设置注水措施",
        "全压力式液化烃储罐未按国家标准设置注水措施",
    )
    assert major.hazard_title == major.criterion_text


# --- the shipped edition reaches existing installs -----------------------------------------------------------


def _old_edition(code: str) -> ChecklistTemplate:
    """A shipped checklist as an earlier release stored it: the violation wording and photos on compliant items."""
    spec = next(t for t in CHECKLIST_TEMPLATES if t.code == code)
    template = ChecklistTemplate.objects.create(
        code=code, name=spec.name, sector_id=spec.sector, description=spec.description
    )
    for order, row in enumerate(shipped.shipped_items(spec), start=1):
        old_text = row["criterion_text"] or f"是否{row['text']}"
        ChecklistItem.objects.create(
            template=template, order=order, **{**row, "text": old_text, "criterion_text": "", "photo_required": True}
        )
    return template


def _migration_forward():
    return importlib.import_module("anjian.inspections.migrations.0006_shipped_checklists_state_requirements").forward


@pytest.mark.django_db
def test_the_migration_leaves_a_database_without_the_shipped_checklists_alone():
    _migration_forward()(django_apps, None)
    assert not ChecklistTemplate.objects.filter(code__in=[t.code for t in CHECKLIST_TEMPLATES]).exists()


def test_the_migration_rewords_the_shipped_checklists_and_keeps_past_answers(cast):
    old = _old_edition("hazchem")
    site = loop_place(cast)
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=old)
    first = old.items.order_by("order").first()
    services.record_answer(
        actor=cast.street_officer, inspection=inspection, item=first, result=AnswerResult.COMPLIANT, photos=[photo(1)]
    )

    _migration_forward()(django_apps, None)

    old.refresh_from_db()
    new = ChecklistTemplate.objects.get(code="hazchem", is_current=True)
    assert (old.is_current, new.version, new.created_by) == (False, 2, None)
    assert [wording_problem(text) for text in new.items.values_list("text", flat=True) if wording_problem(text)] == []
    assert new.items.filter(photo_required=True).count() == 0
    # The sectors that had no checklist get theirs in the same step.
    assert ChecklistTemplate.objects.filter(code="waterlogging_point", is_current=True).exists()
    # What was answered with the old version stays with it.
    answer = InspectionAnswer.objects.get(inspection=inspection)
    assert answer.item_id == first.pk and answer.item.template_id == old.pk
    # Run again, nothing changes.
    created, revised = shipped.sync_shipped_checklists(ChecklistTemplate, ChecklistItem)
    assert (created, revised) == ([], [])


def test_the_migration_keeps_a_checklist_an_administrator_revised(cast):
    old = _old_edition("elevator")
    items = [{"text": f"本市电梯检查第{n}项", "legal_basis": "《特种设备安全法》"} for n in range(1, 4)]
    revised = services.revise_checklist(actor=cast.city_admin, template=old, name="本市电梯检查表", items=items)

    _migration_forward()(django_apps, None)

    current = ChecklistTemplate.objects.get(code="elevator", is_current=True)
    assert current.pk == revised.pk
    assert list(current.items.values_list("text", flat=True)) == [row["text"] for row in items]
