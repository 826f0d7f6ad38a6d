"""Accident statistics (STANDARDS §4): the four indices — count, deaths, injuries, direct loss — per
category, for any period, compared 同比 (the same period a year earlier) and 环比 (the period just before),
worded as officials write them. Every figure is an aggregate over the user's scope, one query per period."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accidents.choices import AccidentCategory
from anjian.accidents.models import Accident

INDICES = ("count", "deaths", "injuries", "loss")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month(year: int, number: int) -> Period:
    return Period(datetime.date(year, number, 1), datetime.date(year, number, calendar.monthrange(year, number)[1]))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(month(year, first).start, month(year, first + 2).end)


def year(number: int) -> Period:
    return Period(datetime.date(number, 1, 1), datetime.date(number, 12, 31))


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def same_period_last_year(period: Period) -> Period:
    """同比: the same calendar span a year earlier."""
    return Period(_shift_years(period.start, -1), _shift_years(period.end, -1))


def previous_period(period: Period) -> Period:
    """环比: the period just before — the previous month, quarter or year when the period is one, otherwise
    the span of the same length that ends the day before."""
    start, end = period.start, period.end
    if start.day == 1 and end == month(end.year, end.month).end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first_month = start.month - months
        first_year = start.year + (first_month - 1) // 12
        first_month = (first_month - 1) % 12 + 1
        last = start - datetime.timedelta(days=1)
        return Period(datetime.date(first_year, first_month, 1), last)
    length = datetime.timedelta(days=period.days)
    return Period(start - length, end - length)


def _in(period: Period):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return {"occurred_at__gte": start, "occurred_at__lt": end}


def _aggregates():
    return {
        "count": Count("pk"),
        "deaths": Coalesce(Sum("deaths"), 0),
        "injuries": Coalesce(Sum(F("serious_injuries") + F("minor_injuries")), 0),
        "loss": Coalesce(
            Sum("direct_loss"), Value(Decimal(0)), output_field=DecimalField(max_digits=16, decimal_places=2)
        ),
    }


def indices_by(user, period: Period, group: str, **filters) -> dict:
    """{group value: {count, deaths, injuries, loss}} for the period, in one query."""
    rows = (
        Accident.objects.visible_to(user)
        .filter(**_in(period), **filters)
        .values(group)
        .order_by(group)
        .annotate(**_aggregates())
    )
    return {row[group]: {name: row[name] for name in INDICES} for row in rows}


ZERO = {"count": 0, "deaths": 0, "injuries": 0, "loss": Decimal(0)}


@dataclass(frozen=True)
class Change:
    """A change worded as officials write it: 上升/下降 x.x% or 持平; "—" when the base is zero."""

    current: Decimal
    base: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.base:
            return None
        return ((Decimal(self.current) - Decimal(self.base)) * 100 / Decimal(self.base)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def __str__(self) -> str:
        percent = self.percent
        if percent is None:
            return "—"
        if percent > 0:
            return _("up %(percent)s%%") % {"percent": percent}
        if percent < 0:
            return _("down %(percent)s%%") % {"percent": -percent}
        return _("unchanged")


def compare(current: dict, base: dict) -> dict[str, Change]:
    return {name: Change(Decimal(current[name]), Decimal(base[name])) for name in INDICES}


def statistics(user, period: Period, *, group: str = "category", **filters) -> list[dict]:
    """One row per category (or street, or sector): the four indices now, a year earlier and the period
    before, with their changes. Three queries whatever the number of accidents."""
    now = indices_by(user, period, group, **filters)
    last_year = indices_by(user, same_period_last_year(period), group, **filters)
    before = indices_by(user, previous_period(period), group, **filters)
    keys = list(AccidentCategory.values) if group == "category" else sorted({*now, *last_year, *before}, key=str)
    rows = []
    for key in keys:
        current = now.get(key, ZERO)
        rows.append(
            {
                "key": key,
                "current": current,
                "year_on_year": compare(current, last_year.get(key, ZERO)),
                "period_on_period": compare(current, before.get(key, ZERO)),
                "last_year": last_year.get(key, ZERO),
                "previous": before.get(key, ZERO),
            }
        )
    return rows
