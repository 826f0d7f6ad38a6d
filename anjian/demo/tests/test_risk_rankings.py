"""The demo rankings: recorded for two years ago, last year and this year, the demo
district 滨江区 neither first nor last overall, and a second run that adds nothing. Seeded once per module on the
real demo (places, hazards at a twentieth, accidents, risk levels), inside a transaction rolled back at the end."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from anjian.demo import risk_city as demo_city
from anjian.inspections.models import Hazard
from anjian.organizations.choices import TERRITORIAL_KINDS as TERRITORIAL
from anjian.organizations.choices import OrgUnitKind
from anjian.risk import city
from anjian.risk.models import RiskSnapshot

pytestmark = pytest.mark.demo


class Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                out = io.StringIO()
                with override_settings(ANJIAN_DEMO=True):
                    # seed_demo runs the risk demo, then this one (demo_city.seed).
                    call_command("seed_demo", "--inspections-size", "0.05", stdout=out)
                yield {"out": out.getvalue(), "again": demo_city.seed()}
                raise Rollback
        except Rollback:
            pass


@pytest.mark.django_db
def test_it_records_three_years_with_the_demo_district_in_the_middle(seeded):
    year = timezone.localdate().year
    years = RiskSnapshot.objects.order_by("year").values_list("year", flat=True).distinct()
    assert list(years) == [year - 2, year - 1, year]
    assert seeded["again"] == {}
    overall = RiskSnapshot.objects.filter(unit=None, area__kind=OrgUnitKind.DISTRICT, year=year).select_related("area")
    ranks = {snapshot.area.name: snapshot.rank for snapshot in overall}
    assert len(ranks) == 3
    assert 1 < ranks["滨江区"] < 3, seeded["out"]
    # The live ranking agrees with this year's record.
    live = city.compute_ranking(parent=overall[0].city)
    assert {row.area.name: row.rank for row in live.overall.rows}["滨江区"] == ranks["滨江区"]
    # Every street of 滨江区 is ranked each year.
    streets = RiskSnapshot.objects.filter(unit=None, year=year - 1, district__name="滨江区", area__kind__in=TERRITORIAL)
    assert streets.count() == 10
    # The other districts' findings went through the hazard loop: escalated, with a timeline.
    found = Hazard.objects.filter(district__name__in=demo_city.FINDINGS, source="supervision")
    assert found.count() >= 2 * len(demo_city.SECTORS)
    assert not found.filter(escalated_at=None).exists()
    assert not found.filter(events=None).exists()
    assert found.overdue().filter(district__name="城南区").exists()  # past the escalated deadline too
    # Print the scores with -s: the margins the demo leaves.
    print(seeded["out"][-600:])
