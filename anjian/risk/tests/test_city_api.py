"""/api/risk-ranking/: in scope, out of scope (404) and anonymous (401); a street receives only its own row."""

from __future__ import annotations

import pytest
from django.utils import timezone

from anjian.core.testing_shared import shared_fixture
from anjian.risk import city
from anjian.risk.tests.test_city_pages import NOBODY
from anjian.risk.tests.test_city_ranking import accident, places

pytestmark = pytest.mark.django_db
API = "/api/risk-ranking/"


@shared_fixture
def data(cast):
    places(cast.district, cast.street, "crowded_place", "red", "red")
    places(cast.district, cast.other_street, "crowded_place", "orange")
    accident(cast, cast.far_street, deaths=3, category="road_traffic")
    return cast


def test_it_lists_the_districts_with_the_callers_own(client_for, data):
    cast = data
    body = client_for(cast.safety_officer).get(API).json()
    assert body["own"]["area"]["id"] == cast.district.pk
    overall = body["tables"][0]
    assert overall["unit"] == "overall"
    assert {row["area"]["id"] for row in overall["rows"]} == {cast.district.pk, cast.other_district.pk}
    assert {"rank", "of", "score", "lines"} <= set(overall["rows"][0])
    assert len(body["tables"]) == 7
    for role in NOBODY:
        assert client_for(getattr(cast, role)).get(API).status_code == 404
    assert client_for(None).get(API).status_code == 401


def test_it_gives_a_street_only_its_own_row(client_for, data):
    cast = data
    url = f"{API}{cast.district.pk}/streets/"
    body = client_for(cast.street_officer).get(url).json()
    for table in body["tables"]:
        assert [row["area"]["id"] for row in table["rows"]] == [cast.street.pk]
        assert table["rows"][0]["of"] == 3
    full = client_for(cast.leader).get(url).json()
    assert len(full["tables"][0]["rows"]) == 3
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert client_for(cast.enterprise).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    assert client_for(cast.city_admin).get(f"{API}{cast.other_district.pk}/streets/").status_code == 200
    assert client_for(cast.safety_officer).get(f"{API}999999/streets/").status_code == 404


def test_it_explains_an_area_in_scope(client_for, data):
    cast = data
    url = f"{API}{cast.street.pk}/explain/"
    body = client_for(cast.street_officer).get(url).json()
    crowded = next(t for t in body["tables"] if t["unit"] == "crowded_places")
    assert crowded["rank"] == 1 and crowded["lines"][0]["code"] == "red_orange_places_per_10k"
    assert client_for(cast.other_street_officer).get(url).status_code == 404
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert client_for(cast.audit_admin).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401


def test_it_lists_the_snapshots_the_caller_may_read(client_for, data):
    cast = data
    city.take_snapshots(actor=cast.city_admin, year=timezone.localdate().year, city=cast.city)
    mine = client_for(cast.street_officer).get(API + "snapshots/").json()
    areas = {row["area"] for row in mine}
    assert areas == {cast.district.pk, cast.other_district.pk, cast.street.pk}
    far = client_for(cast.far_safety_officer).get(API + "snapshots/").json()
    assert cast.street.pk not in {row["area"] for row in far}
    assert len(client_for(cast.city_admin).get(API + f"snapshots/?area={cast.park.pk}").json()) == 7
    assert client_for(cast.city_admin).get(API + "snapshots/?year=abc").status_code == 400
    assert client_for(cast.enterprise).get(API + "snapshots/").status_code == 404
    assert client_for(None).get(API + "snapshots/").status_code == 401


def test_it_exports_in_scope(client_for, data):
    cast = data
    response = client_for(cast.street_officer).get(API + f"export/?district={cast.district.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(cast.far_safety_officer).get(API + f"export/?district={cast.district.pk}").status_code == 404
    assert client_for(None).get(API + "export/").status_code == 401
