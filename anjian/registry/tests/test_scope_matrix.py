"""Every page and endpoint of the places, tried by the whole cast: in scope 200, out of scope 404,
anonymous to the login page (pages) or 401 (API); read-only roles change nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from anjian.core.testing_shared import shared_fixture
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site
from anjian.registry.tests._places import VISIBLE, WRITERS, cast_places

pytestmark = pytest.mark.django_db

MEMBERS = sorted(VISIBLE)
PLACES = ("chem", "works", "far")


@shared_fixture
def places(cast):
    return cast_places(cast)


def _expected(member: str, place: str, *, write: bool = False) -> int:
    if place not in VISIBLE[member]:
        return 404
    if write and member not in WRITERS:
        return 404
    return 200


@pytest.mark.parametrize("member", MEMBERS)
def test_it_lists_exactly_the_places_in_scope(cast, places, client_for, member):
    response = client_for(getattr(cast, member)).get(reverse("registry:site_list"))
    if not VISIBLE[member]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = {site.name for site in response.context["page_obj"]}
    assert listed == {places[key].name for key in VISIBLE[member]}


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_it_shows_the_detail_in_scope_and_404_outside(cast, places, client_for, member, place):
    client = client_for(getattr(cast, member))
    url = reverse("registry:site_detail", args=[places[place].pk])
    assert client.get(url).status_code == _expected(member, place)
    for tab in ("responsibility", "chemicals"):
        assert client.get(url, {"tab": tab}).status_code == _expected(member, place)


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_it_opens_the_edit_form_only_for_writers_in_scope(cast, places, client_for, member, place):
    response = client_for(getattr(cast, member)).get(reverse("registry:site_edit", args=[places[place].pk]))
    assert response.status_code == _expected(member, place, write=True)


@pytest.mark.parametrize("member", MEMBERS)
def test_it_opens_the_create_form_only_for_writers(cast, client_for, member):
    response = client_for(getattr(cast, member)).get(reverse("registry:site_create"))
    assert response.status_code == (200 if member in WRITERS else 404)


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_it_changes_the_status_only_for_writers_in_scope(cast, places, client_for, member, place):
    site = places[place]
    response = client_for(getattr(cast, member)).post(
        reverse("registry:site_status", args=[site.pk]), {"to_status": SiteStatus.SUSPENDED, "reason": "责令整改"}
    )
    expected = _expected(member, place, write=True)
    site.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert site.status == SiteStatus.SUSPENDED
    else:
        assert response.status_code == 404
        assert site.status == SiteStatus.OPERATING


@pytest.mark.parametrize("member", MEMBERS)
def test_it_maps_exactly_the_places_in_scope(cast, places, client_for, member):
    client = client_for(getattr(cast, member))
    page = client.get(reverse("registry:site_map"))
    points = client.get(reverse("registry:site_map_points"))
    if not VISIBLE[member]:
        assert page.status_code == 404
        assert points.status_code == 404
        return
    assert page.status_code == 200
    assert points.status_code == 200
    assert {row[0] for row in points.json()["points"]} == {places[key].pk for key in VISIBLE[member]}


@pytest.mark.parametrize(
    "name,args",
    [
        ("registry:site_list", []),
        ("registry:site_create", []),
        ("registry:site_map", []),
        ("registry:site_map_points", []),
        ("registry:site_detail", ["chem"]),
        ("registry:site_edit", ["chem"]),
        ("registry:site_status", ["chem"]),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(places, client_for, name, args):
    url = reverse(name, args=[places[a].pk for a in args])
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- the API ------------------------------------------------------------------------------


@pytest.mark.parametrize("member", MEMBERS)
def test_the_api_lists_exactly_the_places_in_scope(cast, places, client_for, member):
    response = client_for(getattr(cast, member)).get("/api/sites/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {places[key].pk for key in VISIBLE[member]}


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_the_api_retrieves_in_scope_and_answers_404_outside(cast, places, client_for, member, place):
    response = client_for(getattr(cast, member)).get(f"/api/sites/{places[place].pk}/")
    assert response.status_code == _expected(member, place)


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_the_api_patches_only_in_scope_for_writers(cast, places, client_for, member, place):
    site = places[place]
    response = client_for(getattr(cast, member)).patch(
        f"/api/sites/{site.pk}/", {"address": "新地址1号"}, content_type="application/json"
    )
    site.refresh_from_db()
    if place not in VISIBLE[member]:
        assert response.status_code == 404
    elif member not in WRITERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200, response.content
        assert site.address == "新地址1号"
        return
    assert site.address != "新地址1号"


@pytest.mark.parametrize("member", MEMBERS)
def test_the_api_creates_only_for_writers(cast, client_for, member):
    user = getattr(cast, member)
    territory = {
        "street_officer": cast.street,
        "other_street_officer": cast.other_street,
        "far_safety_officer": cast.far_street,
        "city_admin": cast.street,
    }.get(member, cast.street)
    payload = {"name": "新登记场所", "territory": territory.pk, "sectors": [{"code": "hazchem", "subtype": "use"}]}
    if member == "city_admin":
        payload["district"] = cast.district.pk
    before = Site.objects.count()
    response = client_for(user).post("/api/sites/", payload, content_type="application/json")
    if member in WRITERS:
        assert response.status_code == 201, response.content
        assert Site.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert Site.objects.count() == before


def test_the_api_answers_anonymous_callers_401(places, client_for):
    client = client_for(None)
    assert client.get("/api/sites/").status_code == 401
    assert client.get(f"/api/sites/{places['chem'].pk}/").status_code == 401
    assert client.post("/api/sites/", {}, content_type="application/json").status_code == 401
    assert client.patch(f"/api/sites/{places['chem'].pk}/", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("member", MEMBERS)
def test_the_api_exports_exactly_the_places_in_scope(cast, places, client_for, member):
    from openpyxl import load_workbook

    response = client_for(getattr(cast, member)).get("/api/sites/export/")
    if not VISIBLE[member]:
        assert response.status_code == 404  # like the list: no business data, not even an empty workbook
        return
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = {cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row}
    assert cells & {"东化工仓库", "西工地", "北化工厂"} == {places[key].name for key in VISIBLE[member]}
