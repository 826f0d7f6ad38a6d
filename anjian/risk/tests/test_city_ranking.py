"""City safety risk assessment: indicators against hand-computed fixtures, normalisation, weighting, competition
ranking with ties, snapshots, and a number of queries that does not grow with the records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accidents.models import Accident
from anjian.inspections.models import Hazard
from anjian.inspections.testing import zh
from anjian.registry.models import ChemicalUnit, Site, SiteSector
from anjian.risk import city
from anjian.risk.models import MajorHazardSource, RiskSnapshot, RiskUnit

pytestmark = pytest.mark.django_db


def places(district, territory, sector, *colours):
    """Places of one sector with the given current colours ("" for none), written as the registry holds them."""
    sites = Site.objects.bulk_create(
        Site(name=f"场所{i}", district=district, territory=territory, risk_level=colour)
        for i, colour in enumerate(colours)
    )
    SiteSector.objects.bulk_create(SiteSector(site=site, sector_id=sector) for site in sites)
    return sites


def accident(cast, territory, *, deaths, category="fire", sector=None, days_ago=30):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Accident.objects.create(
        district=territory.district,
        territory=territory,
        sector_id=sector,
        category=category,
        accident_type="fire",
        occurred_at=moment,
        reported_at=moment,
        deaths=deaths,
        created_by=cast.safety_officer,
    )


def hazard(cast, site, *, major=True, status="rectifying", deadline_days=10, sector="crowded_place"):
    return Hazard.objects.create(
        site=site,
        district=site.district,
        sector_id=sector,
        title="疏散通道堵塞",
        grade="major" if major else "general",
        source="routine",
        status=status,
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_days),
        reported_by=cast.street_officer,
        closed_at=timezone.now() if status == "verified" else None,
    )


def test_it_normalises_min_max_and_gives_zero_when_all_equal():
    values = {1: Decimal(0), 2: Decimal(5), 3: Decimal(10)}
    assert city.normalise(values) == {1: Decimal("0.00"), 2: Decimal("50.00"), 3: Decimal("100.00")}
    assert city.normalise(values, "negative") == {1: Decimal("100.00"), 2: Decimal("50.00"), 3: Decimal("0.00")}
    assert city.normalise({1: Decimal(7), 2: Decimal(7)}) == {1: Decimal("0.00"), 2: Decimal("0.00")}
    assert city.normalise({}) == {}


def test_it_ranks_ties_as_competition_ranking():
    scores = {1: Decimal("50"), 2: Decimal("40"), 3: Decimal("40"), 4: Decimal("10")}
    assert city.competition_ranks(scores) == {1: 1, 2: 2, 3: 2, 4: 4}


def test_it_computes_the_crowded_places_unit_and_the_overall_score_by_hand(cast):
    """甲区: 东街道 50,000 residents, 2 red + 1 blue crowded places; 西街道 40,000, 1 orange and a fire with 2
    deaths last month; 园区 3,000, nothing. A fire 4 years ago with 9 deaths in 东街道 is outside the window.

    Red/orange per 10,000: 东 0.4, 西 0.25, 园区 0 → normalised 100, 62.5, 0.
    Deaths per 100,000 in three years: 西 5, others 0 → 0, 100, 0.
    Hazards: none anywhere → every area 0 (all equal).
    Unit 人员密集场所 (0.35 red/orange, 0.25 deaths): 东 35.00, 西 0.35×62.5 + 0.25×100 = 46.88, 园区 0.
    Overall (unit weight 0.25, every other unit 0): 东 8.75, 西 11.72, 园区 0.00."""
    places(cast.district, cast.street, "crowded_place", "red", "red", "blue")
    places(cast.district, cast.other_street, "crowded_place", "orange")
    accident(cast, cast.other_street, deaths=2)
    accident(cast, cast.street, deaths=9, days_ago=4 * 365)

    result = city.compute_ranking(parent=cast.district)

    crowded = result.table("crowded_places")
    east, west, park = (crowded.row_for(u.pk) for u in (cast.street, cast.other_street, cast.park))
    lines = {line.code: line for line in east.lines}
    assert lines["red_orange_places_per_10k"].value == Decimal("0.4")
    assert lines["red_orange_places_per_10k"].normalised == Decimal("100.00")
    assert lines["red_orange_places_per_10k"].contribution == Decimal("35.00")
    assert {line.code: line for line in west.lines}["deaths_per_100k"].value == Decimal(5)
    assert (east.score, west.score, park.score) == (Decimal("35.00"), Decimal("46.88"), Decimal("0.00"))
    assert (west.rank, east.rank, park.rank) == (1, 2, 3)
    # Units with no records anywhere: everyone 0, everyone first.
    assert [row.rank for row in result.table("road_traffic").rows] == [1, 1, 1]
    overall = {row.area.pk: row for row in result.overall.rows}
    assert overall[cast.street.pk].score == Decimal("8.75")
    assert overall[cast.other_street.pk].score == Decimal("11.72")
    assert [row.area.pk for row in result.overall.rows] == [cast.other_street.pk, cast.street.pk, cast.park.pk]
    assert city.street_index(district=cast.district)[cast.street.pk] == {"score": Decimal("8.75"), "rank": 2, "of": 3}


def test_it_counts_open_and_overdue_hazards_of_the_units_sectors(cast):
    east = places(cast.district, cast.street, "crowded_place", "")[0]
    west = places(cast.district, cast.other_street, "crowded_place", "")[0]
    hazard(cast, east)  # open major, not overdue
    hazard(cast, east, deadline_days=-3)  # open major, overdue
    hazard(cast, east, status="verified")  # closed: not counted
    hazard(cast, west, major=False, deadline_days=-1)  # general overdue
    hazard(cast, west, sector="hazchem")  # another unit's sector

    result = city.compute_ranking(parent=cast.district)

    lines = {row.area.pk: {line.code: line.value for line in row.lines} for row in result.table("crowded_places").rows}
    # Per 10,000 residents: 东街道 50,000, 西街道 40,000.
    assert lines[cast.street.pk]["open_major_hazards_per_10k"] == Decimal("0.4")
    assert lines[cast.street.pk]["overdue_hazards_per_10k"] == Decimal("0.2")
    assert lines[cast.other_street.pk]["open_major_hazards_per_10k"] == 0
    assert lines[cast.other_street.pk]["overdue_hazards_per_10k"] == Decimal("0.25")
    industry = {
        row.area.pk: {line.code: line.value for line in row.lines} for row in result.table("industry_hazchem").rows
    }
    assert industry[cast.other_street.pk]["open_major_hazards_per_10k"] == Decimal("0.25")


def test_it_weights_major_hazard_installations_by_level_and_compares_districts(cast):
    """甲区 one 一级 (4) and one 四级 (1) = 5 over 93,000 residents (its streets' and park's): 0.5376 per 10,000;
    乙区 one 二级 = 3 over 30,000: 1 per 10,000, the highest."""
    near = places(cast.district, cast.street, "hazchem", "")[0]
    far = places(cast.other_district, cast.far_street, "hazchem", "")[0]
    for site, level in ((near, "1"), (near, "4"), (far, "2")):
        unit = ChemicalUnit.objects.create(site=site, name=f"储罐{level}", kind="storage")
        MajorHazardSource.objects.create(
            site=site, unit=unit, district=site.district, s_value=2, r_value=5, alpha=1, level=level
        )

    result = city.compute_ranking(parent=cast.city)

    assert result.areas.population == {cast.district.pk: 93_000, cast.other_district.pk: 30_000}
    spec = city.IndicatorSpec(code="major_hazard_installations", weight=Decimal(1))
    counts = city.major_hazard_installations(result.areas, city.default_specs()[2], spec)
    assert counts == {cast.district.pk: 5, cast.other_district.pk: 3}
    rows = {row.area.pk: row for row in result.table("industry_hazchem").rows}
    values = {pk: {line.code: line for line in row.lines} for pk, row in rows.items()}
    near_line = values[cast.district.pk]["major_hazard_installations_per_10k"]
    far_line = values[cast.other_district.pk]["major_hazard_installations_per_10k"]
    assert city.q2(near_line.value) == Decimal("0.54") and far_line.value == 1
    assert (near_line.normalised, far_line.normalised) == (Decimal("0.00"), Decimal("100.00"))


def test_it_runs_the_same_number_of_queries_for_few_and_many_records(cast):
    places(cast.district, cast.street, "crowded_place", "red")
    with CaptureQueriesContext(connection) as few:
        city.compute_ranking(parent=cast.city)
    places(cast.district, cast.street, "crowded_place", *["red"] * 30)
    places(cast.other_district, cast.far_street, "construction", *["orange"] * 30)
    for _n in range(5):
        accident(cast, cast.far_street, deaths=1, category="road_traffic")
    with CaptureQueriesContext(connection) as many:
        city.compute_ranking(parent=cast.city)
    assert len(few) == len(many)
    assert len(many) <= 30  # one aggregate per distinct indicator of the six default units


def test_it_takes_snapshots_and_refuses_others(cast):
    places(cast.district, cast.street, "crowded_place", "red")
    written = city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year, city=cast.city)
    # 2 districts + 3 streets of 甲区 + 1 street of 乙区, each overall and for 6 units.
    assert written == (2 + 3 + 1) * 7
    assert RiskUnit.objects.filter(city=cast.city).count() == 6
    again = city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year, city=cast.city)
    assert again == written
    assert RiskSnapshot.objects.count() == written  # replaced, not added
    street = RiskSnapshot.objects.get(area=cast.street, unit=None)
    assert street.rank == 1 and street.explanation["lines"]

    city.take_snapshots(actor=cast.safety_officer, year=2025, district=cast.district)
    assert RiskSnapshot.objects.filter(year=2025).count() == 3 * 7
    with pytest.raises(PermissionDenied):
        city.take_snapshots(actor=cast.safety_officer, year=2025, city=cast.city)
    with pytest.raises(PermissionDenied):
        city.take_snapshots(actor=cast.far_safety_officer, year=2025, district=cast.district)
    with pytest.raises(PermissionDenied):
        city.take_snapshots(actor=cast.street_officer, year=2025, district=cast.district)
    with pytest.raises(ValidationError):
        city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year + 1, city=cast.city)


def test_it_sets_weights_directly_or_by_ahp_and_refuses_bad_ones(cast):
    codes = [unit["code"] for unit in city.DEFAULT_UNITS]
    with pytest.raises(ValidationError) as error:
        city.set_unit_weights(actor=cast.city_admin, city=cast.city, weights=dict.fromkeys(codes, "0.2"))
    assert zh("The weights must add up to 1; they add up to %(sum)s.") % {"sum": "1.2000"} in error.value.messages
    with pytest.raises(ValidationError):
        city.set_unit_weights(actor=cast.city_admin, city=cast.city, weights=dict.fromkeys(codes, "abc"))
    assert not RiskUnit.objects.filter(city=cast.city).exists()  # nothing half-saved: still the defaults

    # Six units, all judged equal: each 1/6.
    city.set_unit_weights(actor=cast.city_admin, city=cast.city, matrix=[["1"] * 6 for _row in range(6)])
    weights = list(RiskUnit.objects.filter(city=cast.city).values_list("weight", flat=True))
    assert sum(weights) == 1 and max(weights) == Decimal("0.1667") and min(weights) >= Decimal("0.1665")

    with pytest.raises(PermissionDenied):
        city.set_unit_weights(actor=cast.safety_officer, city=cast.city, weights=dict.fromkeys(codes, "0.1"))


def test_it_records_the_year_end_ranking_from_the_beat_task(cast):
    from anjian.risk.tasks import record_year_end_ranking

    places(cast.district, cast.street, "crowded_place", "red")
    assert record_year_end_ranking.delay().get() == (2 + 3 + 1) * 7
    assert set(RiskSnapshot.objects.values_list("year", flat=True)) == {timezone.localdate().year}
