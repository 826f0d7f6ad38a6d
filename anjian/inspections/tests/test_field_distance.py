"""How far from the place an inspection was recorded: computed on start and completion, kept on the inspection
whatever it is, warned above INSPECTION_DISTANCE_WARNING_METRES on the form and on the inspection page; and every
page writes a position the same way, latitude first and labelled."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from anjian.accidents import services as accident_services
from anjian.core.coordinates import format_coordinates, format_distance
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.models import Inspection
from anjian.inspections.testing import loop_place, short_checklist, zh
from anjian.organizations import geo

pytestmark = pytest.mark.django_db

PLACE = {"latitude": Decimal("30.152300"), "longitude": Decimal("120.148800")}
# About 1,000 km north-east of the place (a phone still set to another city, or a wrong registry entry).
FAR = {"latitude": Decimal("39.904200"), "longitude": Decimal("116.407400")}
NEAR = {"latitude": Decimal("30.153200"), "longitude": Decimal("120.148800")}  # 100 m north


@shared_fixture
def place(cast):
    site = loop_place(cast)
    site.latitude, site.longitude = PLACE["latitude"], PLACE["longitude"]
    site.save()
    return site


@shared_fixture
def checklist(cast):
    return short_checklist(cast)


def _start(cast, place, checklist, position):
    return services.start_inspection(
        actor=cast.street_officer, site=place, checklist=checklist, accuracy=12, **position
    )


def test_the_distance_is_the_great_circle_one():
    assert round(geo.distance_m(30, 120, 31, 120)) == 111_195  # one degree of latitude
    assert round(geo.distance_m(30, 120, 30, 120)) == 0
    assert 1_000_000 < geo.distance_m(**_pair(PLACE, FAR)) < 1_200_000


def _pair(a, b):
    return {"lat1": a["latitude"], "lon1": a["longitude"], "lat2": b["latitude"], "lon2": b["longitude"]}


def test_positions_and_distances_read_one_way():
    with translation.override("zh-hans"):
        assert format_coordinates(Decimal("30.1523"), Decimal("120.1488")) == "纬度 30.152300，经度 120.148800"
        assert format_coordinates(None, Decimal("120.1")) == ""
        assert format_distance(849.6) == "850 米"
        assert format_distance(12_345) == "12.3 公里"
        assert format_distance(1_067_000) == "1067 公里"
        assert format_distance(None) == ""


def test_a_position_far_from_the_place_is_recorded_with_its_distance(cast, place, checklist):
    inspection = _start(cast, place, checklist, FAR)
    assert 1_000_000 < inspection.distance_m < 1_200_000
    assert inspection.far_from_site
    assert Inspection.objects.get(pk=inspection.pk).latitude == FAR["latitude"]  # accepted, not refused


def test_completion_records_the_distance_of_the_end_position(cast, client_for, place, checklist):
    inspection = _start(cast, place, checklist, FAR)
    items = list(checklist.items.all())
    data = {"note": "", "latitude": str(NEAR["latitude"]), "longitude": str(NEAR["longitude"]), "accuracy": "8"}
    for item in items:
        data[f"item-{item.pk}-result"] = "not_applicable"
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_record", args=[inspection.pk]), data
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert 95 <= inspection.distance_m <= 105
    assert not inspection.far_from_site


def test_a_place_without_coordinates_gives_no_distance(cast, client_for, checklist):
    site = loop_place(cast, name="无坐标仓库", enterprise_n=502)
    inspection = _start(cast, site, checklist, FAR)
    assert inspection.distance_m is None
    page = client_for(cast.street_officer).get(reverse("inspections:inspection_record", args=[inspection.pk]))
    assert 'data-testid="distance-unknown"' in page.content.decode()


def test_the_record_form_warns_of_a_start_far_from_the_place(cast, client_for, place, checklist):
    client = client_for(cast.street_officer)
    far = _start(cast, place, checklist, FAR)
    body = client.get(reverse("inspections:inspection_record", args=[far.pk])).content.decode()
    warning = body.split('data-testid="distance-warning"')[0].rsplit("<div", 1)[1]
    assert "hidden" not in warning
    assert zh("Distance from the place: <strong data-distance-value>%(distance)s</strong>").split("<")[0] in body
    assert 'data-site-lat="30.152300" data-site-lon="120.148800" data-warn-metres="500"' in body


def test_the_record_form_keeps_the_warning_hidden_near_the_place(cast, client_for, place, checklist):
    near = _start(cast, place, checklist, NEAR)
    body = client_for(cast.street_officer).get(reverse("inspections:inspection_record", args=[near.pk]))
    warning = body.content.decode().split('data-testid="distance-warning"')[1].split(">")[0]
    assert "hidden" in warning


def test_the_inspection_page_shows_the_distance_and_the_positions_latitude_first(
    cast, client_for, place, checklist, django_assert_max_num_queries
):
    inspection = _start(cast, place, checklist, FAR)
    client = client_for(cast.street_officer)
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        page = client.get(url)
    body = page.content.decode()
    assert "纬度 39.904200，经度 116.407400" in body  # where it was recorded
    assert "纬度 30.152300，经度 120.148800" in body  # the place
    assert 'data-testid="far-from-place"' in body and "超过 500 米" in body
    assert format_distance(inspection.distance_m) in body


def test_the_threshold_is_a_setting(cast, client_for, place, checklist, settings):
    settings.INSPECTION_DISTANCE_WARNING_METRES = 2_000_000
    inspection = _start(cast, place, checklist, FAR)
    assert not Inspection.objects.get(pk=inspection.pk).far_from_site
    page = client_for(cast.street_officer).get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert 'data-testid="far-from-place"' not in page.content.decode()


def test_the_place_and_the_accident_pages_write_positions_latitude_first(cast, client_for, place):
    client = client_for(cast.safety_officer)
    overview = client.get(reverse("registry:site_detail", args=[place.pk])).content.decode()
    assert "纬度 30.152300，经度 120.148800" in overview
    occurred = timezone.now() - datetime.timedelta(days=3)
    accident = accident_services.record_accident(
        actor=cast.safety_officer,
        district=cast.district,
        territory=cast.street,
        category="fire",
        accident_type="fire",
        occurred_at=occurred,
        reported_at=occurred + datetime.timedelta(minutes=10),
        summary="仓库起火",
        address="东路口",
        latitude=Decimal("30.15"),
        longitude=Decimal("120.15"),
    )
    detail = client.get(reverse("accidents:accident_detail", args=[accident.pk])).content.decode()
    assert "纬度 30.150000，经度 120.150000" in detail


def test_the_api_gives_the_distance(cast, client_for, place, checklist):
    inspection = _start(cast, place, checklist, FAR)
    data = client_for(cast.street_officer).get(f"/api/inspections/{inspection.pk}/").json()
    assert data["distance_m"] == inspection.distance_m
