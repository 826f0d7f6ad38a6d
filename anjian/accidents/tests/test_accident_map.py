"""The accidents layer of the map of places (anjian/registry/map_layers.py): points of the last twelve months in
the user's scope, with the accident's own coordinates or else its place's, coloured by grade; the map page lists
the layer as a toggle."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services
from anjian.registry import map_layers
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db


def record(cast, *, territory, days_ago=10, **fields):
    occurred = timezone.now() - datetime.timedelta(days=days_ago)
    fields.setdefault("address", "东路口")
    return services.record_accident(
        actor=cast.safety_officer,
        district=cast.district,
        territory=territory,
        category=fields.pop("category", "fire"),
        accident_type="fire",
        occurred_at=occurred,
        reported_at=occurred + datetime.timedelta(minutes=10),
        summary="仓库起火",
        **fields,
    )


def points(client) -> list:
    response = client.get(reverse("accidents:map_points"))
    assert response.status_code == 200
    return response.json()["points"]


def test_the_layer_shows_scoped_accidents_of_the_last_year_with_coordinates(cast, client_for):
    site = make_site(
        district=cast.district,
        territory=cast.street,
        name="东仓库",
        latitude=Decimal("30.120000"),
        longitude=Decimal("120.130000"),
    )
    own = record(cast, territory=cast.street, latitude=Decimal("30.15"), longitude=Decimal("120.15"), deaths=3)
    at_site = record(cast, territory=cast.street, site=site, address="")
    record(cast, territory=cast.street)  # no coordinates anywhere: not on the map
    record(cast, territory=cast.street, days_ago=400, latitude=Decimal("30.16"), longitude=Decimal("120.16"))
    west = record(cast, territory=cast.other_street, latitude=Decimal("30.17"), longitude=Decimal("120.17"))

    mine = points(client_for(cast.street_officer))
    assert {(p[0], p[1]) for p in mine} == {(30.15, 120.15), (30.12, 120.13)}
    by_url = {p[3]: p for p in mine}
    assert by_url[reverse("accidents:accident_detail", args=[own.pk])][4] == "relatively_serious"
    assert by_url[reverse("accidents:accident_detail", args=[at_site.pk])][4] == "ordinary"
    assert "东仓库" in by_url[reverse("accidents:accident_detail", args=[at_site.pk])][2]
    # The most serious is drawn last (on top).
    assert mine[-1][4] == "relatively_serious"

    office = points(client_for(cast.safety_officer))
    assert reverse("accidents:accident_detail", args=[west.pk]) in {p[3] for p in office} and len(office) == 3
    assert points(client_for(cast.far_safety_officer)) == []


def test_the_layer_refuses_anonymous_and_the_administrators(cast, client_for, client):
    client.logout()
    response = client.get(reverse("accidents:map_points"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(cast.audit_admin).get(reverse("accidents:map_points")).status_code == 404


def test_the_map_page_lists_the_layers_the_user_may_see_as_toggles(cast, client_for):
    response = client_for(cast.street_officer).get(reverse("registry:site_map"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="map-layer-accidents"' in body
    layers = json.loads(body.split('id="site-map-layers" type="application/json">', 1)[1].split("</script>", 1)[0])
    accidents = next(layer for layer in layers if layer["key"] == "accidents")
    assert accidents["url"] == reverse("accidents:map_points") and not accidents["default_on"]
    assert {row[0] for row in accidents["legend"]} == {
        "especially_serious",
        "serious",
        "relatively_serious",
        "ordinary",
    }


def test_a_layer_is_listed_only_for_whom_it_is_visible(cast):
    layer = map_layers.MapLayer(
        key="zz_test",
        label="test",
        url_name="accidents:map_points",
        visible=lambda user: user.role == "district_leader",
    )
    map_layers.register(layer)
    try:
        assert layer not in map_layers.layers_for(cast.street_officer)
        assert layer in map_layers.layers_for(cast.leader)
        assert [entry.key for entry in map_layers.layers_for(cast.leader)].index("zz_test") > 0
    finally:
        map_layers.unregister("zz_test")
