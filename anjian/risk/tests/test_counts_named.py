"""Each count of major hazard installations says what it counts: the map counts places holding one
(有重大危险源的场所 N 处), the register counts the installations, which are units (重大危险源 N 个)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing_shared import shared_fixture
from anjian.risk.installations import identify_sites
from anjian.risk.tests.installation_places import add_unit, build_places

pytestmark = pytest.mark.django_db


@shared_fixture
def places(cast):
    built = build_places(cast)
    # A second installation at 东化工: two units, one place.
    add_unit(built.east, "二号液氯罐区", [("液氯", "6", "7782-50-5", "")], people=150)
    identify_sites(site_ids=[built.east.pk])
    return built


def test_the_register_counts_units_and_the_map_legend_names_places(cast, client_for, places):
    client = client_for(cast.safety_officer)
    html = client.get(reverse("risk:installation_list")).content.decode()
    assert "重大危险源 3 个" in html  # 东化工's two units and 西化工's one
    page = client.get(reverse("risk:map")).content.decode()
    assert "有重大危险源的场所" in page and 'data-testid="legend-installations">0</strong> 处' in page
    points = client.get("/api/risk-map/").json()["installations"]
    assert len(points) == 2 and sorted(row[5] for row in points) == [1, 2]
    assert (
        client_for(cast.far_safety_officer)
        .get(reverse("risk:installation_list"))
        .content.decode()
        .count("重大危险源 1 个")
        == 1
    )
    assert client_for(None).get(reverse("risk:installation_list")).status_code == 302
