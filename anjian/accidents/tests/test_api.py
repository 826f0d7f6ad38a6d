"""Accidents and their investigations through the API, as a client with a token drives them: record (the grade
computed, never sent), correct, open the investigation, extend it, record the four closures' evidence, close;
the refusals a client must be able to show, in Chinese; scope (404) and anonymous callers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accidents import services
from anjian.accidents.models import Accident, Investigation
from anjian.accidents.tests.test_record_pages import bulk, record
from anjian.accounts.services import issue_api_token
from anjian.inspections import services as inspection_services
from anjian.inspections.testing import found_hazard, loop_place, photo, zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
        return client

    return client_for


def payload(cast, **extra) -> dict:
    occurred = timezone.now() - datetime.timedelta(hours=4)
    data = {
        "territory": cast.street.pk,
        "address": "东街道化工路2号",
        "category": "production",
        "sector": "hazchem",
        "accident_type": "poisoning",
        "occurred_at": occurred.isoformat(),
        "reported_at": (occurred + datetime.timedelta(minutes=20)).isoformat(),
        "summary": "储罐清洗作业中毒窒息",
        "deaths": 1,
        "serious_injuries": 10,
        "grade": "ordinary",  # ignored: the grade is computed
    }
    data.update(extra)
    return data


def test_it_records_an_accident_with_its_computed_grade(cast, api):
    response = api(cast.department_officer).post("/api/accidents/", payload(cast), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["grade"], body["late_report"], body["sector"]["code"]) == ("relatively_serious", False, "hazchem")
    assert body["grade_display"] == zh("Relatively serious accident")
    assert Accident.objects.get().created_by == cast.department_officer


def test_bad_input_is_a_400_in_chinese_and_saves_nothing(cast, api):
    client = api(cast.safety_officer)
    response = client.post("/api/accidents/", payload(cast, sector=None), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["sector"] == [zh("A production safety accident needs its sector.")]
    response = client.post("/api/accidents/", payload(cast, deaths=-1, occurred_at="昨天"), format="json")
    assert response.status_code == 400
    assert {"deaths", "occurred_at"} <= set(response.json()["errors"])
    response = client.post("/api/accidents/", payload(cast, deaths=10**12), format="json")
    assert response.status_code == 400
    assert not Accident.objects.exists()


@pytest.mark.parametrize(("member", "status"), [("enterprise", 403), ("leader", 403), ("audit_admin", 403)])
def test_only_supervising_officers_record(cast, api, member, status):
    response = api(getattr(cast, member)).post("/api/accidents/", payload(cast), format="json")
    assert response.status_code == status
    assert response.json()["detail"] == zh("Only a supervising officer records accidents.")
    assert not Accident.objects.exists()


def test_anonymous_callers_are_refused(cast, api):
    accident = record(cast)
    client = api(None)
    for url in ("/api/accidents/", f"/api/accidents/{accident.pk}/", "/api/investigations/"):
        assert client.get(url).status_code == 401
    assert client.post("/api/accidents/", payload(cast), format="json").status_code == 401


def test_the_list_shares_the_pages_filters_and_scope(cast, api):
    fire = record(cast, category="fire", sector=None, accident_type="fire")
    production = record(cast)
    west = record(cast, territory=cast.other_street)
    ids = {row["id"] for row in api(cast.street_officer).get("/api/accidents/").json()["results"]}
    assert ids == {fire.pk, production.pk}
    ids = {row["id"] for row in api(cast.safety_officer).get("/api/accidents/", {"category": "fire"}).json()["results"]}
    assert ids == {fire.pk}
    assert api(cast.other_street_officer).get(f"/api/accidents/{fire.pk}/").status_code == 404
    assert api(cast.far_safety_officer).get(f"/api/accidents/{west.pk}/").status_code == 404
    assert api(cast.far_safety_officer).get("/api/accidents/").json()["count"] == 0
    response = api(cast.safety_officer).get("/api/accidents/", {"occurred_after": "abc"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/accidents/", "/api/investigations/"])
def test_the_lists_run_the_same_queries_for_3_and_40_rows(cast, api, url):
    client = api(cast.safety_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    bulk(cast, 3)
    for accident in Accident.objects.all():
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    few = count()
    bulk(cast, 37)
    for accident in Accident.objects.filter(investigation__isnull=True):
        services.open_investigation(
            actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
        )
    assert count() == few


def test_a_correction_re_grades_and_closes_with_its_window(cast, api):
    accident = record(cast, category="fire", sector=None, accident_type="fire", deaths=2)
    client = api(cast.street_officer)
    url = f"/api/accidents/{accident.pk}/correct/"
    response = client.post(url, {"deaths": 3, "reason": "一人医治无效死亡"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grade"] == "relatively_serious" and body["corrections"][0]["grade_before"] == "ordinary"
    assert client.post(url, {"deaths": 4, "reason": ""}, format="json").status_code == 400
    with time_machine.travel(accident.occurred_at + datetime.timedelta(days=8)):
        response = client.post(url, {"deaths": 4, "reason": "补报"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "window_closed"
    assert api(cast.leader).post(url, {"deaths": 4, "reason": "x"}, format="json").status_code == 403
    assert api(cast.other_street_officer).post(url, {"deaths": 4, "reason": "x"}, format="json").status_code == 404


def test_an_investigation_runs_to_its_closure_through_the_api(cast, api):
    site = loop_place(cast)
    hazard = found_hazard(cast, site)
    accident = record(cast, site=site, sector=None, category="fire", accident_type="fire", address="")
    client = api(cast.safety_officer)
    opened = client.post(
        f"/api/accidents/{accident.pk}/open-investigation/",
        {"lead_unit": cast.safety_office.pk, "team": "区安办、消防"},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    again = client.post(
        f"/api/accidents/{accident.pk}/open-investigation/", {"lead_unit": cast.safety_office.pk, "team": "x"}
    )
    assert again.status_code == 400
    base = f"/api/investigations/{pk}"
    assert client.post(f"{base}/extend/", {"days": 61, "reason": "复杂"}).status_code == 400
    extended = client.post(f"{base}/extend/", {"days": 30, "reason": "需技术鉴定"})
    assert extended.status_code == 200 and extended.json()["extended_by_days"] == 30

    refused = client.post(f"{base}/close/")
    assert refused.status_code == 400 and refused.json()["code"] == "open_closures"
    for msgid in ("the cause is not established", "the people concerned are not educated"):
        assert zh(msgid) in refused.json()["detail"]

    assert client.post(f"{base}/cause/", {"cause": "线路老化", "report": "甲安调〔2026〕1号"}).status_code == 200
    persons = {
        "kind": "persons",
        "person": "仓库负责人王某",
        "sanction": "罚款",
        "decided_by": "区应急管理局",
        "decided_on": "2026-01-05",
    }
    assert client.post(f"{base}/evidence/", persons).status_code == 201
    assert client.post(f"{base}/evidence/", {"kind": "persons", "person": "x"}).status_code == 400
    measure = client.post(f"{base}/evidence/", {"kind": "measures", "description": "更换线路", "hazard": hazard.pk})
    assert measure.status_code == 201
    education = {"kind": "education", "held_on": "2026-01-06", "subject": "警示教育", "audience": "仓储企业"}
    assert client.post(f"{base}/evidence/", {**education, "attendees": 30}).status_code == 201
    body = client.get(f"{base}/").json()
    assert [c["evidence_ready"] for c in body["closures"]] == [True, True, False, True]
    marked = client.post(f"{base}/mark/", {"closure": "persons"})
    assert marked.status_code == 200 and marked.json()["persons_done_at"]
    assert client.post(f"{base}/mark/", {"closure": "measures"}).status_code == 400

    inspection_services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="已更换", photos=[photo(5)])
    inspection_services.verify(actor=cast.department_officer, hazard=hazard)
    closed = client.post(f"{base}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"{base}/cause/", {"cause": "x", "report": "y"}).status_code == 400


def test_investigations_are_scoped(cast, api):
    accident = record(cast)
    investigation = services.open_investigation(
        actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="t"
    )
    url = f"/api/investigations/{investigation.pk}/"
    assert api(cast.street_officer).get(url).status_code == 200
    for member in ("other_street_officer", "far_safety_officer", "system_admin"):
        client = api(getattr(cast, member))
        assert client.get(url).status_code == 404
        assert client.post(f"{url}close/").status_code == 404
        assert client.get("/api/investigations/").json()["count"] == 0
    assert api(cast.enterprise).post(f"{url}cause/", {"cause": "x", "report": "y"}).status_code == 404
    assert api(cast.leader).post(f"{url}cause/", {"cause": "x", "report": "y"}).status_code == 403
    assert Investigation.objects.get().cause == ""
