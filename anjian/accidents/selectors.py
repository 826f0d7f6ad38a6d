"""Accident statistics (STANDARDS §4): the four indices — count, deaths, injuries, direct loss — per
category, for any period, compared 同比 (the same period a year earlier) and 环比 (the period just before),
worded as officials write them. Every figure is an aggregate over the user's scope, one query per period."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accidents.choices import AccidentCategory
from anjian.accidents.models import Accident
from anjian.core.permissions import is_government
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.models import OrgUnit, Sector

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


# --- the statistics page, the briefing and the statistics workbook ---------------------------------------

# The categories that enter the district's totals; simple-procedure traffic accidents are shown apart
# and never added (STANDARDS §4: 道路交通事故 一般程序; 简易程序 kept apart).
COUNTED = (AccidentCategory.PRODUCTION, AccidentCategory.ROAD_TRAFFIC, AccidentCategory.FIRE, AccidentCategory.OTHER)
APART = AccidentCategory.ROAD_TRAFFIC_SIMPLE
GROUPS = ("category", "territory", "sector")
# A period longer than this is refused: nobody cites ten years at once, and the trend chart stays readable.
MAX_PERIOD_DAYS = 366 * 10
EARLIEST = datetime.date(1990, 1, 1)

# The nouns of the summary sentences ("全区共发生生产安全事故12起…").
SENTENCE_NOUNS = {
    AccidentCategory.PRODUCTION: gettext_lazy("production safety accidents"),
    AccidentCategory.ROAD_TRAFFIC: gettext_lazy("road traffic accidents"),
    AccidentCategory.FIRE: gettext_lazy("fires"),
    AccidentCategory.OTHER: gettext_lazy("other accidents"),
}


def can_read_statistics(user) -> bool:
    """Supervising staff with business scope read the statistics; not enterprise accounts, not the three
    administrators (三员分立: no business data)."""
    return is_government(user)


def year_to_date(day: datetime.date) -> Period:
    """From 1 January of the day's year up to and including the day."""
    return Period(datetime.date(day.year, 1, 1), day)


def check_period(start: datetime.date, end: datetime.date) -> Period:
    """A period a user asked for, or ValidationError with the reason in the user's language."""
    if start > end:
        raise ValidationError(_("The start date must not be after the end date."), code="order")
    if start < EARLIEST:
        raise ValidationError(_("Statistics start from 1990."), code="too_early")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError(_("Choose a period of at most ten years."), code="too_long")
    if start > timezone.localdate():
        raise ValidationError(_("The period starts in the future."), code="future")
    return Period(start, end)


def area_name(user) -> str:
    """Who "全区" is in a summary sentence: the user's whole jurisdiction, named as officials name it."""
    scope = scope_of(user)
    unit = getattr(user, "org_unit", None)
    if scope.level is ScopeLevel.CITY:
        return _("the whole city")
    if scope.level is ScopeLevel.DISTRICT:
        return _("the whole district")
    if scope.level is ScopeLevel.DEPARTMENT and unit is not None:
        return _("the sectors supervised by %(unit)s") % {"unit": unit.name}
    return unit.name if unit is not None else ""


def ten_thousand_yuan(amount) -> str:
    """A loss in CNY written in 万元 as reports do: 1205000 → 120.5, 450000 → 45, 12345 → 1.23."""
    value = (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _changes(changes: dict[str, Change]) -> str:
    return _("%(count)s, %(deaths)s, %(injuries)s and %(loss)s") % {name: str(changes[name]) for name in INDICES}


def summary_sentence(area: str, category: str, row: dict) -> str:
    """One category's figures as a speech cites them, e.g. 全区共发生生产安全事故12起、死亡3人、受伤5人、
    直接经济损失120.5万元，同比分别下降25.0%、…，环比分别…。"""
    current = row["current"]
    noun = SENTENCE_NOUNS.get(category, AccidentCategory(category).label)
    if not current["count"]:
        return capfirst(
            _("%(area)s recorded no %(noun)s (%(last)s in the same period last year).")
            % {
                "area": area,
                "noun": noun,
                "last": row["last_year"]["count"],
            }
        )
    return capfirst(
        _(
            "%(area)s recorded %(count)s %(noun)s, %(deaths)s dead, %(injuries)s injured and a direct economic loss of "
            "%(loss)s ten thousand yuan; year on year: %(yoy)s; period on period: %(pop)s."
        )
        % {
            "area": area,
            "noun": noun,
            "count": current["count"],
            "deaths": current["deaths"],
            "injuries": current["injuries"],
            "loss": ten_thousand_yuan(current["loss"]),
            "yoy": _changes(row["year_on_year"]),
            "pop": _changes(row["period_on_period"]),
        }
    )


def _sum(rows: list[dict], part: str) -> dict:
    return {name: sum((row[part][name] for row in rows), ZERO[name]) for name in INDICES}


def _total(rows: list[dict]) -> dict:
    current, last, before = _sum(rows, "current"), _sum(rows, "last_year"), _sum(rows, "previous")
    return {
        "key": "total",
        "label": _("Total"),
        "current": current,
        "last_year": last,
        "previous": before,
        "year_on_year": compare(current, last),
        "period_on_period": compare(current, before),
    }


def _labelled(rows: list[dict], group: str) -> list[dict]:
    """The rows of a grouping with a readable label each (one query for the names)."""
    keys = [row["key"] for row in rows if row["key"] is not None]
    if group == "category":
        names = dict(AccidentCategory.choices)
    elif group == "territory":
        names = dict(OrgUnit.objects.filter(pk__in=keys).values_list("pk", "name")) if keys else {}
    else:
        names = {sector.code: str(sector) for sector in Sector.objects.filter(code__in=keys)} if keys else {}
    for row in rows:
        row["label"] = names.get(row["key"], _("Not given")) if row["key"] is not None else _("Not given")
    if group != "category":
        rows.sort(key=lambda row: (row["key"] is None, -row["current"]["count"], str(row["label"])))
    return rows


def trend_period(period: Period) -> Period:
    """The months the trend chart shows: the period's own, or the year to its end when it is one month or less."""
    if (period.start.year, period.start.month) == (period.end.year, period.end.month):
        return Period(datetime.date(period.end.year, 1, 1), period.end)
    return period


def _months(period: Period) -> list[tuple[int, int]]:
    months, (y, m) = [], (period.start.year, period.start.month)
    while (y, m) <= (period.end.year, period.end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _by_month(user, period: Period) -> dict[tuple[int, int], dict]:
    rows = (
        Accident.objects.visible_to(user)
        .filter(**_in(period), category__in=COUNTED)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .order_by("month")
        .annotate(count=Count("pk"), deaths=Coalesce(Sum("deaths"), 0))
    )
    result = {}
    for row in rows:
        moment = row["month"]
        if isinstance(moment, datetime.datetime) and timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        result[(moment.year, moment.month)] = {"count": row["count"], "deaths": row["deaths"]}
    return result


def monthly_trend(user, period: Period) -> dict:
    """Count and deaths per month of the period next to the same months a year earlier (two queries)."""
    span = trend_period(period)
    now = _by_month(user, span)
    before = _by_month(user, same_period_last_year(span))
    months = _months(span)
    empty = {"count": 0, "deaths": 0}
    return {
        "months": [f"{y}-{m:02d}" for y, m in months],
        "count": [now.get(key, empty)["count"] for key in months],
        "deaths": [now.get(key, empty)["deaths"] for key in months],
        "last_year_count": [before.get((y - 1, m), empty)["count"] for y, m in months],
        "last_year_deaths": [before.get((y - 1, m), empty)["deaths"] for y, m in months],
    }


@dataclass
class StatisticsReport:
    """Everything the statistics page, the API, the briefing and the workbook show for one period."""

    period: Period
    last_year: Period
    previous: Period
    group: str
    area: str
    categories: list[dict]  # the counted categories, each with its summary sentence
    total: dict  # the counted categories together
    apart: dict  # simple-procedure traffic accidents, never in the total
    production_by_sector: list[dict]
    breakdown: list[dict]  # rows of the chosen grouping
    trend: dict


def statistics_report(user, period: Period, *, group: str = "category") -> StatisticsReport:
    """The statistics of a period for what the user sees, in a fixed number of queries (at most 12)."""
    if group not in GROUPS:
        raise ValueError(group)
    area = area_name(user)
    by_category = {row["key"]: row for row in _labelled(statistics(user, period), "category")}
    categories = [by_category[key] for key in COUNTED]
    for row in categories:
        row["sentence"] = summary_sentence(area, row["key"], row)
    by_sector = _labelled(statistics(user, period, group="sector", category=AccidentCategory.PRODUCTION), "sector")
    if group == "category":
        breakdown = categories
    elif group == "sector":
        breakdown = by_sector
    else:
        breakdown = _labelled(statistics(user, period, group="territory", category__in=COUNTED), "territory")
    return StatisticsReport(
        period=period,
        last_year=same_period_last_year(period),
        previous=previous_period(period),
        group=group,
        area=area,
        categories=categories,
        total=_total(categories),
        apart=by_category[APART],
        production_by_sector=by_sector,
        breakdown=breakdown,
        trend=monthly_trend(user, period),
    )


def accidents_in(user, period: Period, *, counted_only: bool = False):
    """The accidents of the period the user sees, oldest first, with what a list row shows joined."""
    queryset = (
        Accident.objects.visible_to(user)
        .filter(**_in(period))
        .select_related("territory", "sector", "site")
        .order_by("occurred_at", "id")
    )
    if counted_only:
        queryset = queryset.filter(category__in=COUNTED)
    return queryset


def hazard_work(user, period: Period) -> dict:
    """The hazard loop in the period (隐患排查治理), per street and in total, in one query: hazards found,
    of which major, closed by verification so far, and overdue today (still owed past their deadline)."""
    from anjian.inspections.choices import CLOSED_STATUSES, DEADLINE_STATUSES, HazardGrade
    from anjian.inspections.models import Hazard

    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = (
        Hazard.objects.visible_to(user)
        .filter(reported_at__gte=start, reported_at__lt=end)
        .values("site__territory", "site__territory__name")
        .order_by("site__territory__name", "site__territory")
        .annotate(
            found=Count("pk"),
            major=Count("pk", filter=Q(grade=HazardGrade.MAJOR)),
            closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=DEADLINE_STATUSES, deadline__lt=timezone.localdate())),
        )
    )
    streets = [
        {
            "key": row["site__territory"],
            "label": row["site__territory__name"] or _("Not given"),
            **{name: row[name] for name in ("found", "major", "closed", "overdue")},
        }
        for row in rows
    ]
    streets.sort(key=lambda row: (row["key"] is None, -row["found"], str(row["label"])))
    total = {name: sum(row[name] for row in streets) for name in ("found", "major", "closed", "overdue")}
    return {"streets": streets, "total": total}
