"""What `seed_demo` prints: each part says whether it created anything, and the counts come once, at the end, from
the database, so they agree with what the pages show (the demo city of the session, seeded without inspections)."""

from __future__ import annotations

import re

import pytest

from anjian.accidents.models import Accident
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import ChemicalUnit, Site
from anjian.risk.models import MajorHazardSource, RiskAssessment, RiskSnapshot

pytestmark = pytest.mark.demo


@pytest.fixture
def output(demo_city, db) -> str:
    return demo_city


def test_each_part_says_what_it_did_without_counting(output):
    steps, _blank, summary = output.partition("\n\n")
    assert steps.splitlines() == [
        "Demo city 临江市 created.",
        "Demo places created.",
        "Demo accidents created.",
        "Demo risk assessments created.",
        "Demo risk rankings recorded.",
    ]
    assert not re.search(r"\d", steps.replace("临江市", ""))
    assert summary.startswith("The demo city 临江市:")


def test_the_counts_are_the_databases_each_printed_once(output):
    for district in OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city__name="临江市"):
        lines = [line for line in output.splitlines() if line.startswith(f"  {district.name}:")]
        assert len(lines) == 1, output
        places = Site.objects.filter(district=district).count()
        assessed = RiskAssessment.objects.filter(district=district).values("site_id").distinct().count()
        assert lines[0].startswith(f"  {district.name}: {places} places, {assessed} places assessed"), lines[0]
        accidents = Accident.objects.filter(district=district).count()
        assert f"    {accidents} accidents (" in output
    assert (
        f"Major hazard installations identified: {MajorHazardSource.objects.count()} of "
        f"{ChemicalUnit.objects.count()} chemical units." in output
    )
    assert f"Risk rankings recorded: {RiskSnapshot.objects.count()} rows" in output
