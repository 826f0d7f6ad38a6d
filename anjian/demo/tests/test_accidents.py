"""The demo accidents (`seed_demo`, issue "Accidents, statistics and briefings" item 7): three years in the demo
city, grades and late flags as the services compute them, investigations in every state with the evidence of the
four closures, casualty corrections, yearly totals that differ, deterministic and seeded once."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from anjian.accidents import services, standards
from anjian.accidents.models import Accident, CasualtyCorrection, Investigation, InvestigationStatus
from anjian.core.models import AuditEntry
from anjian.demo.accidents import plan as demo
from anjian.inspections.choices import CLOSED_STATUSES
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit

pytestmark = pytest.mark.demo


def _seed() -> str:
    out = io.StringIO()
    with override_settings(ANJIAN_DEMO=True):
        call_command("seed_demo", "--inspections-size", "0.03", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output, OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code="990102")
        transaction.set_rollback(True)


@pytest.fixture
def district(seeded, db):
    return seeded[1]


def test_it_prints_what_it_created(seeded, db):
    assert "Demo accidents created." in seeded[0]
    counted = Accident.objects.filter(district=seeded[1]).count()
    assert f"    {counted} accidents (" in seeded[0].partition("  滨江区:")[2]


def test_a_second_run_changes_nothing(district):
    before = (Accident.objects.count(), Investigation.objects.count(), AuditEntry.objects.count())
    output = _seed()
    assert "Demo accidents already present" in output
    assert (Accident.objects.count(), Investigation.objects.count(), AuditEntry.objects.count()) == before


def test_most_accidents_are_in_the_demo_district_with_every_category(district):
    per_district = Counter(Accident.objects.values_list("district__code", flat=True))
    assert len(per_district) == 3
    assert per_district["990102"] > 2 * max(n for code, n in per_district.items() if code != "990102")
    categories = Counter(Accident.objects.filter(district=district).values_list("category", flat=True))
    assert set(categories) == {"production", "road_traffic", "road_traffic_simple", "fire", "other"}
    assert categories["road_traffic_simple"] > categories["road_traffic"] > categories["production"] > 20
    assert not Accident.objects.filter(category="road_traffic_simple", deaths__gt=0).exists()
    assert Accident.objects.filter(category="fire", deaths__gt=0).exists()
    production = Accident.objects.filter(district=district, category="production")
    assert production.filter(sector__isnull=True).count() == 0
    assert production.values("sector").distinct().count() >= 5


def test_grades_and_late_flags_are_what_the_services_compute(district):
    rows = Accident.objects.values_list("deaths", "serious_injuries", "direct_loss", "grade", "occurred_at",
                                        "reported_at", "late_report")  # fmt: skip
    for deaths, serious, loss, grade, occurred_at, reported_at, late in rows:
        assert grade == standards.grade_for(deaths=deaths, serious_injuries=serious, direct_loss=loss)
        assert late == ((reported_at - occurred_at).total_seconds() > standards.REPORT_WITHIN_MINUTES * 60)
        assert occurred_at <= reported_at <= timezone.now()
    serious = Accident.objects.filter(district=district, grade="relatively_serious")
    assert 2 <= serious.count() <= 6 and all(3 <= a.deaths <= 5 for a in serious)
    assert Accident.objects.filter(late_report=True).count() > 10


def test_there_are_casualty_corrections_one_raising_the_grade(district):
    corrections = CasualtyCorrection.objects.filter(accident__district=district)
    assert corrections.count() >= 2
    raised = corrections.get(grade_before="ordinary", grade_after="relatively_serious")
    assert raised.after["deaths"] > raised.before["deaths"]
    for correction in corrections.select_related("accident"):
        window = standards.correction_days(correction.accident.category)
        assert (correction.corrected_at - correction.accident.occurred_at).days <= window


def test_investigations_are_in_every_state_with_the_four_closures_evidenced(district):
    today = timezone.localdate()
    investigations = Investigation.objects.filter(accident__district=district)
    open_ = investigations.filter(status=InvestigationStatus.OPEN)
    assert open_.filter(deadline__gte=today, extended_by_days=0).exists()  # within the deadline
    assert open_.filter(extended_by_days__gt=0).exists()  # extended
    assert open_.filter(deadline__lt=today).exists()  # overdue
    assert all(0 < i.extended_by_days <= services.MAX_EXTENSION_DAYS for i in open_.filter(extended_by_days__gt=0))
    closed = list(investigations.filter(status=InvestigationStatus.CLOSED))
    assert len(closed) > 10
    for investigation in closed:
        assert services.open_closures(investigation) == []
        assert investigation.closed_at <= timezone.now()
    # Measures linked to the hazard loop point at hazards of the same place (verified ones when closed).
    for investigation in investigations.prefetch_related("measures__hazard").select_related("accident"):
        for measure in investigation.measures.all():
            if measure.hazard_id:
                assert measure.hazard.site_id == investigation.accident.site_id
                if investigation.status == InvestigationStatus.CLOSED:
                    assert measure.hazard.status in CLOSED_STATUSES
    assert Accident.objects.filter(district=district, investigation__isnull=True).count() > 100


def test_yearly_totals_differ_between_years(district):
    years = dict(
        Accident.objects.filter(district=district)
        .exclude(category="road_traffic_simple")
        .values_list("occurred_at__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert {2024, 2025} <= set(years) and years[2024] != years[2025]
    assert Accident.objects.filter(occurred_at__date__lt="2024-01-01").count() == 0


def test_it_is_deterministic(district):
    world = demo._load(district, 1.0)
    now = timezone.now()
    first = demo.Builder(world, random.Random(7), now).build()
    second = demo.Builder(world, random.Random(7), now).build()
    key = [(s.accident.occurred_at, s.accident.category, s.accident.deaths, s.state) for s in first]
    assert key == [(s.accident.occurred_at, s.accident.category, s.accident.deaths, s.state) for s in second]
