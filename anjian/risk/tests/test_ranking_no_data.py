"""The city risk ranking with missing data: a rate per resident of an area without a recorded population is
"no data" (无数据), left out of the normalisation, and the area's score re-weighted over what it has; an area
with no data at all has no score and no rank. Live scores and yearly snapshots are named for what they are."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.organizations.models import OrgUnit
from anjian.risk import city
from anjian.risk.city import IndicatorSpec, UnitSpec
from anjian.risk.models import RiskSnapshot
from anjian.risk.tests.test_city_ranking import places

pytestmark = pytest.mark.django_db

API = "/api/risk-ranking/"


def _unit(code, weight, *indicators):
    return UnitSpec(
        code=code,
        name=code,
        weight=Decimal(weight),
        sectors=["crowded_place"],
        accident_categories=[],
        indicators=[IndicatorSpec(code=c, weight=Decimal(w)) for c, w in indicators],
    )


@shared_fixture
def data(cast):
    """东街道 (50,000) 2 red places, 西街道 (40,000) 1 orange, 甲区园区 (population not recorded) 5 red."""
    OrgUnit.objects.filter(pk=cast.park.pk).update(population=None)
    places(cast.district, cast.street, "crowded_place", "red", "red")
    places(cast.district, cast.other_street, "crowded_place", "orange")
    places(cast.district, cast.park, "crowded_place", "red", "red", "red", "red", "red")
    return cast


def test_normalisation_and_ranks_leave_out_the_areas_without_data():
    values = {1: Decimal(2), 2: Decimal(4), 3: None}
    assert city.normalise(values) == {1: Decimal("0.00"), 2: Decimal("100.00"), 3: None}
    assert city.normalise({1: None, 2: None}) == {1: None, 2: None}
    assert city.competition_ranks({1: Decimal(5), 2: None, 3: Decimal(7)}) == {1: 2, 2: None, 3: 1}
    # Re-weighting: Σ available w·v × Σ all w / Σ available w; nothing available: no score.
    assert city.weighted([(Decimal("0.5"), Decimal(80)), (Decimal("0.5"), None)]) == Decimal(80)
    assert city.weighted([(Decimal("0.25"), Decimal(40)), (Decimal("0.75"), Decimal(0))]) == Decimal(10)
    assert city.weighted([(Decimal("1"), None)]) is None


def test_an_area_without_population_has_no_rate_and_is_not_the_lowest_of_the_normalisation(data):
    """Red/orange per 10,000: 东 0.4, 西 0.25, 园区 无数据 → 东 100, 西 0 (园区's missing rate is not a 0 that
    would lift 西 to 62.5). Places: 东 2, 西 1, 园区 5 → 25, 0, 100. Weights 0.5 / 0.5:
    东 50 + 12.5 = 62.50; 西 0; 园区 re-weighted over places alone: 0.5 × 100 × 1 / 0.5 = 100.00."""
    cast = data
    unit = _unit("u", "1", ("red_orange_places_per_10k", "0.5"), ("places", "0.5"))
    result = city.compute_ranking(parent=cast.district, specs=[unit])
    table = result.table("u")
    east, west, park = (table.row_for(area.pk) for area in (cast.street, cast.other_street, cast.park))
    park_lines = {line.code: line for line in park.lines}
    assert park_lines["red_orange_places_per_10k"].value is None
    assert park_lines["red_orange_places_per_10k"].normalised is None
    assert park_lines["red_orange_places_per_10k"].contribution is None
    assert park_lines["places"].contribution == Decimal("100.00")
    assert {line.code: line.normalised for line in west.lines}["red_orange_places_per_10k"] == Decimal("0.00")
    assert (east.score, west.score, park.score) == (Decimal("62.50"), Decimal("0.00"), Decimal("100.00"))
    assert park.reweighted and not east.reweighted
    assert park.population_missing
    assert park.explanation()["lines"][0]["normalised"] is None and park.explanation()["reweighted"]


def test_an_area_with_no_data_at_all_has_no_score_and_no_rank_and_comes_last(data):
    cast = data
    per_resident = _unit("a", "0.6", ("red_orange_places_per_10k", "1"))
    counts = _unit("b", "0.4", ("places", "1"))
    result = city.compute_ranking(parent=cast.district, specs=[per_resident, counts])
    only = result.table("a")
    assert [row.area.pk for row in only.rows] == [cast.street.pk, cast.other_street.pk, cast.park.pk]
    park = only.row_for(cast.park.pk)
    assert (park.score, park.rank, park.no_data) == (None, None, True)
    assert [row.of for row in only.rows] == [2, 2, 2]
    # Overall: 园区 has unit b only: 100 re-weighted from 0.4 to the whole; 东 0.6 × 100 + 0.4 × 25 = 70.
    overall = result.overall
    assert overall.row_for(cast.park.pk).score == Decimal("100.00")
    assert overall.row_for(cast.street.pk).score == Decimal("70.00")
    assert overall.row_for(cast.park.pk).rank == 1
    # The default units count per resident only: 园区 has no data, no index on the map and no snapshot row
    # (the trend shows a gap, not a 0).
    assert city.street_index(district=cast.district)[cast.park.pk] == {"score": None, "rank": None, "of": 2}
    city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year, district=cast.district)
    assert not RiskSnapshot.objects.filter(area=cast.park).exists()
    assert RiskSnapshot.objects.filter(area=cast.street).exists()


def test_the_pages_export_and_api_show_no_data_and_the_method(client_for, data, django_assert_max_num_queries):
    cast = data
    client = client_for(cast.safety_officer)
    url = reverse("risk:street_ranking", args=[cast.district.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        page = client.get(url, {"unit": "crowded_places"})
    assert page.status_code == 200
    html = page.content.decode()
    park = next(row for row in page.context["rows"] if row.area.pk == cast.park.pk)
    # The default units count per resident only: 园区 has no data at all, listed last, unranked.
    assert park.no_data and page.context["rows"][-1] is park
    assert zh("No data") in html and 'data-testid="population-missing"' in html
    assert 'data-testid="ranking-missing-method"' in html and "重新加权" in html

    explain = client.get(reverse("risk:ranking_explain", args=[cast.park.pk])).content.decode()
    assert zh("No data: the area has no data for any indicator, so it has no score and no rank.") in explain
    assert "重新加权" in explain

    response = client.get(reverse("risk:ranking_export"), {"district": cast.district.pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["人员密集场所"]
    park_row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == cast.park.name)
    assert "无数据" in park_row
    notes = load_workbook(
        io.BytesIO(
            b"".join(client.get(reverse("risk:ranking_export"), {"district": cast.district.pk}).streaming_content)
        )
    )["说明"]
    assert any("重新加权" in (row[0] or "") for row in notes.iter_rows(values_only=True))

    body = client.get(f"{API}{cast.park.pk}/explain/").json()
    crowded = next(t for t in body["tables"] if t["unit"] == "crowded_places")
    per_resident = next(line for line in crowded["lines"] if line["code"] == "red_orange_places_per_10k")
    assert per_resident["value"] is None and per_resident["no_data"] and per_resident["normalised"] is None
    # Out of scope and anonymous, as for every ranking page.
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert (
        client_for(cast.other_street_officer).get(reverse("risk:ranking_explain", args=[cast.park.pk])).status_code
        == 404
    )
    assert client_for(None).get(url).status_code == 302


def test_live_scores_and_snapshots_are_labelled(client_for, data, django_assert_max_num_queries):
    cast = data
    city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year, city=cast.city)
    client = client_for(cast.safety_officer)
    client.get(reverse("risk:ranking"))
    with django_assert_max_num_queries(40):
        page = client.get(reverse("risk:ranking"))
    html = page.content.decode()
    today = timezone.localdate()
    assert zh("Live score") in html
    assert 'data-testid="ranking-trend-note"' in html and "实时得分" in html and "快照" in html
    assert f"{today.year} 年：{today.isoformat()} 记录的快照" in html
    chart = page.context["chart"]
    assert chart["snapshots"] == [
        {"year": today.year, "taken": today.isoformat(), "label": f"{today.isoformat()} 快照"}
    ]
    assert chart["score_label"] == "快照得分"


def test_the_briefing_prints_no_data_for_an_area_without_a_score(data):
    from types import SimpleNamespace

    from docx import Document

    from anjian.accidents import briefing

    cast = data
    section = next(s for s in briefing.sections() if s.key == "risk_ranking")
    document = Document()
    section.write(document, SimpleNamespace(user=cast.safety_officer))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    park = next(row for row in rows if cast.park.name in row)
    assert park[0] == "无数据" and park[2] == "无数据"
