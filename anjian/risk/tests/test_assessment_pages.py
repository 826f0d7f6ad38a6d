"""Pages of risk grading: assess a place (formset), the assessment list and detail, the place's risk tab, the
bands and frequency editors, the places overdue for inspection and their export. Every page in scope, out of
scope (404), anonymous (login) and for the three administrators (404); constant queries for few and many rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.registry.models import Site
from anjian.risk.models import RiskAssessment, RiskBandThreshold
from anjian.risk.tests.assessments import assess, committed, place

pytestmark = pytest.mark.django_db

ADMINS = ("system_admin", "security_admin", "audit_admin")


@shared_fixture
def east(cast):
    site = place(cast, name="东街仓库", enterprise_n=401)
    assess(cast, site, "orange")
    return site


@shared_fixture
def west(cast):
    site = place(cast, name="西街工地", territory=cast.other_street, sectors=(("construction", ""),))
    assess(cast, site, "blue")
    return site


def point_form(n: int, **values) -> dict:
    base = {"name": "", "accident_type": "", "controls": "", "method": "lec"}
    return {f"points-{n}-{key}": value for key, value in {**base, **values}.items()}


def assess_post(points: list[dict], assessed_on=None) -> dict:
    data = {
        "assessed_on": (assessed_on or timezone.localdate()).isoformat(),
        "method_summary": "",
        "note": "年度评估",
        "points-TOTAL_FORMS": str(len(points)),
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
    }
    for n, values in enumerate(points):
        data.update(point_form(n, **values))
    return data


def test_it_assesses_a_place_through_the_page(cast, client_for, east):
    client = client_for(cast.street_officer)
    url = reverse("risk:assessment_create", args=[east.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Three empty points, plus the template the "add a point" button copies.
    assert page.content.decode().count('data-testid="risk-point-form"') == 4
    data = assess_post(
        [
            {"name": "储罐区", "accident_type": "fire", "method": "lec", "lec_l": "10", "lec_e": "6", "lec_c": "7"},
            {"name": "装卸", "accident_type": "vehicle", "method": "ls", "ls_l": "3", "ls_s": "3"},
            {},  # an untouched extra form is ignored
        ]
    )
    with committed():
        response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=risk")
    latest = RiskAssessment.objects.filter(site=east).latest_first().first()
    assert latest.level == "red" and latest.points.count() == 2 and latest.assessed_by == cast.street_officer
    east.refresh_from_db()
    assert east.risk_level == "red"


def test_bad_input_shows_chinese_errors_and_saves_nothing(cast, client_for, east):
    client = client_for(cast.safety_officer)
    before = RiskAssessment.objects.count()
    url = reverse("risk:assessment_create", args=[east.pk])
    future = timezone.localdate() + datetime.timedelta(days=3)
    cases = [
        assess_post([{"name": "点", "accident_type": "fire", "method": "lec", "lec_l": "10"}]),
        assess_post([{}]),
        assess_post([{"name": "点", "accident_type": "fire", "method": "ls", "ls_l": "9", "ls_s": "1"}]),
        assess_post([{"name": "点", "accident_type": "fire", "method": "ls", "ls_l": "2", "ls_s": "2"}], future),
        {"assessed_on": "not a date"},
    ]
    for data in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert zh("Choose a value for this method.") in client.post(url, cases[0]).content.decode()
    assert zh("The assessment cannot be dated in the future.") in client.post(url, cases[3]).content.decode()
    assert RiskAssessment.objects.count() == before


def test_who_may_assess(cast, client_for, east):
    url = reverse("risk:assessment_create", args=[east.pk])
    for name in ("street_officer", "department_officer", "safety_officer", "city_admin"):
        assert client_for(getattr(cast, name)).get(url).status_code == 200, name
    for name in ("leader", "enterprise"):  # they see the place but do not change it
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    for name in ("other_street_officer", "far_safety_officer", *ADMINS):
        assert client_for(getattr(cast, name)).get(url).status_code == 404, name
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_list_and_detail_are_scoped(cast, client_for, east, west):
    east_assessment = east.risk_assessments.get()
    list_url = reverse("risk:assessment_list")
    detail_url = reverse("risk:assessment_detail", args=[east_assessment.pk])
    expected = {
        "street_officer": {east.pk},
        "other_street_officer": {west.pk},
        "department_officer": {east.pk},
        "enterprise": {east.pk},
        "leader": {east.pk, west.pk},
        "safety_officer": {east.pk, west.pk},
        "city_admin": {east.pk, west.pk},
        "far_safety_officer": set(),
    }
    for name, sites in expected.items():
        client = client_for(getattr(cast, name))
        response = client.get(list_url)
        assert response.status_code == 200
        assert {a.site_id for a in response.context["page_obj"]} == sites, name
        assert client.get(detail_url).status_code == (200 if east.pk in sites else 404), name
    for name in ADMINS:
        assert client_for(getattr(cast, name)).get(list_url).status_code == 404
        assert client_for(getattr(cast, name)).get(detail_url).status_code == 404
    assert client_for(None).get(list_url).status_code == 302
    assert client_for(None).get(detail_url).status_code == 302


def test_the_risk_tab_shows_level_reason_points_and_history(cast, client_for, east):
    assess(cast, east, "red", days_ago=0)
    url = reverse("registry:site_detail", args=[east.pk]) + "?tab=risk"
    page = client_for(cast.street_officer).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    east.refresh_from_db()
    assert east.risk_reason in html
    assert 'data-testid="risk-points"' in html
    assert html.count("data-assessment=") == 2
    assert 'data-testid="assess-site"' in html
    leader_page = client_for(cast.leader).get(url).content.decode()
    assert 'data-testid="assess-site"' not in leader_page
    assert client_for(cast.other_street_officer).get(url).status_code == 404


def test_an_unassessed_place_shows_unassessed(cast, client_for):
    site = place(cast, name="未评估场所")
    html = client_for(cast.safety_officer).get(reverse("registry:site_detail", args=[site.pk]) + "?tab=risk")
    assert zh("This place has not been assessed yet.") in html.content.decode()
    assert zh("Unassessed") in html.content.decode()


def test_the_list_runs_constant_queries(cast, client_for, east):
    client = client_for(cast.safety_officer)
    url = reverse("risk:assessment_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        assess(cast, place(cast, name=f"更多{n}"), "yellow")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page_obj"]) == 6
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_risk_tab_runs_constant_queries(cast, client_for, east):
    client = client_for(cast.safety_officer)
    url = reverse("registry:site_detail", args=[east.pk]) + "?tab=risk"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(4):
        with committed():
            from anjian.risk import services

            services.assess_site(
                actor=cast.safety_officer,
                site=east,
                assessed_on=timezone.localdate(),
                points=[
                    {"name": "a", "accident_type": "fire", "method": "ls", "ls_l": 2, "ls_s": 2},
                    {"name": "b", "accident_type": "fall", "method": "ls", "ls_l": 3, "ls_s": 5},
                ],
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def band_post(lec=("400", "200", "100"), ls=("16", "12", "6"), district=None) -> dict:
    data = {}
    for method, values in (("lec", lec), ("ls", ls)):
        for level, value in zip(("red", "orange", "yellow"), values, strict=True):
            data[f"{method}_{level}"] = value
    if district is not None:
        data["district"] = district.pk
    return data


def test_the_safety_office_edits_the_bands_on_the_page(cast, client_for, east):
    client = client_for(cast.safety_officer)
    url = reverse("risk:thresholds")
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="threshold-form"' in page.content.decode()
    with committed():
        assert client.post(url, band_post()).status_code == 302
    assert RiskBandThreshold.objects.filter(district=cast.district).count() == 6
    east.refresh_from_db()
    assert east.risk_level == "orange"  # D = 252 is orange under 400/200/100 too
    bad = client.post(url, band_post(lec=("100", "200", "300")))
    assert bad.status_code == 200
    assert zh("The bounds must fall from red to orange to yellow.") in bad.content.decode()


def test_others_read_the_bands_and_cannot_change_them(cast, client_for):
    url = reverse("risk:thresholds")
    for name in ("street_officer", "department_officer", "leader", "enterprise"):
        client = client_for(getattr(cast, name))
        page = client.get(url)
        assert page.status_code == 200 and 'data-testid="threshold-table"' in page.content.decode(), name
        assert client.post(url, band_post()).status_code == 403, name
    assert client_for(cast.safety_officer).get(url, {"district": cast.other_district.pk}).status_code == 404
    assert client_for(cast.city_admin).get(url, {"district": cast.other_district.pk}).status_code == 200
    for name in ADMINS:
        assert client_for(getattr(cast, name)).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert not RiskBandThreshold.objects.exists()


def test_the_frequency_page(cast, client_for):
    url = reverse("risk:frequency")
    client = client_for(cast.safety_officer)
    assert 'data-testid="frequency-form"' in client.get(url).content.decode()
    assert client.post(url, {"red": 20, "orange": 60, "yellow": 120, "blue": 300}).status_code == 302
    bad = client.post(url, {"red": 200, "orange": 60, "yellow": 120, "blue": 300})
    assert zh("A higher risk level must be inspected at least as often as a lower one.") in bad.content.decode()
    assert client_for(cast.street_officer).post(url, {"red": 1, "orange": 2, "yellow": 3, "blue": 4}).status_code == 403
    assert 'data-testid="frequency-table"' in client_for(cast.street_officer).get(url).content.decode()
    for name in ADMINS:
        assert client_for(getattr(cast, name)).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_the_overdue_page_and_export_are_scoped(cast, client_for, east, west):
    url = reverse("risk:overdue_sites")
    export = reverse("risk:overdue_export")
    for name, expected in (
        ("street_officer", {east.pk}),
        ("other_street_officer", {west.pk}),
        ("safety_officer", {east.pk, west.pk}),
        ("far_safety_officer", set()),
    ):
        client = client_for(getattr(cast, name))
        response = client.get(url)
        assert {site.pk for site in response.context["page_obj"]} == expected, name
        workbook = load_workbook(io.BytesIO(b"".join(client.get(export).streaming_content)))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert {row[0] for row in rows[1:]} == {s.name for s in Site.objects.filter(pk__in=expected)}, name
    for name in ADMINS:
        assert client_for(getattr(cast, name)).get(url).status_code == 404
        assert client_for(getattr(cast, name)).get(export).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(None).get(export).status_code == 302


def test_the_export_escapes_formulas_and_follows_filters(cast, client_for, east):
    Site.objects.filter(pk=east.pk).update(name="=HYPERLINK(1)")
    other = place(cast, name="另一处")
    assess(cast, other, "red")
    client = client_for(cast.safety_officer)
    body = b"".join(client.get(reverse("risk:overdue_export"), {"risk_level": "orange"}).streaming_content)
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)"]
    assert rows[1][6] == "从未检查"


def test_the_overdue_page_runs_constant_queries(cast, client_for, east):
    client = client_for(cast.safety_officer)
    url = reverse("risk:overdue_sites")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        assess(cast, place(cast, name=f"逾期{n}"), "red")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page_obj"]) == 6
    assert len(few.captured_queries) == len(many.captured_queries)
