"""The accident statistics page and API against hand-computed figures: a month, a period across the year
boundary, a zero base, the wording of changes and of the summary sentences, simple-procedure traffic
accidents kept apart, the scope of each user, bad input, and a query count that does not grow with the
number of accidents."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from anjian.accidents import selectors
from anjian.accidents.models import Accident
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/accidents/statistics/"
API = "/api/accident-statistics/"
JANUARY = {"period": "month", "year": "2026", "month": "1", "group": "category"}


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def make_accident(cast, when, *, territory=None, category="production", sector="industry_trade", district=None, **kw):
    return Accident.objects.create(
        district=district or cast.district,
        territory=territory or cast.street,
        category=category,
        sector_id=sector if category == "production" else None,
        accident_type="machinery" if category == "production" else ("fire" if category == "fire" else "vehicle"),
        occurred_at=when,
        reported_at=when,
        address=kw.pop("address", "某路1号"),
        summary=kw.pop("summary", "事故概况"),
        created_by=cast.safety_officer,
        **kw,
    )


@shared_fixture
def january(cast):
    """January 2026 (the period), December 2025 (环比), January 2025 (同比); see the hand counts in the tests."""
    m = lambda *args, **kw: make_accident(cast, *args, **kw)  # noqa: E731
    m(at(2026, 1, 5), deaths=1, serious_injuries=1, minor_injuries=2, direct_loss=Decimal("300000"), address="东路1号")
    m(at(2026, 1, 31, 23), minor_injuries=1, direct_loss=Decimal("100000"), address="东路2号")
    m(at(2026, 1, 20), territory=cast.other_street, sector="construction", deaths=2, direct_loss=Decimal("50000"))
    m(at(2025, 12, 31, 23), deaths=1, direct_loss=Decimal("200000"))
    m(at(2025, 1, 10), deaths=1, serious_injuries=1, direct_loss=Decimal("400000"))
    m(at(2025, 1, 11), territory=cast.other_street, sector="hazchem", direct_loss=Decimal("100000"))
    m(at(2026, 1, 8), category="road_traffic", deaths=1, minor_injuries=3, direct_loss=Decimal("20000"))
    m(at(2026, 1, 9), category="road_traffic_simple", minor_injuries=1, direct_loss=Decimal("1000"))
    m(at(2026, 2, 1, 0), deaths=5)
    m(at(2026, 1, 15), territory=cast.other_street, category="fire", minor_injuries=1, direct_loss=Decimal("80000"))
    m(at(2025, 1, 15), territory=cast.other_street, category="fire", direct_loss=Decimal("40000"))
    m(at(2026, 1, 10), district=cast.other_district, territory=cast.far_street, deaths=9, direct_loss=Decimal("9"))


def _cells(html: str, category: str) -> dict:
    """{index: {column: text}} of one category card of the page."""
    card = html.split(f'data-category="{category}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for index, body in re.findall(r'<tr data-index="(\w+)">(.*?)</tr>', card, re.S):
        rows[index] = {name: value.strip() for name, value in re.findall(r'data-value="(\w+)">([^<]*)<', body)}
    return rows


def _chart(html: str) -> dict:
    return json.loads(html.split('id="statistics-chart-data" type="application/json">', 1)[1].split("</script>")[0])


def _sentence(area, noun, count, deaths, injuries, loss, yoy, pop):
    joined = zh("%(count)s, %(deaths)s, %(injuries)s and %(loss)s")
    return capfirst(
        zh(
            "%(area)s recorded %(count)s %(noun)s, %(deaths)s dead, %(injuries)s injured and a direct economic loss of "
            "%(loss)s ten thousand yuan; year on year: %(yoy)s; period on period: %(pop)s."
        )
        % {
            "area": area,
            "noun": zh(noun),
            "count": count,
            "deaths": deaths,
            "injuries": injuries,
            "loss": loss,
            "yoy": joined % dict(zip(("count", "deaths", "injuries", "loss"), yoy, strict=True)),
            "pop": joined % dict(zip(("count", "deaths", "injuries", "loss"), pop, strict=True)),
        }
    )


@pytest.mark.django_db
def test_it_shows_the_district_figures_for_january_with_worded_changes(cast, client_for, january):
    response = client_for(cast.safety_officer).get(URL, JANUARY)
    assert response.status_code == 200
    html = response.content.decode()
    production = _cells(html, "production")
    assert {k: v["current"] for k, v in production.items()} == {
        "count": "3",
        "deaths": "3",
        "injuries": "4",
        "loss": "45",
    }
    assert production["count"]["year_on_year"] == "上升50.0%"
    assert production["loss"]["year_on_year"] == "下降10.0%"
    assert production["injuries"]["period_on_period"] == "—"  # zero base: December had no injuries
    assert production["loss"]["period_on_period"] == "上升125.0%"
    fire = _cells(html, "fire")
    assert fire["count"]["year_on_year"] == "持平" and fire["deaths"]["year_on_year"] == "—"
    assert fire["loss"]["year_on_year"] == "上升100.0%"
    # Simple-procedure traffic accidents are shown apart and never added to the totals.
    assert _cells(html, "road_traffic_simple")["count"]["current"] == "1"
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))
    assert totals == {"count": "5", "deaths": "4", "injuries": "8", "loss": "55"}
    sentence = _sentence(
        zh("the whole district"),
        "production safety accidents",
        3,
        3,
        4,
        "45",
        ("上升50.0%", "上升200.0%", "上升300.0%", "下降10.0%"),
        ("上升200.0%", "上升200.0%", "—", "上升125.0%"),
    )
    assert sentence in html
    none = zh("%(area)s recorded no %(noun)s (%(last)s in the same period last year).")
    assert capfirst(none % {"area": zh("the whole district"), "noun": zh("other accidents"), "last": 0}) in html
    # The other district's accident (9 deaths) counts nowhere.
    assert "9" not in totals.values()


@pytest.mark.django_db
def test_the_charts_compare_each_month_with_last_year(cast, client_for, january):
    html = client_for(cast.safety_officer).get(URL, JANUARY).content.decode()
    chart = _chart(html)
    # One month: the trend shows the year to its end (January only), against January 2025.
    assert chart["trend"]["months"] == ["2026-01"]
    assert [s["data"] for s in chart["trend"]["series"]] == [[5], [3], [4], [1]]
    assert chart["bars"]["names"] == [zh(label) for label in ("Production safety accident",)] + [
        zh("Road traffic accident (general procedure)"),
        zh("Fire"),
        zh("Other accident"),
    ]
    assert re.search(r'src="/static/vendor/echarts-6\.1\.0/echarts\.min\.[0-9a-f.]*js"', html)
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_a_range_across_the_new_year_is_compared_with_the_span_just_before(cast, client_for, january):
    params = {"period": "range", "start": "2025-12-20", "end": "2026-01-09", "group": "category"}
    html = client_for(cast.safety_officer).get(URL, params).content.decode()
    production = _cells(html, "production")
    assert {k: v["current"] for k, v in production.items()} == {
        "count": "2",
        "deaths": "2",
        "injuries": "3",
        "loss": "50",
    }
    assert {v["year_on_year"] for v in production.values()} == {"—"}  # nothing a year earlier: zero base
    assert {v["period_on_period"] for v in production.values()} == {"—"}
    assert "2025-11-29" in html and "2025-12-19" in html  # 环比 span of the same 21 days
    chart = _chart(html)
    assert chart["trend"]["months"] == ["2025-12", "2026-01"]
    assert chart["trend"]["series"][0]["data"] == [1, 2]


@pytest.mark.django_db
def test_it_groups_by_street_and_by_sector(cast, client_for, january):
    client = client_for(cast.safety_officer)
    html = client.get(URL, {**JANUARY, "group": "territory"}).content.decode()
    breakdown = html.split('data-testid="breakdown"', 1)[1]
    keys = re.findall(r'<tr data-key="(\d*)">', breakdown)
    assert keys == [str(cast.street.pk), str(cast.other_street.pk)]  # 东街道 3 (A1, A2, traffic), 西街道 2
    counts = re.findall(r'data-value="count">(\d+)<', breakdown)
    assert counts == ["3", "2"]
    html = client.get(URL, {**JANUARY, "group": "sector"}).content.decode()
    breakdown = html.split('data-testid="breakdown"', 1)[1]
    assert re.findall(r'<tr data-key="(\w*)">', breakdown) == ["industry_trade", "construction", "hazchem"]
    assert re.findall(r'data-value="count">(\d+)<', breakdown) == ["2", "1", "0"]


@pytest.mark.django_db
def test_a_street_officer_sees_only_its_street(cast, client_for, january):
    html = client_for(cast.street_officer).get(URL, JANUARY).content.decode()
    production = _cells(html, "production")
    assert {k: v["current"] for k, v in production.items()} == {
        "count": "2",
        "deaths": "1",
        "injuries": "4",
        "loss": "40",
    }
    assert production["deaths"]["year_on_year"] == "持平"
    assert _cells(html, "fire")["count"]["current"] == "0"
    assert "西街道" not in html
    assert cast.street.name in html  # the sentences speak of the street, not of 全区


@pytest.mark.django_db
def test_a_department_officer_counts_only_its_sectors(cast, client_for, january):
    html = client_for(cast.department_officer).get(URL, JANUARY).content.decode()
    production = _cells(html, "production")
    assert production["count"]["current"] == "2" and production["count"]["year_on_year"] == "持平"
    assert _cells(html, "road_traffic")["count"]["current"] == "0"  # no sector: not the department's


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["system_admin", "security_admin", "audit_admin", "enterprise"])
def test_administrators_and_enterprises_get_404(cast, client_for, january, member):
    client = client_for(getattr(cast, member))
    assert client.get(URL, JANUARY).status_code == 404
    assert client.get(API, {"start": "2026-01-01", "end": "2026-01-31"}).status_code == 404
    assert client.post(reverse("accidents:briefing_create"), JANUARY).status_code == 404


@pytest.mark.django_db
def test_the_whole_cast_gets_the_page_and_the_api_or_a_404(cast, client_for):
    readers = ("street_officer", "other_street_officer", "department_officer", "inspector", "leader")
    readers += ("safety_officer", "city_admin", "far_safety_officer")
    for member in (*readers, "enterprise", "system_admin", "security_admin", "audit_admin"):
        client = client_for(getattr(cast, member))
        expected = 200 if member in readers else 404
        assert client.get(URL, JANUARY).status_code == expected, member
        assert client.get(API, {"start": "2026-01-01", "end": "2026-01-31"}).status_code == expected, member


@pytest.mark.django_db
def test_the_other_districts_officer_sees_only_its_own_accident(cast, client_for, january):
    html = client_for(cast.far_safety_officer).get(URL, JANUARY).content.decode()
    production = _cells(html, "production")
    assert {k: v["current"] for k, v in production.items()} == {
        "count": "1",
        "deaths": "9",
        "injuries": "0",
        "loss": "0",
    }
    assert production["count"]["last_year"] == "0" and _cells(html, "fire")["count"]["current"] == "0"
    assert "东街道" not in html and "西街道" not in html


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    response = client.get(URL, JANUARY)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(API, {"start": "2026-01-01", "end": "2026-01-31"}).status_code == 401
    assert client.post(reverse("accidents:statistics_workbook_create"), JANUARY).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"period": "range", "start": "2026-02-01", "end": "2026-01-01"},
            "The start date must not be after the end date.",
        ),
        ({"period": "range", "start": "2010-01-01", "end": "2026-01-01"}, "Choose a period of at most ten years."),
        ({"period": "range", "start": "2099-01-01", "end": "2099-02-01"}, "The period starts in the future."),
        ({"period": "range", "start": "1980-01-01", "end": "1980-02-01"}, "Statistics start from 1990."),
        ({"period": "range", "start": "2026-01-01"}, "This field is required for the chosen period."),
        ({"period": "month", "year": "2026", "month": "13"}, None),
        ({"period": "quarter", "year": "abc", "quarter": "1"}, None),
        ({"period": "week"}, None),
        ({"period": "range", "start": "2026-13-45", "end": "x"}, None),
        ({"period": "month", "year": "2026", "month": "1", "group": "planet"}, None),
    ],
)
def test_bad_periods_get_a_chinese_error_and_never_a_500(cast, client_for, params, message):
    with translation.override("zh-hans"):
        response = client_for(cast.safety_officer).get(URL, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="statistics-errors"' in html
    assert 'id="statistics-chart-data"' not in html
    if message:
        assert zh(message) in html


@pytest.mark.django_db
def test_the_page_defaults_to_the_year_to_date(cast, client_for):
    response = client_for(cast.safety_officer).get(URL)
    assert response.status_code == 200
    assert response.context["report"].period == selectors.year_to_date(datetime.date.today())


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["category", "territory", "sector"])
def test_the_page_runs_the_same_number_of_queries_for_few_and_many_accidents(cast, client_for, group):
    client = client_for(cast.safety_officer)
    params = {**JANUARY, "group": group}
    make_accident(cast, at(2026, 1, 3), deaths=1)
    few = _queries(client, params)
    streets = [cast.street, cast.other_street, cast.park]
    sectors = ["industry_trade", "hazchem", "construction", "fireworks"]
    for n in range(40):
        make_accident(cast, at(2026, 1, 1 + n % 28), territory=streets[n % 3], sector=sectors[n % 4], deaths=n % 2)
        make_accident(cast, at(2025, 1, 1 + n % 28), territory=streets[n % 3], category="fire")
    many = _queries(client, params)
    assert few == many


# --- the API ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_returns_the_page_rows(cast, client_for, january):
    response = client_for(cast.safety_officer).get(API, {"start": "2026-01-01", "end": "2026-01-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["previous_period"] == {"start": "2025-12-01", "end": "2025-12-31"}
    production = next(row for row in body["rows"] if row["key"] == "production")
    assert production["current"] == {"count": 3, "deaths": 3, "injuries": 4, "loss": "450000.00"}
    assert production["year_on_year"]["count"] == {
        "percent": "50.0",
        "text": zh("up %(percent)s%%") % {"percent": "50.0"},
    }
    assert production["period_on_period"]["injuries"] == {"percent": None, "text": "—"}
    assert body["total"]["current"]["count"] == 5
    assert body["simple_procedure"]["current"]["count"] == 1
    assert [row["key"] for row in body["rows"]] == ["production", "road_traffic", "fire", "other"]


@pytest.mark.django_db
def test_the_api_is_scoped_and_groups_by_street(cast, client_for, january):
    body = (
        client_for(cast.street_officer)
        .get(API, {"start": "2026-01-01", "end": "2026-01-31", "group": "territory"})
        .json()
    )
    assert [(row["key"], row["label"], row["current"]["count"]) for row in body["rows"]] == [
        (cast.street.pk, cast.street.name, 3)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"start": "2026-02-01", "end": "2026-01-01"},
        {"start": "x", "end": "2026-01-01"},
        {"start": "2026-01-01", "end": "2026-01-31", "group": "x"},
    ],
)
def test_the_api_refuses_bad_periods_with_400(cast, client_for, params):
    response = client_for(cast.safety_officer).get(API, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
