"""Every hazard page, document, export and photo URL tried by the whole cast: in scope 200, out of scope 404
(and absent from the list and the export), the three administrators 404 everywhere, anonymous visitors to
the login page."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.models import Photo
from anjian.inspections.testing import found_hazard, loop_place
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

# Who sees the hazard of the place in the cast's street (hazchem: the emergency bureau supervises it).
IN_SCOPE = ["street_officer", "department_officer", "inspector", "enterprise", "leader", "safety_officer", "city_admin"]
OUT_OF_SCOPE = ["other_street_officer", "far_safety_officer"]
ADMINISTRATORS = ["system_admin", "security_admin", "audit_admin"]
MEMBERS = IN_SCOPE + OUT_OF_SCOPE + ADMINISTRATORS


@shared_fixture
def world(cast):
    place = loop_place(cast)
    hazard = found_hazard(cast, place)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=timezone.localdate(), legal_basis="法")
    west = make_site(district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name="西仓库")
    west_hazard = found_hazard(cast, west, inspector=cast.other_street_officer, seed=3)
    return {"hazard": hazard, "photo": Photo.objects.get(hazard=hazard), "west": west_hazard}


def _urls(world) -> dict[str, str]:
    hazard = world["hazard"]
    return {
        "detail": reverse("inspections:hazard_detail", args=[hazard.pk]),
        "docx": reverse("inspections:notice_docx", args=[hazard.pk]),
        "photo": reverse("inspections:photo_file", args=[world["photo"].pk]),
        "thumbnail": reverse("inspections:photo_thumbnail", args=[world["photo"].pk]),
    }


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("page", ["detail", "docx", "photo", "thumbnail"])
def test_each_hazard_url_answers_by_scope(cast, client_for, world, member, page):
    response = client_for(getattr(cast, member)).get(_urls(world)[page])
    assert response.status_code == (200 if member in IN_SCOPE else 404)


@pytest.mark.parametrize("member", MEMBERS)
def test_the_list_holds_exactly_the_hazards_in_scope(cast, client_for, world, member):
    response = client_for(getattr(cast, member)).get(reverse("inspections:hazard_list"))
    if member in ADMINISTRATORS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = {h.pk for h in response.context["page_obj"]}
    assert (world["hazard"].pk in listed) == (member in IN_SCOPE)
    # The west warehouse is hazchem too: the emergency bureau supervises it across the district.
    sees_west = member not in ("street_officer", "enterprise", "far_safety_officer")
    assert (world["west"].pk in listed) == sees_west


@pytest.mark.parametrize("member", MEMBERS)
def test_the_export_holds_exactly_the_hazards_in_scope(cast, client_for, world, member):
    response = client_for(getattr(cast, member)).get(reverse("inspections:hazard_export"))
    if member in ADMINISTRATORS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (world["hazard"].number in numbers) == (member in IN_SCOPE)


@pytest.mark.parametrize("member", OUT_OF_SCOPE + ADMINISTRATORS)
@pytest.mark.parametrize("action", ["acknowledge", "escalate", "verify", "no_such_action"])
def test_actions_outside_scope_answer_404_and_change_nothing(cast, client_for, world, member, action):
    hazard = world["hazard"]
    url = reverse("inspections:hazard_action", args=[hazard.pk, action])
    response = client_for(getattr(cast, member)).post(url, {"note": "x", "official": "x", "new_deadline": "2031-01-01"})
    assert response.status_code == 404
    hazard.refresh_from_db()
    assert hazard.status == "notice_issued"
    assert not hazard.escalations.exists()


@pytest.mark.parametrize("member", ["enterprise", "street_officer"])
def test_an_action_in_scope_goes_through(cast, client_for, world, member):
    hazard = world["hazard"]
    url = reverse("inspections:hazard_action", args=[hazard.pk, "acknowledge"])
    assert client_for(getattr(cast, member)).post(url, {"note": ""}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"


@pytest.mark.parametrize("member", MEMBERS)
def test_the_enforcement_desk_is_for_business_users(cast, client_for, world, member):
    response = client_for(getattr(cast, member)).get(reverse("inspections:enforcement_list"))
    assert response.status_code == (404 if member in ADMINISTRATORS else 200)


def test_photos_are_served_privately_with_their_stored_type(cast, client_for, world):
    client = client_for(cast.enterprise)
    photo = world["photo"]
    response = client.get(reverse("inspections:photo_file", args=[photo.pk]))
    assert response["Content-Type"] == photo.content_type
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    photo.file.open("rb")
    assert body == photo.file.read()
    photo.file.close()
    thumb = client.get(reverse("inspections:photo_thumbnail", args=[photo.pk]))
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"].startswith("private")
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"


def test_a_photo_that_does_not_exist_is_404(cast, client_for, world):
    assert client_for(cast.safety_officer).get(reverse("inspections:photo_file", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [
        ("inspections:hazard_list", []),
        ("inspections:hazard_export", []),
        ("inspections:hazard_detail", ["hazard"]),
        ("inspections:notice_docx", ["hazard"]),
        ("inspections:photo_file", ["photo"]),
        ("inspections:photo_thumbnail", ["photo"]),
        ("inspections:enforcement_list", []),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(client_for, world, name, args):
    response = client_for(None).get(reverse(name, args=[world[a].pk for a in args]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_actions_go_to_the_login_page_and_change_nothing(client_for, world):
    hazard = world["hazard"]
    response = client_for(None).post(reverse("inspections:hazard_action", args=[hazard.pk, "acknowledge"]), {})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    hazard.refresh_from_db()
    assert hazard.status == "notice_issued"
