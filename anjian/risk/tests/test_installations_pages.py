"""Pages of the major hazard installations: the register (scope, filters, export, query count), a unit's
identification, the place's tab, the map layer's points, the substance catalogue and its audited corrections,
and the registry's inventory form recording people within 500 m and the hazard category."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.models import AuditEntry
from anjian.core.scoping import REFERENCE_DATA_REFUSAL
from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import zh
from anjian.registry.models import ChemicalUnit
from anjian.risk.installations import identify_sites
from anjian.risk.models import HazardousSubstance, MajorHazardSource
from anjian.risk.substances import CHECK_NOTE
from anjian.risk.tests.installation_places import add_unit, build_places

pytestmark = pytest.mark.django_db


@shared_fixture
def places(cast):
    return build_places(cast)


LIST = reverse("risk:installation_list")

# Who sees which of the three installations (东 液氯, 西 光气, 北 液氨).
SEES = {
    "street_officer": {"液氯罐区"},
    "other_street_officer": {"光气车间"},
    "department_officer": {"液氯罐区", "光气车间"},
    "safety_officer": {"液氯罐区", "光气车间"},
    "leader": {"液氯罐区", "光气车间"},
    "enterprise": {"液氯罐区"},
    "far_safety_officer": {"液氨罐区"},
    "city_admin": {"液氯罐区", "光气车间", "液氨罐区"},
}
UNITS = ("液氯罐区", "光气车间", "液氨罐区")


def _units_on(html: str) -> set[str]:
    return {name for name in UNITS if name in html}


@pytest.mark.parametrize("member", sorted(SEES))
def test_it_lists_the_installations_in_scope_and_opens_only_those(cast, client_for, places, member):
    client = client_for(getattr(cast, member))
    response = client.get(LIST)
    assert response.status_code == 200
    assert _units_on(response.content.decode()) == SEES[member]
    for unit in (places.chlorine, places.phosgene, places.ammonia):
        detail = client.get(reverse("risk:installation_detail", args=[unit.pk]))
        assert detail.status_code == (200 if unit.name in SEES[member] else 404)


@pytest.mark.parametrize("admin", ["system_admin", "security_admin", "audit_admin"])
def test_the_three_administrators_have_none_of_the_pages(cast, client_for, places, admin):
    client = client_for(getattr(cast, admin))
    for url in (
        LIST,
        reverse("risk:installation_export"),
        reverse("risk:installation_detail", args=[places.chlorine.pk]),
        reverse("risk:installation_map_points"),
        reverse("risk:substance_list"),
    ):
        assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client_for, places):
    client = client_for(None)
    for url in (
        LIST,
        reverse("risk:installation_export"),
        reverse("risk:installation_detail", args=[places.chlorine.pk]),
        reverse("risk:installation_map_points"),
        reverse("risk:substance_list"),
        reverse("risk:substance_edit", args=[HazardousSubstance.objects.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_register_filters_by_level_street_and_enterprise(cast, client_for, places):
    client = client_for(cast.safety_officer)
    assert _units_on(client.get(LIST, {"level": "2"}).content.decode()) == {"光气车间"}
    assert _units_on(client.get(LIST, {"level": "3"}).content.decode()) == {"液氯罐区"}
    assert _units_on(client.get(LIST, {"territory": cast.street.pk}).content.decode()) == {"液氯罐区"}
    assert _units_on(client.get(LIST, {"enterprise": places.west.enterprise_id}).content.decode()) == {"光气车间"}
    assert _units_on(client.get(LIST, {"q": "光气"}).content.decode()) == {"光气车间"}
    # A street of another district is not offered: the filter answers its error and no rows.
    response = client.get(LIST, {"territory": cast.far_street.pk})
    assert response.status_code == 200 and _units_on(response.content.decode()) == set()


def test_the_register_shows_s_r_alpha_and_the_level(cast, client_for, places):
    html = client_for(cast.safety_officer).get(LIST).content.decode()
    assert "1.6000" in html and "12.8000" in html and "66.6667" in html
    assert zh("Level 3") in html and zh("Level 2") in html


def _bulk_units(site, n, start=0):
    for i in range(start, start + n):
        add_unit(site, f"批量罐区{i}", [("液氯", "6", "", "")], people=i)
    identify_sites(site_ids=[site.pk])


def _count(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer", "enterprise"])
def test_the_register_runs_the_same_number_of_queries_for_few_and_many_rows(cast, client_for, places, member):
    client = client_for(getattr(cast, member))
    _bulk_units(places.east, 2)
    few = _count(client, LIST, {"level": "4"})
    _bulk_units(places.east, 40, start=2)
    many = _count(client, LIST, {"level": "4"})
    assert few == many
    assert MajorHazardSource.objects.filter(site=places.east).count() == 43


def test_the_export_holds_what_the_register_shows_and_is_audited(cast, client_for, places):
    places.east.name = "=HYPERLINK(1)"
    places.east.save()
    client = client_for(cast.department_officer)
    response = client.get(reverse("risk:installation_export"), {"level": "3"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "场所" and len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1)"  # escaped: never run as a formula
    assert rows[1][3] == "液氯罐区" and rows[1][5] == zh("Level 3")
    entry = AuditEntry.objects.get(action="risk.installation.export")
    assert entry.after["rows"] == 1 and entry.after["filters"] == {"level": ["3"]}


@pytest.mark.parametrize(("member", "rows"), [("street_officer", 1), ("other_street_officer", 1), ("city_admin", 3)])
def test_the_export_is_scoped(cast, client_for, places, member, rows):
    response = client_for(getattr(cast, member)).get(reverse("risk:installation_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row - 1 == rows


def test_a_unit_s_identification_shows_every_line_s_working(cast, client_for, places):
    client = client_for(cast.street_officer)
    html = client.get(reverse("risk:installation_detail", args=[places.chlorine.pk])).content.decode()
    # 液氯 8 t: Q 5, q/Q 1.6, β 4, β·q/Q 6.4; α 2.0; R 12.8.
    for text in ("液氯", "8.000", "1.6000", "6.4000", "12.8000", "2.0", zh("Level 3")):
        assert text in html
    # A non-major unit opens too, with its unidentifiable line shown, not dropped.
    html = client.get(reverse("risk:installation_detail", args=[places.methanol.pk])).content.decode()
    assert "神秘物料" in html and zh("Not a major hazard installation") in html
    assert 'data-testid="unidentifiable"' in html


def test_unknown_people_show_the_assumed_alpha(cast, client_for, places):
    ChemicalUnit.objects.filter(pk=places.chlorine.pk).update(people_within_500m=None)
    identify_sites(site_ids=[places.east.pk])
    html = client_for(cast.street_officer).get(reverse("risk:installation_detail", args=[places.chlorine.pk])).content
    assert b'data-testid="alpha-assumed"' in html


def test_the_place_tab_shows_every_unit_with_s_and_the_major_ones_with_r_and_level(cast, client_for, places):
    url = reverse("registry:site_detail", args=[places.east.pk]) + "?tab=major_hazards"
    html = client_for(cast.street_officer).get(url).content.decode()
    assert zh("Major hazard installations") in html
    assert "液氯罐区" in html and "12.8000" in html and zh("Level 3") in html
    assert "甲醇罐区" in html and "0.2000" in html  # S of the non-major unit (100/500)
    assert 'data-testid="tab-unidentifiable"' in html


def test_the_tab_is_not_offered_on_a_place_without_hazardous_chemicals(cast, client_for):
    from anjian.registry.testing import make_site

    shop = make_site(name="商场", district=cast.district, territory=cast.street)
    html = client_for(cast.street_officer).get(reverse("registry:site_detail", args=[shop.pk])).content.decode()
    assert "tab=major_hazards" not in html


def test_the_map_layer_answers_the_points_in_scope(cast, client_for, places):
    points = client_for(cast.safety_officer).get(reverse("risk:installation_map_points")).json()["points"]
    # 西化工 and 东化工 are located; 北化工 is out of scope (and has no point).
    assert sorted((p[2].split(" · ")[1], p[4]) for p in points) == [("光气车间", "orange"), ("液氯罐区", "yellow")]
    lat, lon = points[0][0], points[0][1]
    assert isinstance(lat, float) and isinstance(lon, float)
    assert points[0][3].startswith("/risk/installations/units/")
    street_points = client_for(cast.street_officer).get(reverse("risk:installation_map_points")).json()["points"]
    assert len(street_points) == 1


def test_the_map_layer_is_registered(cast):
    from anjian.registry import map_layers

    keys = [layer.key for layer in map_layers.layers_for(cast.street_officer)]
    assert "major_hazards" in keys
    assert "major_hazards" not in [layer.key for layer in map_layers.layers_for(cast.system_admin)]


# --- the catalogue ------------------------------------------------------------------------------------------


def test_the_catalogue_lists_its_sources_and_the_check_note(cast, client_for):
    html = client_for(cast.street_officer).get(reverse("risk:substance_list")).content.decode()
    assert 'data-testid="catalogue-source-note"' in html and CHECK_NOTE in html
    assert "碳酰氯" in html and "W5.1" in html
    assert reverse("risk:substance_edit", args=[HazardousSubstance.objects.first().pk]) not in html


def test_the_catalogue_is_searched_by_alias_and_cas_number(cast, client_for):
    client = client_for(cast.street_officer)
    html = client.get(reverse("risk:substance_list"), {"q": "光气"}).content.decode()
    assert "碳酰氯" in html and "甲苯" not in html
    html = client.get(reverse("risk:substance_list"), {"q": "7782-50-5"}).content.decode()
    assert "液氯" in html and "氨" not in html


def test_the_city_administrator_corrects_an_entry_audited_and_the_places_are_identified_again(
    cast, client_for, places, django_capture_on_commit_callbacks
):
    chlorine = HazardousSubstance.objects.get(name="氯")
    client = client_for(cast.city_admin)
    url = reverse("risk:substance_edit", args=[chlorine.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "aliases": "液氯、氯气",
                "cas_number": "7782-50-5",
                "critical_quantity_t": "10",
                "hazard_category": "",
                "beta": "4",
                "source": "GB 18218-2018 表1（已核对）",
            },
        )
    assert response.status_code == 302
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 10 and chlorine.edited_at is not None
    entry = AuditEntry.objects.get(action="risk.substance.update")
    assert entry.before["critical_quantity_t"] == "5.000" and entry.after["critical_quantity_t"] == "10.000"
    # 8 t against Q 10 is no longer major: the register followed the correction.
    assert not MajorHazardSource.objects.filter(unit=places.chlorine).exists()


@pytest.mark.parametrize(
    "member",
    ["safety_officer", "far_safety_officer", "street_officer", "department_officer", "leader", "enterprise"],
)
def test_a_district_user_reads_the_catalogue_but_cannot_correct_it(cast, client_for, member):
    chlorine = HazardousSubstance.objects.get(name="氯")
    client = client_for(getattr(cast, member))
    listing = client.get(reverse("risk:substance_list")).content.decode()
    assert "液氯" in listing
    url = reverse("risk:substance_edit", args=[chlorine.pk])
    assert url not in listing  # no "Correct" button either
    assert client.get(url).status_code == 403
    response = client.post(url, {"critical_quantity_t": "1"})
    assert response.status_code == 403
    assert zh(REFERENCE_DATA_REFUSAL) in response.content.decode()
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 5


def test_a_bad_correction_is_refused_with_a_message_and_changes_nothing(cast, client_for):
    chlorine = HazardousSubstance.objects.get(name="氯")
    client = client_for(cast.city_admin)
    url = reverse("risk:substance_edit", args=[chlorine.pk])
    response = client.post(url, {"critical_quantity_t": "0", "hazard_category": "W99", "beta": "-1"})
    assert response.status_code == 200
    assert b"invalid-feedback" in response.content
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 5 and chlorine.edited_at is None
    assert not AuditEntry.objects.filter(action="risk.substance.update").exists()


# --- the registry's inventory form --------------------------------------------------------------------------


def _post_inventory(client, site, rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "500",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return client.post(reverse("registry:site_chemicals", args=[site.pk]), data)


def test_the_inventory_form_records_people_and_categories_and_the_register_follows(
    cast, client_for, django_capture_on_commit_callbacks
):
    from anjian.registry.testing import make_site

    plant = make_site(name="新化工", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")])
    client = client_for(cast.department_officer)
    base = {"unit_name": "罐区", "unit_kind": "storage"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_inventory(
            client,
            plant,
            [
                {
                    **base,
                    "people_within_500m": "45",
                    "substance": "某易燃液体",
                    "hazard_category": "W5.1",
                    "max_quantity_t": "25",
                },
                {
                    **base,
                    "people_within_500m": "",
                    "substance": "液氯",
                    "cas_number": "7782-50-5",
                    "max_quantity_t": "1",
                },
            ],
        )
    assert response.status_code == 302
    unit = ChemicalUnit.objects.get(site=plant)
    assert unit.people_within_500m == 45
    assert sorted(unit.inventory.values_list("substance", "hazard_category")) == [("某易燃液体", "W5.1"), ("液氯", "")]
    # S = 25/10 + 1/5 = 2.7; Σβq/Q = 1.5·2.5 + 4·0.2 = 4.55; α 1.2 → R 5.46: 四级.
    row = MajorHazardSource.objects.get(unit=unit)
    assert (row.s_value, row.r_value, row.alpha, row.level) == (D("2.7"), D("5.46"), D("1.2"), "4")
    # The edit form shows what was recorded.
    html = client.get(reverse("registry:site_chemicals", args=[plant.pk])).content.decode()
    assert 'value="45"' in html and 'value="W5.1" selected' in html


def test_the_inventory_form_refuses_two_headcounts_for_one_unit(cast, client_for):
    from anjian.registry.testing import make_site

    plant = make_site(name="新化工", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")])
    client = client_for(cast.department_officer)
    base = {"unit_name": "罐区", "unit_kind": "storage", "max_quantity_t": "1"}
    response = _post_inventory(
        client,
        plant,
        [
            {**base, "people_within_500m": "10", "substance": "甲"},
            {**base, "people_within_500m": "20", "substance": "乙"},
        ],
    )
    assert response.status_code == 200
    assert not ChemicalUnit.objects.filter(site=plant).exists()
    response = _post_inventory(client, plant, [{**base, "substance": "甲", "hazard_category": "W99"}])
    assert response.status_code == 200 and not ChemicalUnit.objects.filter(site=plant).exists()
