"""A major hazard installation keeps its identity when its place's chemical inventory is edited (units are
updated in place by name), and the register's enterprise filter offers only enterprises holding an installation
the user may see."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.core.testing_shared import shared_fixture
from anjian.registry import services as registry_services
from anjian.registry.models import ChemicalUnit
from anjian.registry.testing import make_site
from anjian.risk.models import MajorHazardSource
from anjian.risk.tests.assessments import committed
from anjian.risk.tests.installation_places import build_places

pytestmark = pytest.mark.django_db

LIST = reverse("risk:installation_list")


@shared_fixture
def places(cast):
    built = build_places(cast)
    # An enterprise of 甲区 with a place but no installation: not offered by the filter.
    make_site(
        name="无危化企业", district=cast.district, territory=cast.street, sectors=[("commercial", "")], enterprise_n=7
    )
    return built


def _rows(**chlorine):
    tank = {"unit_name": "液氯罐区", "unit_kind": "storage", "people_within_500m": 150, "substance": "液氯"}
    tank.update({"cas_number": "7782-50-5", "hazard_category": "", "max_quantity_t": D("8"), **chlorine})
    methanol = {"unit_name": "甲醇罐区", "unit_kind": "storage", "people_within_500m": 20, "substance": "甲醇"}
    methanol.update({"cas_number": "67-56-1", "hazard_category": "W5.3", "max_quantity_t": D("100")})
    return [tank, methanol]


def test_editing_the_inventory_keeps_the_units_and_the_installations_ids(cast, client_for, places):
    before = MajorHazardSource.objects.get(unit=places.chlorine)
    methanol_id = places.methanol.pk
    with committed():
        registry_services.set_chemical_inventory(
            actor=cast.safety_officer, site=places.east, rows=_rows(max_quantity_t=D("30"), people_within_500m=40)
        )
    unit = ChemicalUnit.objects.get(site=places.east, name="液氯罐区")
    assert unit.pk == places.chlorine.pk and unit.people_within_500m == 40
    assert ChemicalUnit.objects.get(site=places.east, name="甲醇罐区").pk == methanol_id
    after = MajorHazardSource.objects.get(unit=unit)
    # Same row, regraded: 30 t / 5 × β 4 × α 1.2 = 28.8 (三级), first identification time kept.
    assert after.pk == before.pk and after.identified_at == before.identified_at
    assert after.r_value == D("28.8000") and after.s_value == D("6.0000")
    client = client_for(cast.safety_officer)
    assert client.get(reverse("risk:installation_detail", args=[places.chlorine.pk])).status_code == 200
    assert f'data-installation="{before.pk}"' in client.get(LIST).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=cast.safety_officer).key}")
    assert api.get(f"/api/major-hazard-sources/{before.pk}/").json()["r_value"] == "28.8000"
    # A unit no longer named goes, with its lines; the others stay.
    with committed():
        registry_services.set_chemical_inventory(actor=cast.safety_officer, site=places.east, rows=_rows()[:1])
    assert list(ChemicalUnit.objects.filter(site=places.east).values_list("pk", flat=True)) == [places.chlorine.pk]
    assert MajorHazardSource.objects.get(unit=places.chlorine).pk == before.pk


def test_the_enterprise_filter_offers_only_enterprises_with_installations_in_scope(cast, client_for, places):
    form = client_for(cast.safety_officer).get(LIST).context["form"]
    offered = set(form.fields["enterprise"].queryset.values_list("pk", flat=True))
    assert offered == {places.east.enterprise_id, places.west.enterprise_id}
    street = client_for(cast.street_officer).get(LIST).context["form"]
    assert set(street.fields["enterprise"].queryset.values_list("pk", flat=True)) == {places.east.enterprise_id}
    far = client_for(cast.far_safety_officer).get(LIST).context["form"]
    assert places.east.enterprise_id not in set(far.fields["enterprise"].queryset.values_list("pk", flat=True))
    assert client_for(None).get(LIST).status_code == 302


def _tank(quantity, unit="储罐区"):
    return {"外部编号": "EXT-1", "单元名称": unit, "单元类型": "储存单元", "物质名称": "液氨", "最大储量(吨)": quantity}


def test_a_reimported_inventory_keeps_the_units_it_names_again(cast):
    from anjian.registry.tests.test_import import row, run, xlsx

    assert run(cast, xlsx([row(外部编号="EXT-1")], chemicals=[_tank(12.5), _tank(1, "旧罐区")])).ok
    unit = ChemicalUnit.objects.get(site__external_id="EXT-1", name="储罐区")
    result = run(cast, xlsx([row(外部编号="EXT-1")], chemicals=[_tank(30), _tank(2, "新罐区")]))
    assert result.ok and result.chemical_units == 2
    units = dict(ChemicalUnit.objects.filter(site__external_id="EXT-1").values_list("name", "pk"))
    assert set(units) == {"储罐区", "新罐区"} and units["储罐区"] == unit.pk
    assert list(unit.inventory.values_list("max_quantity_t", flat=True)) == [D("30.000")]
