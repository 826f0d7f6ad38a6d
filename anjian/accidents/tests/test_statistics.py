"""The four indices against hand-computed fixtures: periods across a year boundary, 同比 and 环比, a zero
base, the wording of changes, and a street officer's statistics counting only its street."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from anjian.accidents import selectors
from anjian.accidents.models import Accident
from anjian.accidents.selectors import Change, Period, month, previous_period, quarter, same_period_last_year, year

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def test_periods_and_their_comparisons_cross_the_year_boundary():
    january = month(2026, 1)
    assert previous_period(january) == Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert same_period_last_year(january) == month(2025, 1)
    assert previous_period(quarter(2026, 1)) == quarter(2025, 4)
    assert previous_period(year(2026)) == year(2025)
    assert same_period_last_year(month(2024, 2)) == Period(datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
    span = Period(datetime.date(2025, 12, 20), datetime.date(2026, 1, 9))  # 21 days across new year
    assert previous_period(span) == Period(datetime.date(2025, 11, 29), datetime.date(2025, 12, 19))


@pytest.mark.parametrize(
    ("current", "base", "zh"),
    [
        (11, 10, "上升10.0%"),
        (9, 10, "下降10.0%"),
        (10, 10, "持平"),
        (3, 0, "—"),
        (0, 0, "—"),
        (2, 3, "下降33.3%"),
        (1, 3, "下降66.7%"),
        (Decimal("150000.50"), Decimal("100000"), "上升50.0%"),
    ],
)
def test_changes_are_worded_as_officials_write_them(current, base, zh):
    with translation.override("zh-hans"):
        assert str(Change(Decimal(current), Decimal(base))) == zh


@pytest.fixture
def accidents(cast):
    def make(when, *, territory=None, category="production", sector="industry_trade", **measures):
        return Accident.objects.create(
            district=cast.district,
            territory=territory or cast.street,
            category=category,
            sector_id=sector if category == "production" else None,
            accident_type="machinery" if category == "production" else "vehicle",
            occurred_at=when,
            reported_at=when,
            address="x",
            summary="x",
            created_by=cast.safety_officer,
            **measures,
        )

    # January 2026 (the period), December 2025 (环比), January 2025 (同比).
    make(at(2026, 1, 5), deaths=1, serious_injuries=1, minor_injuries=2, direct_loss=Decimal("300000"))
    make(at(2026, 1, 31, 23), minor_injuries=1, direct_loss=Decimal("100000"))  # last evening of the month
    make(at(2026, 1, 20), territory=cast.other_street, deaths=2, direct_loss=Decimal("50000"))
    make(at(2025, 12, 31, 23), deaths=1, direct_loss=Decimal("200000"))  # the night before, 环比
    make(at(2025, 1, 10), deaths=1, serious_injuries=1, direct_loss=Decimal("400000"))  # 同比
    make(at(2025, 1, 11), direct_loss=Decimal("100000"))  # 同比
    make(at(2026, 1, 8), category="road_traffic", deaths=1, minor_injuries=3, direct_loss=Decimal("20000"))
    make(at(2026, 1, 9), category="road_traffic_simple", minor_injuries=1, direct_loss=Decimal("1000"))
    make(at(2026, 2, 1, 0), deaths=5)  # the first minute of February is outside January


@pytest.mark.django_db
def test_the_district_figures_for_january_against_hand_counts(cast, accidents):
    rows = {row["key"]: row for row in selectors.statistics(cast.safety_officer, month(2026, 1))}
    production = rows["production"]
    assert production["current"] == {"count": 3, "deaths": 3, "injuries": 4, "loss": Decimal("450000")}
    assert production["last_year"] == {"count": 2, "deaths": 1, "injuries": 1, "loss": Decimal("500000")}
    assert production["previous"] == {"count": 1, "deaths": 1, "injuries": 0, "loss": Decimal("200000")}
    with translation.override("zh-hans"):
        assert {k: str(v) for k, v in production["year_on_year"].items()} == {
            "count": "上升50.0%",
            "deaths": "上升200.0%",
            "injuries": "上升300.0%",
            "loss": "下降10.0%",
        }
        assert str(production["period_on_period"]["injuries"]) == "—"  # zero base
        assert str(production["period_on_period"]["count"]) == "上升200.0%"
    # Simple-procedure traffic accidents are kept apart from the general-procedure ones.
    assert rows["road_traffic"]["current"]["count"] == 1 and rows["road_traffic_simple"]["current"]["count"] == 1
    assert rows["fire"]["current"] == selectors.ZERO


@pytest.mark.django_db
def test_a_street_officer_counts_only_its_street(cast, accidents):
    rows = {row["key"]: row for row in selectors.statistics(cast.street_officer, month(2026, 1))}
    assert rows["production"]["current"] == {"count": 2, "deaths": 1, "injuries": 4, "loss": Decimal("400000")}
    other = {row["key"]: row for row in selectors.statistics(cast.other_street_officer, month(2026, 1))}
    assert other["production"]["current"]["deaths"] == 2
    assert selectors.statistics(cast.system_admin, month(2026, 1))[0]["current"] == selectors.ZERO


@pytest.mark.django_db
def test_by_street_and_by_sector_in_three_queries(cast, accidents, django_assert_num_queries):
    with django_assert_num_queries(3):
        by_street = {
            r["key"]: r["current"]["count"]
            for r in selectors.statistics(
                cast.safety_officer, quarter(2026, 1), group="territory", category="production"
            )
        }
    assert by_street == {cast.street.pk: 3, cast.other_street.pk: 1}
    by_sector = selectors.statistics(cast.safety_officer, year(2026), group="sector", category="production")
    assert [(r["key"], r["current"]["deaths"]) for r in by_sector] == [("industry_trade", 8)]
