"""The chemical inventory of a hazardous-chemicals place, edited on its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.models import AuditEntry
from anjian.registry.models import ChemicalInventory
from anjian.registry.testing import make_site


def _post(client, site, rows):
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


@pytest.fixture
def plant(cast):
    return make_site(name="液氨储罐区", district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")])


@pytest.mark.django_db
class TestChemicalInventory:
    def test_the_department_records_units_and_substances_and_it_is_audited(self, client, cast, plant):
        client.force_login(cast.department_officer)
        response = _post(
            client,
            plant,
            [
                {
                    "unit_name": "1号罐区",
                    "unit_kind": "storage",
                    "substance": "液氨",
                    "cas_number": "7664-41-7",
                    "max_quantity_t": "18.5",
                },
                {
                    "unit_name": "1号罐区",
                    "unit_kind": "storage",
                    "substance": "甲醇",
                    "cas_number": "67-56-1",
                    "max_quantity_t": "300",
                },
                {
                    "unit_name": "合成车间",
                    "unit_kind": "production",
                    "substance": "氯",
                    "cas_number": "7782-50-5",
                    "max_quantity_t": "2",
                },
            ],
        )
        assert response.status_code == 302
        units = {u.name: sorted(i.substance for i in u.inventory.all()) for u in plant.chemical_units.all()}
        assert units == {"1号罐区": ["液氨", "甲醇"], "合成车间": ["氯"]}
        assert AuditEntry.objects.filter(action="registry.site.chemicals", object_id=str(plant.pk)).exists()

    def test_a_bad_cas_number_or_negative_quantity_changes_nothing(self, client, cast, plant):
        client.force_login(cast.department_officer)
        _post(
            client,
            plant,
            [
                {
                    "unit_name": "罐区",
                    "unit_kind": "storage",
                    "substance": "液氨",
                    "cas_number": "7664-41-7",
                    "max_quantity_t": "10",
                }
            ],
        )
        response = _post(
            client,
            plant,
            [
                {
                    "unit_name": "罐区",
                    "unit_kind": "storage",
                    "substance": "液氨",
                    "cas_number": "7664-41-8",
                    "max_quantity_t": "12",
                }
            ],
        )
        assert response.status_code == 200 and "CAS" in response.content.decode()
        response = _post(
            client,
            plant,
            [
                {
                    "unit_name": "罐区",
                    "unit_kind": "storage",
                    "substance": "液氨",
                    "cas_number": "",
                    "max_quantity_t": "-1",
                }
            ],
        )
        assert response.status_code == 200
        assert list(ChemicalInventory.objects.values_list("max_quantity_t", flat=True)) == [10]

    @pytest.mark.parametrize("member", ["leader", "other_street_officer", "enterprise", "system_admin"])
    def test_others_get_404(self, client, cast, plant, member):
        client.force_login(getattr(cast, member))
        assert client.get(reverse("registry:site_chemicals", args=[plant.pk])).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, plant):
        response = client.get(reverse("registry:site_chemicals", args=[plant.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_place_outside_hazchem_has_no_inventory_page(self, client, cast):
        shop = make_site(name="商店", district=cast.district, territory=cast.street, sectors=[("commercial", "")])
        client.force_login(cast.safety_officer)
        assert client.get(reverse("registry:site_chemicals", args=[shop.pk])).status_code == 404
