"""The risk grading API: /api/risk-assessments/ (list, read, record), /api/risk-thresholds/ (read, change by
the safety office), /api/overdue-sites/. In scope, out of scope (404), anonymous (401) and the three
administrators; constant queries for few and many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.risk.models import RiskAssessment, RiskBandThreshold
from anjian.risk.tests.assessments import assess, committed, place

pytestmark = pytest.mark.django_db

ADMINS = ("system_admin", "security_admin", "audit_admin")


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
        return client

    return client_for


@shared_fixture
def east(cast):
    site = place(cast, name="东街仓库", enterprise_n=402)
    assess(cast, site, "orange")
    return site


@shared_fixture
def west(cast):
    site = place(cast, name="西街工地", territory=cast.other_street, sectors=(("construction", ""),))
    assess(cast, site, "blue")
    return site


def body(site, points=None) -> dict:
    return {
        "site": site.pk,
        "assessed_on": timezone.localdate().isoformat(),
        "note": "接口评估",
        "points": points
        or [
            {"name": "储罐区", "accident_type": "fire", "method": "lec", "lec_l": "10", "lec_e": "6", "lec_c": "15"},
            {"name": "叉车", "accident_type": "vehicle", "method": "ls", "ls_l": 2, "ls_s": 3},
        ],
    }


def test_it_lists_assessments_in_scope(cast, api, east, west):
    expected = {
        "street_officer": {east.pk},
        "other_street_officer": {west.pk},
        "department_officer": {east.pk},
        "enterprise": {east.pk},
        "leader": {east.pk, west.pk},
        "safety_officer": {east.pk, west.pk},
        "city_admin": {east.pk, west.pk},
        "far_safety_officer": set(),
        **{name: set() for name in ADMINS},
    }
    for name, sites in expected.items():
        response = api(getattr(cast, name)).get("/api/risk-assessments/")
        assert response.status_code == 200, name
        assert {row["site"] for row in response.json()["results"]} == sites, name
    assert api(None).get("/api/risk-assessments/").status_code == 401


def test_it_reads_one_assessment_in_scope_only(cast, api, east):
    pk = east.risk_assessments.get().pk
    response = api(cast.street_officer).get(f"/api/risk-assessments/{pk}/")
    assert response.status_code == 200
    assert response.json()["points"][0]["level"] == "orange"
    for name in ("other_street_officer", "far_safety_officer", *ADMINS):
        assert api(getattr(cast, name)).get(f"/api/risk-assessments/{pk}/").status_code == 404, name
    assert api(None).get(f"/api/risk-assessments/{pk}/").status_code == 401


def test_it_records_an_assessment(cast, api, east):
    with committed():
        response = api(cast.department_officer).post("/api/risk-assessments/", body(east), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["level"] == "red"  # D = 900
    assert [p["score"] for p in data["points"]] == ["900.00", "6.00"]
    east.refresh_from_db()
    assert east.risk_level == "red"
    assert RiskAssessment.objects.filter(site=east).count() == 2


def test_it_refuses_outside_scope_readers_and_bad_input(cast, api, east):
    before = RiskAssessment.objects.count()
    assert api(cast.other_street_officer).post("/api/risk-assessments/", body(east), format="json").status_code == 404
    assert api(cast.system_admin).post("/api/risk-assessments/", body(east), format="json").status_code == 404
    refused = api(cast.leader).post("/api/risk-assessments/", body(east), format="json")
    assert refused.status_code == 403
    assert api(cast.enterprise).post("/api/risk-assessments/", body(east), format="json").status_code == 403
    assert api(None).post("/api/risk-assessments/", body(east), format="json").status_code == 401
    bad = api(cast.safety_officer).post(
        "/api/risk-assessments/",
        body(east, [{"name": "x", "accident_type": "fire", "method": "lec", "lec_l": "7", "lec_e": "6", "lec_c": "7"}]),
        format="json",
    )
    assert bad.status_code == 400
    assert zh("Choose %(factor)s from the list.") % {"factor": "L"} in str(bad.json())
    assert api(cast.safety_officer).post("/api/risk-assessments/", {"site": "x"}, format="json").status_code == 400
    assert RiskAssessment.objects.count() == before


def test_the_list_runs_constant_queries(cast, api, east):
    client = api(cast.safety_officer)
    client.get("/api/risk-assessments/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/risk-assessments/")
    for n in range(4):
        assess(cast, place(cast, name=f"更多{n}"), "red")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/risk-assessments/").json()["count"] == 5
    assert len(few.captured_queries) == len(many.captured_queries)


def bands(red="330"):
    return {
        "lec": {"red": red, "orange": "160", "yellow": "70"},
        "ls": {"red": "20", "orange": "15", "yellow": "9"},
    }


def test_thresholds_are_read_in_scope_and_changed_by_the_safety_office(cast, api):
    rows = api(cast.street_officer).get("/api/risk-thresholds/").json()
    assert [(r["district"], r["lec"]["red"], r["editable"]) for r in rows] == [(cast.district.pk, "320.00", False)]
    assert len(api(cast.city_admin).get("/api/risk-thresholds/").json()) == 2
    url = f"/api/risk-thresholds/{cast.district.pk}/"
    assert api(cast.street_officer).put(url, bands(), format="json").status_code == 403
    assert api(cast.far_safety_officer).put(url, bands(), format="json").status_code == 404
    assert api(cast.far_safety_officer).get(url).status_code == 404
    for name in ADMINS:
        assert api(getattr(cast, name)).get("/api/risk-thresholds/").json() == []
        assert api(getattr(cast, name)).get(url).status_code == 404
    assert api(None).get("/api/risk-thresholds/").status_code == 401
    assert api(cast.safety_officer).put(url, bands("100"), format="json").status_code == 400
    assert not RiskBandThreshold.objects.exists()
    with committed():
        changed = api(cast.safety_officer).put(url, bands(), format="json")
    assert changed.status_code == 200 and changed.json()["lec"]["red"] == "330.00"


def test_overdue_sites_in_scope(cast, api, east, west):
    for name, expected in (
        ("street_officer", {east.pk}),
        ("other_street_officer", {west.pk}),
        ("safety_officer", {east.pk, west.pk}),
        ("far_safety_officer", set()),
        *((name, set()) for name in ADMINS),
    ):
        response = api(getattr(cast, name)).get("/api/overdue-sites/")
        assert {row["id"] for row in response.json()["results"]} == expected, name
    row = api(cast.street_officer).get("/api/overdue-sites/").json()["results"][0]
    assert (row["risk_level"], row["interval_days"], row["last_inspected"]) == ("orange", 91, None)
    assert api(None).get("/api/overdue-sites/").status_code == 401
    filtered = api(cast.safety_officer).get("/api/overdue-sites/", {"risk_level": "blue"}).json()["results"]
    assert [r["id"] for r in filtered] == [west.pk]


def test_overdue_sites_run_constant_queries(cast, api, east):
    client = api(cast.safety_officer)
    client.get("/api/overdue-sites/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/overdue-sites/")
    for n in range(4):
        assess(cast, place(cast, name=f"逾期{n}"), "red")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/overdue-sites/").json()["count"] == 5
    assert len(few.captured_queries) == len(many.captured_queries)
