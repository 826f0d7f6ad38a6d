"""Every accident page, export and endpoint tried by the whole cast: in scope 200 (the street for an accident
in 东街道, the emergency bureau for a hazchem accident, the safety office, the leader, the city, the
enterprise at its own place), out of scope 404 and absent from lists, exports and the API, the three
administrators see nothing, anonymous visitors go to the login page (pages) or get 401 (API)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from anjian.accidents import services
from anjian.accidents.tests.test_record_pages import record
from anjian.accounts.services import issue_api_token
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import loop_place
from anjian.organizations.models import Sector
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

IN_SCOPE = ["street_officer", "department_officer", "inspector", "enterprise", "leader", "safety_officer", "city_admin"]
OUT_OF_SCOPE = ["other_street_officer", "far_safety_officer"]
ADMINISTRATORS = ["system_admin", "security_admin", "audit_admin"]
MEMBERS = IN_SCOPE + OUT_OF_SCOPE + ADMINISTRATORS


@shared_fixture
def world(cast):
    place = loop_place(cast)  # hazchem, 东街道, the cast's enterprise
    accident = record(
        cast, site=place, sector=Sector.objects.get(code="hazchem"), address="", accident_type="poisoning"
    )
    investigation = services.open_investigation(
        actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="区安办"
    )
    west_place = make_site(district=cast.district, territory=cast.other_street, sectors=(("construction", ""),))
    west = record(
        cast,
        site=west_place,
        territory=cast.other_street,
        sector=Sector.objects.get(code="construction"),
        accident_type="fall",
    )
    return {"accident": accident, "investigation": investigation, "west": west}


@pytest.mark.parametrize("member", MEMBERS)
def test_the_detail_answers_by_scope(cast, client_for, world, member):
    response = client_for(getattr(cast, member)).get(reverse("accidents:accident_detail", args=[world["accident"].pk]))
    assert response.status_code == (200 if member in IN_SCOPE else 404)


@pytest.mark.parametrize("member", MEMBERS)
def test_the_lists_and_the_export_hold_exactly_what_is_in_scope(cast, client_for, world, member):
    client = client_for(getattr(cast, member))
    pages = [reverse("accidents:accident_list"), reverse("accidents:investigation_list")]
    export = client.get(reverse("accidents:accident_export"))
    if member in ADMINISTRATORS:
        assert [client.get(url).status_code for url in pages] == [404, 404]
        assert export.status_code == 404
        return
    listed = {a.pk for a in client.get(pages[0]).context["page_obj"]}
    investigations = {i.pk for i in client.get(pages[1]).context["page_obj"]}
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content)), read_only=True).worksheets[0]
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    in_scope = member in IN_SCOPE
    assert (world["accident"].pk in listed) == in_scope
    assert (world["accident"].pk in exported) == in_scope
    assert (world["investigation"].pk in investigations) == in_scope
    # The west accident is construction in 西街道: only the district, the city and that street see it.
    sees_west = member in ("leader", "safety_officer", "city_admin", "other_street_officer")
    assert (world["west"].pk in listed) == sees_west
    assert (world["west"].pk in exported) == sees_west


@pytest.mark.parametrize("member", MEMBERS)
def test_the_api_answers_by_scope(cast, world, member):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=getattr(cast, member)).key}")
    accident, investigation = world["accident"], world["investigation"]
    expected = 200 if member in IN_SCOPE else 404
    assert client.get(f"/api/accidents/{accident.pk}/").status_code == expected
    assert client.get(f"/api/investigations/{investigation.pk}/").status_code == expected
    listed = {row["id"] for row in client.get("/api/accidents/").json()["results"]}
    assert (accident.pk in listed) == (member in IN_SCOPE)
    investigations = {row["id"] for row in client.get("/api/investigations/").json()["results"]}
    assert (investigation.pk in investigations) == (member in IN_SCOPE)


def test_anonymous_visitors_see_nothing(client_for, world):
    client = client_for(None)
    accident, investigation = world["accident"], world["investigation"]
    for url in (
        reverse("accidents:accident_list"),
        reverse("accidents:accident_export"),
        reverse("accidents:accident_detail", args=[accident.pk]),
        reverse("accidents:investigation_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for url in (
        reverse("accidents:accident_correct", args=[accident.pk]),
        reverse("accidents:investigation_close", args=[investigation.pk]),
    ):
        assert client.post(url).status_code == 302
    api = APIClient()
    assert api.get(f"/api/accidents/{accident.pk}/").status_code == 401
    assert api.post(f"/api/investigations/{investigation.pk}/close/").status_code == 401


@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer", "city_admin"])
def test_the_navigation_offers_accidents_to_business_users(cast, client_for, member):
    content = client_for(getattr(cast, member)).get(reverse("dashboards:home")).content.decode()
    assert 'data-nav="accidents"' in content


@pytest.mark.parametrize("member", ADMINISTRATORS)
def test_the_navigation_hides_accidents_from_administrators(cast, client_for, member):
    response = client_for(getattr(cast, member)).get(reverse("dashboards:home"), follow=True)
    assert 'data-nav="accidents"' not in response.content.decode()
