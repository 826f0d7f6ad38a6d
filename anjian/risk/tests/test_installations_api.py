"""/api/major-hazard-sources/ and /api/substances/: scope (in, out = 404, anonymous, the three administrators),
each line's working on retrieve, the catalogue's audited corrections, constant query counts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core.models import AuditEntry
from anjian.core.scoping import REFERENCE_DATA_REFUSAL
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.risk.installations import identify_sites
from anjian.risk.models import HazardousSubstance, MajorHazardSource
from anjian.risk.tests.installation_places import add_unit, build_places

pytestmark = pytest.mark.django_db

SOURCES = "/api/major-hazard-sources/"
SUBSTANCES = "/api/substances/"

SEES = {
    "street_officer": {"液氯罐区"},
    "other_street_officer": {"光气车间"},
    "department_officer": {"液氯罐区", "光气车间"},
    "safety_officer": {"液氯罐区", "光气车间"},
    "leader": {"液氯罐区", "光气车间"},
    "enterprise": {"液氯罐区"},
    "far_safety_officer": {"液氨罐区"},
    "city_admin": {"液氯罐区", "光气车间", "液氨罐区"},
    "system_admin": set(),
    "audit_admin": set(),
}


@shared_fixture
def places(cast):
    return build_places(cast)


@pytest.mark.parametrize("member", sorted(SEES))
def test_it_lists_and_opens_only_the_installations_in_scope(cast, client_for, places, member):
    client = client_for(getattr(cast, member))
    response = client.get(SOURCES)
    assert response.status_code == 200
    assert {row["unit_name"] for row in response.json()["results"]} == SEES[member]
    for row in MajorHazardSource.objects.select_related("unit"):
        detail = client.get(f"{SOURCES}{row.pk}/")
        assert detail.status_code == (200 if row.unit.name in SEES[member] else 404)


def test_anonymous_calls_are_refused(client_for, places):
    client = client_for(None)
    row = MajorHazardSource.objects.first()
    for url in (SOURCES, f"{SOURCES}{row.pk}/", SUBSTANCES):
        assert client.get(url).status_code in (401, 403)
    substance = HazardousSubstance.objects.get(name="氯")
    assert client.patch(f"{SUBSTANCES}{substance.pk}/", {"beta": "5"}, content_type="application/json").status_code in (
        401,
        403,
    )


def test_a_row_carries_s_r_alpha_and_the_level(cast, client_for, places):
    rows = {r["unit_name"]: r for r in client_for(cast.city_admin).get(SOURCES).json()["results"]}
    chlorine = rows["液氯罐区"]
    assert (chlorine["s_value"], chlorine["r_value"], chlorine["alpha"], chlorine["level"]) == (
        "1.6000",
        "12.8000",
        "2.0",
        "3",
    )
    assert chlorine["territory"] == cast.street.pk and chlorine["site_name"] == "东化工"
    assert rows["光气车间"]["level"] == "2" and rows["液氨罐区"]["level"] == "4"


def test_the_list_filters_like_the_register(cast, client_for, places):
    client = client_for(cast.safety_officer)
    assert [r["unit_name"] for r in client.get(SOURCES, {"level": "2"}).json()["results"]] == ["光气车间"]
    assert [r["unit_name"] for r in client.get(SOURCES, {"territory": cast.street.pk}).json()["results"]] == [
        "液氯罐区"
    ]
    assert client.get(SOURCES, {"level": "9"}).status_code == 400


def test_retrieve_shows_each_line_s_working(cast, client_for, places):
    row = MajorHazardSource.objects.get(unit=places.phosgene)
    data = client_for(cast.other_street_officer).get(f"{SOURCES}{row.pk}/").json()
    [line] = data["lines"]
    # 光气 1 t: Q 0.3 → q/Q 3.3333; β 20 → 66.6667.
    assert (line["matched"], line["critical_q"], line["ratio"], line["beta"], line["weighted"]) == (
        "碳酰氯",
        "0.300",
        "3.3333",
        "20.00",
        "66.6667",
    )
    assert line["basis"] == "table1" and line["identifiable"]


def test_unidentifiable_lines_come_back_flagged(cast, client_for, places):
    add_unit(places.east, "混合罐区", [("液氯", "10", "", ""), ("神秘物料", "5", "", "")], people=1)
    identify_sites(site_ids=[places.east.pk])
    row = MajorHazardSource.objects.get(unit__name="混合罐区")
    lines = client_for(cast.street_officer).get(f"{SOURCES}{row.pk}/").json()["lines"]
    assert [line["identifiable"] for line in lines] == [True, False]
    assert lines[1]["notes"] and lines[1]["ratio"] == "0.0000"


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", ["street_officer", "department_officer", "enterprise", "city_admin"])
def test_the_list_runs_the_same_number_of_queries_for_few_and_many_rows(cast, client_for, places, member):
    client = client_for(getattr(cast, member))
    few = _count(client, SOURCES)
    for i in range(30):
        add_unit(places.east, f"批量{i}", [("液氯", "6", "", "")], people=i)
    identify_sites(site_ids=[places.east.pk])
    assert _count(client, SOURCES) == few


# --- the catalogue ------------------------------------------------------------------------------------------


def test_the_catalogue_is_listed_and_searched(cast, client_for):
    client = client_for(cast.street_officer)
    data = client.get(SUBSTANCES, {"q": "光气"}).json()
    assert [row["name"] for row in data["results"]] == ["碳酰氯"]
    assert data["results"][0]["source"].endswith("（核对标准原文）；β 见表3")
    assert client_for(cast.system_admin).get(SUBSTANCES).json()["count"] == 0


def test_the_city_administrator_corrects_an_entry_audited(cast, client_for, places, django_capture_on_commit_callbacks):
    chlorine = HazardousSubstance.objects.get(name="氯")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.city_admin).patch(
            f"{SUBSTANCES}{chlorine.pk}/",
            {"critical_quantity_t": "4", "source": "已核对"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["critical_quantity_t"] == "4.000"
    assert AuditEntry.objects.filter(action="risk.substance.update", object_id=str(chlorine.pk)).exists()
    # 8 t against Q 4: S 2, R 2.0 · 4 · 2 = 16 → still 三级, with the new numbers.
    row = MajorHazardSource.objects.get(unit=places.chlorine)
    assert (row.s_value, row.r_value) == (D("2"), D("16"))


@pytest.mark.parametrize(
    "member",
    ["safety_officer", "far_safety_officer", "street_officer", "department_officer", "leader", "enterprise"],
)
def test_a_district_user_reads_the_city_wide_catalogue_and_is_refused_a_correction(cast, client_for, member):
    chlorine = HazardousSubstance.objects.get(name="氯")
    client = client_for(getattr(cast, member))
    assert client.get(f"{SUBSTANCES}{chlorine.pk}/").status_code == 200
    for method in (client.patch, client.put):
        response = method(f"{SUBSTANCES}{chlorine.pk}/", {"critical_quantity_t": "1"}, content_type="application/json")
        assert response.status_code == 403
        assert response.json()["detail"] == zh(REFERENCE_DATA_REFUSAL)
    # Refused before the payload is read: a bad one is no different.
    response = client.patch(f"{SUBSTANCES}{chlorine.pk}/", {"beta": "x"}, content_type="application/json")
    assert response.status_code == 403
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 5


def test_the_three_administrators_cannot_reach_an_entry(cast, client_for):
    chlorine = HazardousSubstance.objects.get(name="氯")
    client = client_for(cast.system_admin)
    assert client.get(f"{SUBSTANCES}{chlorine.pk}/").status_code == 404
    assert (
        client.patch(f"{SUBSTANCES}{chlorine.pk}/", {"beta": "1"}, content_type="application/json").status_code == 404
    )


@pytest.mark.parametrize(
    "payload", [{"critical_quantity_t": "0"}, {"hazard_category": "W99"}, {"beta": "-2"}, {"critical_quantity_t": "x"}]
)
def test_a_bad_correction_is_a_400_and_changes_nothing(cast, client_for, payload):
    chlorine = HazardousSubstance.objects.get(name="氯")
    response = client_for(cast.city_admin).patch(
        f"{SUBSTANCES}{chlorine.pk}/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 5 and chlorine.beta == 4 and chlorine.hazard_category == "J3"
    assert not AuditEntry.objects.filter(action="risk.substance.update").exists()


def test_the_catalogue_list_runs_a_fixed_number_of_queries(cast, client_for):
    client = client_for(cast.street_officer)
    few = _count(client, SUBSTANCES + "?page_size=5&q=氯")
    many = _count(client, SUBSTANCES)
    assert few == many
