"""Pages of the city risk ranking, each tried in scope, out of scope and anonymous: a street officer sees its
street's place but not the other streets' rows; enterprises and the three administrators see nothing."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.risk.models import RiskSnapshot, RiskUnit
from anjian.risk.tests.test_city_ranking import accident, places

pytestmark = pytest.mark.django_db

NOBODY = ("enterprise", "system_admin", "security_admin", "audit_admin")


@shared_fixture
def data(cast):
    places(cast.district, cast.street, "crowded_place", "red", "red")
    places(cast.district, cast.other_street, "crowded_place", "orange")
    places(cast.other_district, cast.far_street, "construction", "red")
    accident(cast, cast.far_street, deaths=3, category="road_traffic")
    return cast


def test_it_shows_the_district_ranking_with_the_users_district(client_for, data):
    cast = data
    page = client_for(cast.safety_officer).get(reverse("risk:ranking"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-own="1"' in html and f'data-area="{cast.district.pk}"' in html
    assert f'data-area="{cast.other_district.pk}"' in html  # the city publishes every district's rank
    own = page.context["own"]
    assert own.area == cast.district
    assert (
        zh("Your district ranks No. %(rank)s of %(of)s in the city (live score %(score)s).")
        % {
            "rank": own.rank,
            "of": 2,
            "score": own.score,
        }
        in html
    )
    method = zh(
        "A higher score means a higher risk; rank 1 is the highest risk. Each indicator is normalised to 0–100 "
        "between the lowest and the highest area (an indicator equal in every area gives 0: it does not tell the "
        "areas apart); a unit's score is the weighted sum of its indicators, the overall score the weighted sum "
        "of the units. Equal scores share a rank."
    )
    assert method.split("；")[0].split(";")[0] in html
    for user in (cast.city_admin, cast.leader, cast.department_officer, cast.street_officer, cast.far_safety_officer):
        assert client_for(user).get(reverse("risk:ranking")).status_code == 200
    for role in NOBODY:
        assert client_for(getattr(cast, role)).get(reverse("risk:ranking")).status_code == 404
    anonymous = client_for(None).get(reverse("risk:ranking"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_it_shows_a_street_only_its_own_row_of_the_street_ranking(client_for, data):
    cast = data
    url = reverse("risk:street_ranking", args=[cast.district.pk])
    full = client_for(cast.safety_officer).get(url)
    assert full.status_code == 200
    assert [row.area for row in full.context["rows"]] == [cast.street, cast.other_street, cast.park]

    page = client_for(cast.street_officer).get(url)
    assert page.status_code == 200
    assert [row.area for row in page.context["rows"]] == [cast.street]
    html = page.content.decode()
    assert cast.other_street.name not in html and cast.park.name not in html
    assert (
        zh("%(name)s ranks No. %(rank)s of %(of)s in the district (live score %(score)s).")
        % {
            "name": cast.street.name,
            "rank": 1,
            "of": 3,
            "score": page.context["rows"][0].score,
        }
        in html
    )
    # Every unit's tab keeps to the street's own row.
    tab = client_for(cast.street_officer).get(url + "?unit=crowded_places")
    assert [row.area for row in tab.context["rows"]] == [cast.street]

    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert client_for(cast.city_admin).get(url).status_code == 200
    for role in NOBODY:
        assert client_for(getattr(cast, role)).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(cast.safety_officer).get(reverse("risk:street_ranking", args=[cast.street.pk])).status_code == 404


def test_it_explains_a_score_only_to_those_who_may_see_the_area(client_for, data):
    cast = data
    url = reverse("risk:ranking_explain", args=[cast.other_street.pk])
    page = client_for(cast.safety_officer).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="explain-crowded_places"' in html
    assert "0.35" in html  # the weight of red and orange places
    assert client_for(cast.street_officer).get(url).status_code == 404  # another street
    assert client_for(cast.other_street_officer).get(url).status_code == 200
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert (
        client_for(cast.far_safety_officer).get(reverse("risk:ranking_explain", args=[cast.district.pk])).status_code
        == 200
    )  # districts are published
    assert client_for(cast.enterprise).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_it_exports_what_the_user_may_see(client_for, data):
    cast = data
    url = reverse("risk:ranking_export") + f"?district={cast.district.pk}"
    response = client_for(cast.street_officer).get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    overall = workbook.worksheets[0]
    names = [row[1] for row in overall.iter_rows(min_row=2, values_only=True)]
    assert names == [cast.street.name]
    assert AuditEntry.objects.filter(action="risk.ranking.export").count() == 1

    response = client_for(cast.safety_officer).get(url)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(list(workbook.worksheets[0].iter_rows(min_row=2))) == 3
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert client_for(cast.enterprise).get(reverse("risk:ranking_export")).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_it_lets_the_city_administrator_configure_and_district_users_read(client_for, data):
    cast = data
    url = reverse("risk:ranking_config")
    assert client_for(cast.safety_officer).get(url).status_code == 200
    assert 'data-testid="read-only"' in client_for(cast.safety_officer).get(url).content.decode()
    assert client_for(cast.safety_officer).post(url, {"action": "adopt"}).status_code == 403
    assert client_for(cast.street_officer).get(url).status_code == 404
    assert client_for(cast.enterprise).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302

    admin = client_for(cast.city_admin)
    assert admin.post(url, {"action": "adopt"}).status_code == 302
    assert RiskUnit.objects.filter(city=cast.city).count() == 6
    # Inconsistent AHP judgements: refused with CR, nothing changed.
    bad = {"action": "unit_weights", "method": "ahp", "m_0_1": "9", "m_1_2": "9", "m_0_2": "1/9"}
    page = admin.post(url, bad, follow=True)
    assert "CR = " in page.content.decode()
    assert RiskUnit.objects.get(city=cast.city, code="crowded_places").weight.normalize() == 0.25
    good = {"action": "unit_weights", "method": "direct", "w_crowded_places": "0.5", "w_public_facilities": "0.1"}
    good |= {"w_industry_hazchem": "0.1", "w_road_traffic": "0.1", "w_construction": "0.1", "w_natural_hazards": "0.1"}
    assert admin.post(url, good).status_code == 302
    assert RiskUnit.objects.get(city=cast.city, code="crowded_places").weight.normalize() == 0.5


def test_it_records_the_years_ranking_and_draws_the_trend(client_for, data):
    cast = data
    url = reverse("risk:ranking_snapshot")
    year = timezone.localdate().year
    assert client_for(cast.street_officer).post(url, {"year": year, "district": cast.district.pk}).status_code == 403
    assert client_for(cast.enterprise).post(url, {"year": year}).status_code == 404
    assert client_for(None).post(url, {"year": year}).status_code == 302
    assert client_for(cast.city_admin).post(url, {"year": year - 1}).status_code == 302
    assert client_for(cast.city_admin).post(url, {"year": year}).status_code == 302
    assert RiskSnapshot.objects.filter(year=year - 1).exists()
    page = client_for(cast.safety_officer).get(reverse("risk:ranking"))
    assert page.context["chart"]["years"] == [year - 1, year]
    assert 'data-testid="ranking-trend"' in page.content.decode()
    street = client_for(cast.street_officer).get(reverse("risk:street_ranking", args=[cast.district.pk]))
    assert [s["name"] for s in street.context["chart"]["series"]] == [cast.street.name]


def test_it_renders_the_ranking_in_the_same_number_of_queries_for_more_records(client_for, data):
    cast = data
    client = client_for(cast.safety_officer)
    url = reverse("risk:street_ranking", args=[cast.district.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    places(cast.district, cast.street, "crowded_place", *["red"] * 20)
    places(cast.district, cast.park, "hazchem", *["orange"] * 20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_it_adds_the_ranking_to_the_accident_briefing_in_the_readers_scope(data):
    from types import SimpleNamespace

    from docx import Document

    from anjian.accidents import briefing

    cast = data
    section = next(s for s in briefing.sections() if s.key == "risk_ranking")
    assert section.order == 40
    document = Document()
    context = SimpleNamespace(user=cast.street_officer)
    assert section.has_data(context)
    section.write(document, context)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "在全市2个区中排第" in text
    assert cast.street.name in cells and cast.other_street.name not in cells  # a street: its own row only
    assert not section.has_data(SimpleNamespace(user=cast.enterprise))


def test_it_records_every_citys_ranking_by_command(data):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("record_risk_ranking", "--year", str(timezone.localdate().year - 1), stdout=out)
    assert "测试市" in out.getvalue()
    assert RiskSnapshot.objects.filter(year=timezone.localdate().year - 1, area=data.far_street).exists()
