"""The demo risk data (`seed_demo`): most places assessed with their sectors' risk points, every colour present
and red rare, districts that differ, major hazard installations of every level next to non-major units, and a
second run that changes nothing."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from anjian.demo import risk as demo
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import ChemicalUnit, Site
from anjian.risk import standards
from anjian.risk.models import MajorHazardSource, RiskAssessment, RiskPoint

pytestmark = pytest.mark.demo

COLOURS = ["red", "orange", "yellow", "blue"]


def _seed() -> str:
    out = io.StringIO()
    with override_settings(ANJIAN_DEMO=True):
        call_command("seed_demo", "--inspections-size", "0", stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    return {
        "assessments": RiskAssessment.objects.count(),
        "points": RiskPoint.objects.count(),
        "installations": sorted(MajorHazardSource.objects.values_list("unit_id", "level")),
        "levels": sorted(Site.objects.values_list("id", "risk_level")),
        "people": sorted(ChemicalUnit.objects.values_list("id", "people_within_500m")),
    }


@pytest.fixture(scope="module")
def seeded(demo_city, django_db_blocker):
    """The demo city of the session, seeded a second time here to see that run change nothing (rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        first = _snapshot()
        second_output = _seed()
        yield {"first": first, "second": _snapshot(), "output": demo_city, "again": second_output}
        transaction.set_rollback(True)


@pytest.fixture
def result(seeded, db):
    return seeded


def _districts():
    return list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city__code="990100").order_by("order", "id"))


def test_a_second_run_changes_nothing(result):
    assert result["first"] == result["second"]
    assert "Demo risk assessments already present; nothing changed." in result["again"]


def test_it_prints_what_it_made(result):
    assert "places assessed" in result["output"]
    assert "Major hazard installations identified" in result["output"]


def test_it_assesses_about_85_percent_of_each_district_and_leaves_the_rest_unassessed(result):
    for district in _districts():
        places = Site.objects.filter(district=district)
        assessed = places.filter(risk_assessments__isnull=False).distinct().count()
        share = assessed / places.count()
        assert 0.8 <= share <= 0.9, (district.name, share)
        unassessed = places.filter(risk_assessments__isnull=True)
        assert unassessed.exists()
        # Unassessed is grey, never blue: the current level stays blank until an assessment exists.
        assert not unassessed.exclude(risk_level="").exists()


def test_every_colour_is_present_and_red_is_the_rarest(result):
    for district in _districts():
        counts = dict(
            Site.objects.filter(district=district).values_list("risk_level").annotate(n=Count("id")).order_by()
        )
        assert all(counts.get(colour) for colour in COLOURS), (district.name, counts)
        assert counts["red"] < counts["orange"] < counts["yellow"] + counts["blue"], (district.name, counts)


def test_the_districts_differ(result):
    def high_share(name: str) -> float:
        levels = list(RiskAssessment.objects.filter(district__name=name).values_list("level", flat=True))
        return sum(level in ("red", "orange") for level in levels) / len(levels)

    assert high_share("城南区") > high_share("滨江区") > high_share("城北区")


def test_the_points_are_their_sectors_and_graded_as_the_bands_say(result):
    hazchem_names = {spec.name for spec in demo.SECTOR_POINTS["hazchem"][1]}
    construction_names = {spec.name for spec in demo.SECTOR_POINTS["construction"][1]}
    for sector, names in (("hazchem", hazchem_names), ("construction", construction_names)):
        only_that_sector = Site.objects.annotate(n=Count("site_sectors")).filter(n=1, site_sectors__sector=sector)
        points = RiskPoint.objects.filter(assessment__site__in=only_that_sector)
        assert points.exists()
        assert set(points.values_list("name", flat=True)) <= names
    for point in RiskPoint.objects.order_by("id")[:500]:
        assert point.level == standards.band_level(point.method, point.score)
    for assessment in RiskAssessment.objects.prefetch_related("points").order_by("id")[:300]:
        assert assessment.level == standards.worst([p.level for p in assessment.points.all()])
        assert 2 <= len(assessment.points.all()) <= 4
        assert assessment.assessed_by_id and assessment.method_summary


def test_some_places_keep_an_older_assessment(result):
    repeated = RiskAssessment.objects.values("site_id").annotate(n=Count("id")).filter(n__gt=1).count()
    assert repeated > 100


def test_installations_of_every_level_and_units_below_their_critical_quantity(result):
    levels = set(MajorHazardSource.objects.values_list("level", flat=True))
    assert levels == {"1", "2", "3", "4"}
    units = ChemicalUnit.objects.filter(site__district__city__code="990100")
    assert units.filter(major_hazard_source__isnull=True).exists()
    assert not units.filter(people_within_500m__isnull=True).exists()
    assert MajorHazardSource.objects.values("district_id").distinct().count() == len(_districts())
    first = MajorHazardSource.objects.get(level="1")
    assert first.people_within_500m == 1_850 and first.alpha == 2


def test_the_draws_are_deterministic():
    specs = ["hazchem", "city_gas"]
    draw = [(p.name, p.score, p.level) for p in demo._points_for(specs, "orange", random.Random(4))]
    again = [(p.name, p.score, p.level) for p in demo._points_for(specs, "orange", random.Random(4))]
    assert draw == again
    assert draw[0][2] == "orange"
    assert all(COLOURS.index(level) >= COLOURS.index("orange") for _n, _s, level in draw)


@override_settings(ANJIAN_DEMO=True)
@pytest.mark.django_db
def test_it_does_nothing_without_the_demo_city():
    assert demo.seed(stdout=io.StringIO()) == {}
