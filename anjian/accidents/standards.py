"""Accident grades (生产安全事故报告和调查处理条例, 国务院令第493号, 第三条) as data — STANDARDS §4.

"以上" includes the number, "以下" excludes it; the grade is the highest that any one of the three
measures reaches. Each row: (grade, minimum deaths, minimum serious injuries, minimum direct loss in CNY).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from anjian.accidents.choices import AccidentCategory, AccidentGrade

GRADE_THRESHOLDS: tuple[tuple[str, int, int, Decimal], ...] = (
    (AccidentGrade.ESPECIALLY_SERIOUS, 30, 100, Decimal("100000000")),
    (AccidentGrade.SERIOUS, 10, 50, Decimal("50000000")),
    (AccidentGrade.RELATIVELY_SERIOUS, 3, 10, Decimal("10000000")),
)

# Grades of which the city is told at once, beside the street, the sector's departments and the district leaders
# (an accident with a death of a lower grade is told to those three).
CITY_TOLD_GRADES = frozenset(
    {AccidentGrade.ESPECIALLY_SERIOUS, AccidentGrade.SERIOUS, AccidentGrade.RELATIVELY_SERIOUS}
)

# The unit's head reports within one hour (条例 第九条).
REPORT_WITHIN_MINUTES = 60

# Casualty numbers may change after the accident for this many days (条例 第十三条: 30 days; road traffic
# and fire: 7 days).
CORRECTION_DAYS = {AccidentCategory.ROAD_TRAFFIC: 7, AccidentCategory.ROAD_TRAFFIC_SIMPLE: 7, AccidentCategory.FIRE: 7}
DEFAULT_CORRECTION_DAYS = 30


def grade_for(*, deaths: int, serious_injuries: int, direct_loss: Decimal | int | float) -> str:
    """The grade the highest of the three measures reaches; never typed in, always computed."""
    loss = Decimal(str(direct_loss or 0))
    for grade, min_deaths, min_injuries, min_loss in GRADE_THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or loss >= min_loss:
            return grade
    return AccidentGrade.ORDINARY


def is_raised(grade: str, *, before: str) -> bool:
    """The grade is higher than ``before`` (the grades are listed highest first)."""
    order = AccidentGrade.values
    return order.index(grade) < order.index(before)


def correction_days(category: str) -> int:
    return CORRECTION_DAYS.get(category, DEFAULT_CORRECTION_DAYS)


# The earliest day an accident may be recorded on: a date before it is a typing error (year 0001, 1024), never a
# record the platform could hold.
EARLIEST_ACCIDENT_DATE = datetime.date(1949, 10, 1)
