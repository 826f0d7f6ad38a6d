"""The work-safety situation briefing (安全生产形势通报) as a Word document, and the hook through which later
modules add their own sections to it.

An official document keeps its Chinese wording and layout whatever language the user reads the pages in
(see :mod:`anjian.core.docx`), so its fixed text is written here in Chinese. The briefing has:
title, issuing unit, number (``甲区安委办通报〔2026〕N号``), date; 一、总体情况 (the four indices of
production safety, road traffic and fire with 同比 and 环比, in a table); 二、事故情况 (the accidents of the
period); 三、隐患排查治理 when the hazard loop has data; then the registered sections in order; closing lines.

A module that sits below accidents in the layers (risk) adds a section in its ``AppConfig.ready()``::

    from anjian.accidents import briefing

    briefing.register_section(briefing.BriefingSection(
        key="risk_ranking", order=40, title=_("Risk ranking"),
        has_data=lambda context: ...,          # a section with nothing to say is left out
        write=lambda document, context: briefing.add_table(document, [...], [...]),
    ))

The briefing writes the numbered heading (一、二、三…) before calling ``write``; ``write`` adds body text
with :func:`add_paragraph` and tables with :func:`add_table`, every figure scoped to ``context.user``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.utils import timezone, translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from anjian.accidents import selectors
from anjian.accidents.choices import AccidentCategory, AccidentGrade, AccidentType
from anjian.accidents.selectors import Period
from anjian.core import docx
from anjian.core.docx import cn_date
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.models import OrgUnit

HEADING_FONT = "黑体"
BODY_SIZE = 16  # 三号, the body size of official documents (GB/T 9704)
TABLE_SIZE = 10.5  # 五号, so a table of eight columns fits the page


@dataclass(frozen=True)
class BriefingContext:
    user: Any  # the requesting user; every figure is scoped to what they see
    period: Period
    issuer: str  # issuing unit name


@dataclass(frozen=True)
class BriefingSection:
    key: str
    order: int  # accident sections use 10, 20; hazard work 30; risk ranking 40
    title: Any  # lazy string, e.g. _("Risk ranking")
    has_data: Callable[[BriefingContext], bool]  # a section with nothing to say is left out
    write: Callable[[Any, BriefingContext], None]  # (docx.document.Document, context)


_sections: dict[str, BriefingSection] = {}


def register_section(section: BriefingSection) -> None:
    """Add (or replace, by key, so a reloaded app does not add it twice) a section of the briefing."""
    _sections[section.key] = section


def sections() -> list[BriefingSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


# The Word helpers of official documents, with the briefing's body size (三号) as default.
_paragraph = partial(docx.add_text, size=BODY_SIZE)


def add_paragraph(document, text: str) -> None:
    """Body text in the document's style: 仿宋 三号, first line indented two characters."""
    _paragraph(document, text, indent=True)


def add_table(document, header: list[str], rows: list[list[str]]) -> None:
    """A bordered table in the house style: bold header row, centred on the page, 五号 text."""
    docx.add_table(document, header, rows, size=TABLE_SIZE)
    # A little air after the table, as a typed document has.
    _paragraph(document, size=6)


# --- the briefing's own sections ---------------------------------------------------------------------------

TITLE = "安全生产形势通报"
CN_NUMERALS = "一二三四五六七八九十"
CATEGORY_LABELS = {
    AccidentCategory.PRODUCTION: "生产安全事故",
    AccidentCategory.ROAD_TRAFFIC: "道路交通事故",
    AccidentCategory.ROAD_TRAFFIC_SIMPLE: "道路交通事故（简易程序）",
    AccidentCategory.FIRE: "火灾事故",
    AccidentCategory.OTHER: "其他事故",
}
# 一、总体情况 covers the three categories district reports cite (STANDARDS §4).
OVERALL_CATEGORIES = (AccidentCategory.PRODUCTION, AccidentCategory.ROAD_TRAFFIC, AccidentCategory.FIRE)
INDEX_LABELS = {
    "count": "起数（起）",
    "deaths": "死亡人数（人）",
    "injuries": "受伤人数（人）",
    "loss": "直接经济损失（万元）",
}
GRADE_LABELS = {
    AccidentGrade.ESPECIALLY_SERIOUS: "特别重大事故",
    AccidentGrade.SERIOUS: "重大事故",
    AccidentGrade.RELATIVELY_SERIOUS: "较大事故",
    AccidentGrade.ORDINARY: "一般事故",
}
# GB 6441 names, as the standard writes them.
TYPE_LABELS = {
    AccidentType.OBJECT_STRIKE: "物体打击",
    AccidentType.VEHICLE: "车辆伤害",
    AccidentType.MACHINERY: "机械伤害",
    AccidentType.LIFTING: "起重伤害",
    AccidentType.ELECTRIC_SHOCK: "触电",
    AccidentType.DROWNING: "淹溺",
    AccidentType.SCALD: "灼烫",
    AccidentType.FIRE: "火灾",
    AccidentType.FALL: "高处坠落",
    AccidentType.COLLAPSE: "坍塌",
    AccidentType.ROOF_FALL: "冒顶片帮",
    AccidentType.WATER_INRUSH: "透水",
    AccidentType.BLASTING: "放炮",
    AccidentType.EXPLOSIVE: "火药爆炸",
    AccidentType.GAS_EXPLOSION: "瓦斯爆炸",
    AccidentType.BOILER_EXPLOSION: "锅炉爆炸",
    AccidentType.VESSEL_EXPLOSION: "容器爆炸",
    AccidentType.OTHER_EXPLOSION: "其他爆炸",
    AccidentType.POISONING: "中毒和窒息",
    AccidentType.OTHER: "其他伤害",
}
OVERALL_HEADER = ["类别", "指标", "本期", "去年同期", "同比", "上期", "环比"]
ACCIDENT_HEADER = ["序号", "时间", "地点", "类别", "类型", "死亡", "受伤", "损失（万元）", "等级"]
HAZARD_HEADER = ["街道（园区）", "发现隐患", "其中重大隐患", "已整改销号", "逾期未整改", "整改率"]
CLOSING = (
    "各街道（园区）、各有关部门要深刻汲取事故教训，认真落实“党政同责、一岗双责、齐抓共管、失职追责”，"
    "坚持“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”，压紧压实安全生产责任，"
    "深入开展隐患排查治理，坚决防范和遏制各类生产安全事故发生。"
)

# The statistics of one build, computed once and read by every section of it.
_built: ContextVar[dict | None] = ContextVar("briefing_cache", default=None)


def cn_period(period: Period) -> str:
    """2026年1月, 2026年第一季度, 2026年, 2026年1月1日至5月31日: the period as a document names it."""
    start, end = period.start, period.end
    if period == selectors.year(start.year):
        return f"{start.year}年"
    if start.year == end.year and start.day == 1 and end == selectors.month(end.year, end.month).end:
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if (end.month - start.month) == 2 and start.month % 3 == 1:
            return f"{start.year}年第{CN_NUMERALS[start.month // 3]}季度"
        return f"{start.year}年{start.month}月至{end.month}月"
    if start.year == end.year:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{cn_date(end)}"


def cn_area(user) -> str:
    """Who the figures are about: 全区 for the district, the street's or department's own name otherwise."""
    scope = scope_of(user)
    unit = getattr(user, "org_unit", None)
    if scope.level is ScopeLevel.CITY:
        return "全市"
    if scope.level is ScopeLevel.DISTRICT:
        return "全区"
    if scope.level is ScopeLevel.DEPARTMENT and unit is not None:
        return f"{unit.name}监管行业领域"
    return unit.name if unit is not None else ""


def issuer_for(user) -> tuple[str, str]:
    """(issuing unit, number prefix): the district's safety committee office, or the city's for city staff."""
    scope = scope_of(user)
    unit_id = scope.district_id or scope.city_id
    place = OrgUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first() if unit_id else None
    place = place or ""
    return f"{place}安全生产委员会办公室", f"{place}安委办通报"


def _report(context: BriefingContext) -> selectors.StatisticsReport:
    cache = _built.get()
    key = ("report", context.period)
    if cache is not None and key in cache:
        return cache[key]
    report = selectors.statistics_report(context.user, context.period)
    if cache is not None:
        cache[key] = report
    return report


def _hazards(context: BriefingContext) -> dict:
    cache = _built.get()
    key = ("hazards", context.period)
    if cache is not None and key in cache:
        return cache[key]
    work = selectors.hazard_work(context.user, context.period)
    if cache is not None:
        cache[key] = work
    return work


def _value(name: str, value) -> str:
    return selectors.ten_thousand_yuan(value) if name == "loss" else str(value)


def _changes(changes: dict) -> str:
    return "、".join(str(changes[name]) for name in selectors.INDICES)


def category_sentence(area: str, category: str, row: dict) -> str:
    """全区共发生生产安全事故12起、死亡3人、受伤5人、直接经济损失120.5万元，同比分别下降25.0%、…，环比分别…。"""
    current, noun = row["current"], CATEGORY_LABELS[category]
    if not current["count"]:
        return f"{area}未发生{noun}（去年同期{row['last_year']['count']}起）。"
    return (
        f"{area}共发生{noun}{current['count']}起、死亡{current['deaths']}人、受伤{current['injuries']}人、"
        f"直接经济损失{selectors.ten_thousand_yuan(current['loss'])}万元，"
        f"同比分别{_changes(row['year_on_year'])}，环比分别{_changes(row['period_on_period'])}。"
    )


def overall_rows(report: selectors.StatisticsReport) -> list[list[str]]:
    rows = []
    by_key = {row["key"]: row for row in report.categories}
    for category in OVERALL_CATEGORIES:
        row = by_key[category]
        for name in selectors.INDICES:
            rows.append(
                [
                    CATEGORY_LABELS[category],
                    INDEX_LABELS[name],
                    _value(name, row["current"][name]),
                    _value(name, row["last_year"][name]),
                    str(row["year_on_year"][name]),
                    _value(name, row["previous"][name]),
                    str(row["period_on_period"][name]),
                ]
            )
    return rows


def _write_overall(document, context: BriefingContext) -> None:
    report = _report(context)
    area = cn_area(context.user)
    by_key = {row["key"]: row for row in report.categories}
    sentences = "".join(category_sentence(area, category, by_key[category]) for category in OVERALL_CATEGORIES)
    add_paragraph(document, f"{cn_period(context.period)}，{sentences}")
    apart = report.apart["current"]["count"]
    if apart:
        add_paragraph(document, f"另有简易程序处理的道路交通事故{apart}起，不计入上述统计。")
    add_paragraph(
        document,
        f"同比为与去年同期（{cn_period(report.last_year)}）相比，环比为与上期（{cn_period(report.previous)}）相比。",
    )
    add_table(document, OVERALL_HEADER, overall_rows(report))


def _place(accident) -> str:
    where = accident.address or (accident.site.name if accident.site_id else "")
    parts = [accident.territory.name if accident.territory_id else "", where]
    return " ".join(part for part in parts if part) or "—"


def accident_rows(user, period: Period) -> list[list[str]]:
    rows = []
    for index, accident in enumerate(selectors.accidents_in(user, period, counted_only=True), start=1):
        moment = timezone.localtime(accident.occurred_at)
        rows.append(
            [
                str(index),
                f"{cn_date(moment.date())} {moment:%H:%M}",
                _place(accident),
                CATEGORY_LABELS.get(accident.category, accident.category),
                TYPE_LABELS.get(accident.accident_type, accident.accident_type),
                str(accident.deaths),
                str(accident.injuries),
                selectors.ten_thousand_yuan(accident.direct_loss),
                GRADE_LABELS.get(accident.grade, accident.grade),
            ]
        )
    return rows


def _write_accidents(document, context: BriefingContext) -> None:
    rows = accident_rows(context.user, context.period)
    if not rows:
        add_paragraph(document, f"{cn_period(context.period)}，{cn_area(context.user)}未发生上述各类事故。")
        return
    add_paragraph(document, f"{cn_period(context.period)}发生的事故如下：")
    add_table(document, ACCIDENT_HEADER, rows)


def _rate(closed: int, found: int) -> str:
    if not found:
        return "—"
    return f"{(Decimal(closed) * 100 / Decimal(found)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _write_hazards(document, context: BriefingContext) -> None:
    work = _hazards(context)
    total = work["total"]
    add_paragraph(
        document,
        f"{cn_period(context.period)}，{cn_area(context.user)}共排查发现事故隐患{total['found']}项，"
        f"其中重大事故隐患{total['major']}项；已整改销号{total['closed']}项，"
        f"整改率{_rate(total['closed'], total['found'])}；"
        f"逾期未整改{total['overdue']}项。",
    )
    rows = [
        [
            str(row["label"]),
            str(row["found"]),
            str(row["major"]),
            str(row["closed"]),
            str(row["overdue"]),
            _rate(row["closed"], row["found"]),
        ]
        for row in work["streets"]
    ]
    add_table(document, HAZARD_HEADER, rows)


def _always(context: BriefingContext) -> bool:
    return True


register_section(BriefingSection(key="overall", order=10, title="总体情况", has_data=_always, write=_write_overall))
register_section(BriefingSection(key="accidents", order=20, title="事故情况", has_data=_always, write=_write_accidents))
register_section(
    BriefingSection(
        key="hazards",
        order=30,
        title="隐患排查治理",
        has_data=lambda context: _hazards(context)["total"]["found"] > 0,
        write=_write_hazards,
    )
)


# --- the document ------------------------------------------------------------------------------------------


def heading_numeral(index: int) -> str:
    """一 … 十, 十一 …: the numbers of an official document's first-level headings."""
    if index <= 10:
        return CN_NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    return f"{CN_NUMERALS[tens - 1] if tens > 1 else ''}十{CN_NUMERALS[ones - 1] if ones else ''}"


def briefing_filename(period: Period) -> str:
    return f"安全生产形势通报-{cn_period(period)}.docx"


def build_document(
    context: BriefingContext,
    *,
    number: str,
    issued_on: datetime.date,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The briefing as .docx bytes: header, the sections that have something to say in order, closing."""
    token = _built.set({})
    try:
        # Worded changes (上升/下降/持平) and registered titles are read in Chinese whatever the user reads.
        with translation.override("zh-hans"):
            document = docx.official_document(
                title=f"安全生产形势通报 {number}", author=context.issuer, body_size=BODY_SIZE
            )

            _paragraph(
                document, context.issuer, align=WD_ALIGN_PARAGRAPH.CENTER, name=docx.TITLE_FONT, size=18, bold=True
            )
            _paragraph(
                document,
                "安全生产形势通报",
                align=WD_ALIGN_PARAGRAPH.CENTER,
                name=docx.TITLE_FONT,
                size=22,
                bold=True,
            )
            _paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
            _paragraph(document, f"（{cn_period(context.period)}）", align=WD_ALIGN_PARAGRAPH.CENTER)
            add_paragraph(document, f"现将{cn_period(context.period)}{cn_area(context.user)}安全生产形势通报如下：")

            included = [item for item in sections() if item.has_data(context)]
            steps = len(included) + 1
            for index, item in enumerate(included, start=1):
                _paragraph(document, f"{heading_numeral(index)}、{item.title}", name=HEADING_FONT)
                item.write(document, context)
                if progress is not None:
                    progress(index, steps)

            add_paragraph(document, CLOSING)
            _paragraph(document)
            _paragraph(document, context.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
            _paragraph(document, cn_date(issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
            data = docx.document_bytes(document)
            if progress is not None:
                progress(steps, steps)
            return data
    finally:
        _built.reset(token)
