"""The four-colour risk map (四色图): what each user sees on the page, in /api/risk-map/ and in the export; the
filters; the counts table equal to the points; constant queries; major hazard installations marked."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.registry.choices import ChemicalUnitKind, SiteStatus
from anjian.registry.models import ChemicalUnit, Site, SiteSector
from anjian.registry.tests.factories import EnterpriseFactory
from anjian.risk import maps
from anjian.risk.models import MajorHazardSource

pytestmark = pytest.mark.django_db

API = "/api/risk-map/"
PAGE = "/risk/map/"
EXPORT = "/risk/map/export.xlsx"
COLOUR = {"red": 0, "orange": 1, "yellow": 2, "blue": 3, "": 4}


def place(cast, name, *, territory=None, level="", sector="industry_trade", coords=True, **fields) -> Site:
    territory = territory or cast.street
    site = Site.objects.create(
        name=name,
        district=territory.district,
        territory=territory,
        longitude=Decimal("120.15") if coords else None,
        latitude=Decimal("30.15") if coords else None,
        risk_level=level,
        **fields,
    )
    SiteSector.objects.create(site=site, sector_id=sector)
    return site


@shared_fixture
def places(cast):
    """Places of every colour in two streets and the park of 甲区, one in 乙区, of several sectors."""
    enterprise = EnterpriseFactory(name="甲区某化工有限公司", accounts=[cast.enterprise])
    made = {
        "east_red": place(cast, "东街道化工厂", level="red", sector="hazchem", enterprise=enterprise),
        "east_orange": place(cast, "东街道工厂", level="orange"),
        "east_blue": place(cast, "东街道商场", level="blue", sector="crowded_place"),
        "east_none": place(cast, "东街道未评估", level=""),
        "east_nocoords": place(cast, "东街道无坐标", level="yellow", coords=False),
        "west_yellow": place(cast, "西街道工地", territory=cast.other_street, level="yellow", sector="construction"),
        "west_red": place(cast, "西街道仓库", territory=cast.other_street, level="red"),
        "park_blue": place(cast, "园区工厂", territory=cast.park, level="blue"),
        "far_red": place(cast, "乙区工厂", territory=cast.far_street, level="red"),
        "closed": place(cast, "东街道已关闭", level="red", status=SiteStatus.CLOSED),
    }
    SiteSector.objects.create(site=made["east_orange"], sector_id="special_equipment")
    return made


def api(client_for, user, **params):
    return client_for(user).get(API, params)


def ids(response) -> set[int]:
    return {row[0] for row in response.json()["points"]}


# --- scope --------------------------------------------------------------------------------------------------


def test_it_shows_a_street_officer_only_the_places_of_its_street(cast, places, client_for):
    response = api(client_for, cast.street_officer)
    assert response.status_code == 200
    east = {places[k].pk for k in ("east_red", "east_orange", "east_blue", "east_none")}
    assert ids(response) == east
    rows = response.json()["counts"]["rows"]
    assert [row["name"] for row in rows] == ["东街道"]
    assert rows[0]["total"] == 5  # with the place that has no coordinates
    assert response.json()["without_coordinates"] == 1


def test_it_hides_another_streets_places_from_a_street_officer(cast, places, client_for):
    response = api(client_for, cast.other_street_officer)
    assert ids(response) == {places["west_yellow"].pk, places["west_red"].pk}
    response = client_for(cast.other_street_officer).get(PAGE)
    assert "东街道化工厂" not in response.content.decode()


def test_it_shows_a_department_only_the_places_of_its_sectors(cast, places, client_for):
    response = api(client_for, cast.department_officer)  # 应急管理局: hazchem, fireworks, industry_trade
    expected = {places[k].pk for k in ("east_red", "east_orange", "east_none", "west_red", "park_blue")}
    assert ids(response) == expected
    sectors = {row["sector"] for row in response.json()["sectors"]["rows"]}
    assert "construction" not in sectors


def test_it_shows_an_enterprise_only_its_own_places(cast, places, client_for):
    response = api(client_for, cast.enterprise)
    assert ids(response) == {places["east_red"].pk}
    page = client_for(cast.enterprise).get(PAGE)
    assert page.status_code == 200
    assert "territory" not in page.context["form"].fields
    assert [f["properties"]["name"] for f in page.context["areas"]["features"]] == ["东街道"]


def test_it_shows_the_safety_office_its_whole_district_and_nothing_of_another(cast, places, client_for):
    response = api(client_for, cast.safety_officer)
    assert places["far_red"].pk not in ids(response)
    assert len(ids(response)) == 7  # the eighth place of the district has no coordinates
    far = api(client_for, cast.far_safety_officer)
    assert ids(far) == {places["far_red"].pk}


def test_it_leaves_closed_places_off_the_map(cast, places, client_for):
    assert places["closed"].pk not in ids(api(client_for, cast.safety_officer))


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "audit_admin"])
def test_it_shows_administrators_nothing(cast, places, client_for, who):
    user = getattr(cast, who)
    assert client_for(user).get(PAGE).status_code == 404
    assert client_for(user).get(API).status_code == 404
    assert client_for(user).get(EXPORT).status_code == 404
    assert client_for(user).get(API + "export/").status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client_for, places):
    client = client_for(None)
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(API).status_code in (401, 403)
    assert client.get(API + "export/").status_code in (401, 403)


def test_it_offers_only_streets_in_scope_and_the_district_only_to_city_staff(cast, places, client_for):
    form = client_for(cast.safety_officer).get(PAGE).context["form"]
    offered = set(form.fields["territory"].queryset.values_list("name", flat=True))
    assert offered == {"东街道", "西街道", "甲区园区"}
    assert "district" not in form.fields
    assert "territory" not in client_for(cast.street_officer).get(PAGE).context["form"].fields
    city_form = client_for(cast.city_admin).get(PAGE).context["form"]
    assert set(city_form.fields["district"].queryset.values_list("name", flat=True)) == {"甲区", "乙区"}


def test_it_refuses_a_street_outside_the_scope_as_a_filter(cast, places, client_for):
    response = api(client_for, cast.safety_officer, territory=cast.far_street.pk)
    assert response.status_code == 400
    page = client_for(cast.safety_officer).get(PAGE, {"territory": cast.far_street.pk})
    assert page.status_code == 200
    assert page.context["counts"]["total"]["total"] == 0


# --- filters ------------------------------------------------------------------------------------------------


def test_it_filters_by_level_sector_and_street(cast, places, client_for):
    user = cast.safety_officer
    assert ids(api(client_for, user, level="red")) == {places["east_red"].pk, places["west_red"].pk}
    assert ids(api(client_for, user, level="none")) == {places["east_none"].pk}
    assert ids(api(client_for, user, sector="construction")) == {places["west_yellow"].pk}
    assert ids(api(client_for, user, sector="special_equipment")) == {places["east_orange"].pk}
    assert ids(api(client_for, user, territory=cast.park.pk)) == {places["park_blue"].pk}
    both = api(client_for, user, level="red", territory=cast.other_street.pk)
    assert ids(both) == {places["west_red"].pk}
    assert api(client_for, user, level="purple").status_code == 400


def test_a_city_administrator_filters_by_district(cast, places, client_for):
    response = api(client_for, cast.city_admin, district=cast.other_district.pk)
    assert ids(response) == {places["far_red"].pk}


def test_the_sector_filter_keeps_only_that_sectors_row(cast, places, client_for):
    response = api(client_for, cast.safety_officer, sector="special_equipment")
    rows = response.json()["sectors"]["rows"]
    assert [(row["sector"], row["orange"], row["total"]) for row in rows] == [("special_equipment", 1, 1)]


# --- counts -------------------------------------------------------------------------------------------------


def test_the_counts_table_equals_the_points(cast, places, client_for):
    Site.objects.filter(pk=places["east_nocoords"].pk).update(longitude=Decimal("120.11"), latitude=Decimal("30.11"))
    data = api(client_for, cast.safety_officer).json()
    drawn = dict.fromkeys(maps.COLUMNS, 0)
    for row in data["points"]:
        drawn[maps.COLUMNS[row[3]]] += 1
    total = data["counts"]["total"]
    assert {column: total[column] for column in maps.COLUMNS} == drawn
    assert total["total"] == len(data["points"]) == 8
    assert data["without_coordinates"] == 0
    for row in data["counts"]["rows"]:
        assert row["total"] == sum(row[column] for column in maps.COLUMNS)
    by_street = {row["name"]: row for row in data["counts"]["rows"]}
    assert (by_street["东街道"]["red"], by_street["东街道"]["none"], by_street["西街道"]["red"]) == (1, 1, 1)


def test_it_counts_places_of_an_unsettled_street_in_their_own_row(cast, places, client_for):
    site = place(cast, "属地不明自建房", level="orange", sector="self_built_house")
    Site.objects.filter(pk=site.pk).update(territory=None)
    rows = api(client_for, cast.safety_officer).json()["counts"]["rows"]
    assert rows[-1]["territory_id"] is None
    assert rows[-1]["name"] == zh("Street or park not settled")
    assert rows[-1]["orange"] == 1


def test_the_page_shows_the_counts_and_the_legend(cast, places, client_for):
    response = client_for(cast.safety_officer).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="counts-by-street"' in html and 'data-testid="counts-by-sector"' in html
    assert response.context["counts"]["total"]["red"] == 2
    assert zh("Four-colour risk map") in html
    assert zh("Unassessed") in html
    assert 'data-points-url="/api/risk-map/"' in html
    filtered = client_for(cast.safety_officer).get(PAGE, {"level": "red"})
    assert filtered.context["points_url"] == "/api/risk-map/?level=red"
    assert filtered.context["counts"]["total"]["total"] == 2


def test_the_navigation_offers_the_map_to_business_users_only(cast, client_for):
    page = client_for(cast.street_officer).get(PAGE)
    assert 'data-nav="risk_map"' in page.content.decode()
    from anjian.core import navigation

    assert "risk_map" not in [item["key"] for item in navigation.items_for(cast.system_admin)]


# --- installations ------------------------------------------------------------------------------------------


def _installation(site: Site, level: str, name: str = "储罐区") -> MajorHazardSource:
    unit = ChemicalUnit.objects.create(site=site, name=name, kind=ChemicalUnitKind.STORAGE)
    return MajorHazardSource.objects.create(
        site=site,
        unit=unit,
        district=site.district,
        s_value=Decimal("2"),
        r_value=Decimal("20"),
        alpha=Decimal("1.0"),
        level=level,
    )


def test_it_marks_major_hazard_installations_with_the_highest_level_of_the_place(cast, places, client_for):
    _installation(places["east_red"], "3")
    _installation(places["east_red"], "2", name="甲类仓库")
    _installation(places["west_red"], "4")
    rows = api(client_for, cast.street_officer).json()["installations"]
    assert [(row[0], row[3], row[5]) for row in rows] == [(places["east_red"].pk, "2", 2)]
    everything = api(client_for, cast.safety_officer).json()["installations"]
    assert {row[0] for row in everything} == {places["east_red"].pk, places["west_red"].pk}
    assert api(client_for, cast.safety_officer, level="blue").json()["installations"] == []


# --- export -------------------------------------------------------------------------------------------------


def test_the_export_holds_the_counts_of_the_scope_and_filters(cast, places, client_for):
    from anjian.core.models import AuditEntry

    response = client_for(cast.safety_officer).get(EXPORT, {"level": "red"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    streets = [list(row) for row in workbook["按街道园区"].iter_rows(min_row=4, values_only=True)]
    assert ["东街道", 1, 0, 0, 0, 0, 1] in streets
    assert streets[-1] == ["合计", 2, 0, 0, 0, 0, 2]
    assert "乙区工厂" not in str(streets)
    assert AuditEntry.objects.filter(action="risk.map.export").count() == 1
    via_api = client_for(cast.street_officer).get(API + "export/")
    sheet = load_workbook(io.BytesIO(b"".join(via_api.streaming_content)))["按街道园区"]
    assert [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)][-1] == ["合计", 1, 1, 1, 1, 1, 5]


def test_the_export_escapes_names_that_look_like_formulas(cast, client_for):
    from anjian.organizations.choices import OrgUnitKind
    from anjian.organizations.services import create_org_unit

    street = create_org_unit(actor=None, name="=HYPERLINK(1)", kind=OrgUnitKind.STREET, parent=cast.district)
    place(cast, "某场所", territory=street, level="red")
    response = client_for(cast.safety_officer).get(EXPORT)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["按街道园区"]
    assert "'=HYPERLINK(1)" in [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]


# --- queries ------------------------------------------------------------------------------------------------


def _many(cast, n: int) -> None:
    sites = Site.objects.bulk_create(
        Site(
            name=f"批量场所{i}",
            district=cast.district,
            territory=[cast.street, cast.other_street, cast.park][i % 3],
            longitude=Decimal("120.12"),
            latitude=Decimal("30.12"),
            risk_level=["red", "orange", "yellow", "blue", ""][i % 5],
        )
        for i in range(n)
    )
    SiteSector.objects.bulk_create(SiteSector(site=s, sector_id="industry_trade") for s in sites)
    for site in sites[:3]:
        _installation(site, "3")


@pytest.mark.parametrize("url", [API, PAGE, EXPORT])
def test_the_number_of_queries_does_not_grow_with_the_places(cast, client_for, url):
    client = client_for(cast.safety_officer)
    _many(cast, 5)
    client.get(url)  # warm caches (sectors, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(cast, 300)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
        assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    print(f"\n{url}: {len(few)} queries for 5 places, {len(many)} for 305")


# --- street shading -----------------------------------------------------------------------------------------


def test_it_shades_the_streets_the_user_may_see_by_their_risk_index(cast, places, client_for):
    areas = client_for(cast.safety_officer).get(PAGE).context["areas"]["features"]
    assert [f["properties"]["name"] for f in areas] == ["东街道"]  # the only street of 甲区 with a boundary
    properties = areas[0]["properties"]
    assert properties["rank"] >= 1 and properties["of"] == 3  # 东街道, 西街道, 甲区园区 are ranked
    assert properties["shade"] == maps.shade_of(properties["score"])
    other = client_for(cast.other_street_officer).get(PAGE).context["areas"]["features"]
    assert other == []  # 西街道 has no boundary, and 东街道 is not its street
    enterprise = client_for(cast.enterprise).get(PAGE).context["areas"]["features"]
    assert enterprise[0]["properties"]["shade"] is None  # an enterprise is not shown the district's index


@pytest.mark.parametrize(
    ("score", "shade"), [(None, None), (0, 0), (19.99, 0), (20, 1), (59.9, 2), (60, 3), (80, 4), (100, 4)]
)
def test_the_shading_classes_are_bands_of_twenty(score, shade):
    assert maps.shade_of(None if score is None else Decimal(str(score))) == shade
