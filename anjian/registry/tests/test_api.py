"""/api/sites/: nested reads with masked personal data, writes through the services, filters, no deletion."""

from __future__ import annotations

import io

import pytest

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Enterprise, Site
from anjian.registry.testing import credit_code
from anjian.registry.tests._places import VISIBLE, cast_places

pytestmark = pytest.mark.django_db


@shared_fixture
def places(cast):
    return cast_places(cast)


def _fields_at_fault(response) -> set[str]:
    """The fields an error names (a nested one by its path, "enterprise.credit_code"), at the top level."""
    return {path.split(".")[0] for path in response.json()["errors"]}


def _post(client, data):
    return client.post("/api/sites/", data, content_type="application/json")


class TestRead:
    def test_it_nests_sectors_enterprise_and_chemical_units(self, cast, places, client_for):
        data = client_for(cast.department_officer).get(f"/api/sites/{places['chem'].pk}/").json()
        assert data["name"] == "东化工仓库"
        assert data["district_name"] == "甲区" and data["territory_name"] == "东街道"
        assert data["sectors"] == [
            {"code": "hazchem", "name": "危险化学品", "subtype": "storage", "subtype_label": "储存"}
        ]
        assert data["enterprise"]["credit_code"] == credit_code(1)
        assert data["enterprise"]["principal_mobile"] == "13812345678"
        unit = data["chemical_units"][0]
        assert unit["name"] == "1号储罐区" and unit["inventory"][0]["cas_number"] == "7664-41-7"
        assert data["status"] == "operating"

    @pytest.mark.parametrize("member", ["leader", "city_admin"])
    def test_it_masks_personal_data_as_the_page_does(self, cast, places, client_for, member):
        client = client_for(getattr(cast, member))
        for data in (
            client.get(f"/api/sites/{places['chem'].pk}/").json(),
            client.get("/api/sites/").json()["results"][-1],
        ):
            enterprise = data["enterprise"]
            assert enterprise["legal_representative"] == "张*"
            assert enterprise["principal"] == "李*"
            assert enterprise["principal_mobile"] == "138****5678"

    def test_it_filters_with_the_place_list_filters(self, cast, places, client_for):
        client = client_for(cast.safety_officer)
        assert [r["name"] for r in client.get("/api/sites/", {"sector": "construction"}).json()["results"]] == [
            "西工地"
        ]
        assert [r["name"] for r in client.get("/api/sites/", {"q": "化工"}).json()["results"]] == ["东化工仓库"]
        assert client.get("/api/sites/", {"territory": "nonsense"}).status_code == 400

    def test_a_place_cannot_be_deleted(self, cast, places, client_for):
        response = client_for(cast.city_admin).delete(f"/api/sites/{places['chem'].pk}/")
        assert response.status_code == 405
        assert Site.objects.filter(pk=places["chem"].pk).exists()


class TestWrite:
    def test_it_registers_a_place_with_its_enterprise_through_the_service(self, cast, client_for):
        response = _post(
            client_for(cast.street_officer),
            {
                "name": "东街道加油站",
                "territory": cast.street.pk,
                "address": "东街道环城路2号",
                "longitude": "120.150001",
                "latitude": "30.150001",
                "sectors": [{"code": "hazchem", "subtype": "trading"}, {"code": "industry_trade"}],
                "enterprise": {"credit_code": credit_code(5).lower(), "name": "东能源有限公司", "principal": "钱七"},
            },
        )
        assert response.status_code == 201, response.content
        data = response.json()
        site = Site.objects.get(pk=data["id"])
        assert site.district == cast.district  # the user's own district when not given
        assert site.enterprise.credit_code == credit_code(5)
        assert [s["code"] for s in data["sectors"]] == ["hazchem", "industry_trade"]
        assert AuditEntry.objects.filter(action="registry.site.create", object_id=str(site.pk)).exists()

    @pytest.mark.parametrize(
        "payload,field",
        [
            ({"sectors": []}, "sectors"),
            ({"sectors": [{"code": "nope"}]}, "sectors"),
            ({"sectors": [{"code": "crowded_place", "subtype": "castle"}]}, "subtype"),
            ({"enterprise": {"credit_code": "123", "name": "某公司"}}, "enterprise"),
            ({"enterprise": {"credit_code": credit_code(9)}}, "enterprise"),
            ({"latitude": "30.1"}, "latitude"),
            ({"km_from": "5", "km_to": "1"}, "km_to"),
            ({"territory": 999999}, "territory"),
            ({"name": ""}, "name"),
        ],
    )
    def test_it_answers_bad_input_with_400_and_changes_nothing(self, cast, client_for, payload, field):
        body = {"name": "坏数据场所", "territory": cast.street.pk, "sectors": [{"code": "industry_trade"}], **payload}
        response = _post(client_for(cast.street_officer), body)
        assert response.status_code == 400, response.content
        assert field in _fields_at_fault(response)
        assert not Site.objects.exists()
        assert not Enterprise.objects.exists()

    def test_a_street_officer_cannot_register_a_place_in_another_street(self, cast, client_for):
        body = {"name": "越界场所", "territory": cast.other_street.pk, "sectors": [{"code": "industry_trade"}]}
        response = _post(client_for(cast.street_officer), body)
        assert response.status_code == 400
        assert "territory" in _fields_at_fault(response)
        assert not Site.objects.exists()

    def test_a_department_keeps_one_of_its_sectors(self, cast, places, client_for):
        client = client_for(cast.department_officer)
        response = client.patch(
            f"/api/sites/{places['chem'].pk}/", {"sectors": [{"code": "construction"}]}, content_type="application/json"
        )
        assert response.status_code == 400
        assert "sectors" in _fields_at_fault(response)
        assert list(places["chem"].site_sectors.values_list("sector_id", flat=True)) == ["hazchem"]

    def test_a_patch_changes_only_what_it_names(self, cast, places, client_for):
        site = places["chem"]
        response = client_for(cast.street_officer).patch(
            f"/api/sites/{site.pk}/", {"employees": 35}, content_type="application/json"
        )
        assert response.status_code == 200
        site.refresh_from_db()
        assert site.employees == 35 and site.name == "东化工仓库" and site.floor_area == 1200
        assert list(site.site_sectors.values_list("sector_id", "subtype")) == [("hazchem", "storage")]
        assert site.enterprise.principal_mobile == "13812345678"

    def test_the_status_moves_through_its_own_endpoint(self, cast, places, client_for):
        site = places["works"]
        client = client_for(cast.safety_officer)
        ignored = client.patch(f"/api/sites/{site.pk}/", {"status": "closed"}, content_type="application/json")
        assert ignored.status_code == 200 and ignored.json()["status"] == "operating"
        moved = client.post(
            f"/api/sites/{site.pk}/status/",
            {"to_status": "closed", "reason": "关闭取缔"},
            content_type="application/json",
        )
        assert moved.status_code == 200 and moved.json()["status"] == "closed"
        back = client.post(
            f"/api/sites/{site.pk}/status/",
            {"to_status": "operating", "reason": "复产"},
            content_type="application/json",
        )
        assert back.status_code == 400
        site.refresh_from_db()
        assert site.status == SiteStatus.CLOSED

    def test_a_leader_cannot_move_the_status(self, cast, places, client_for):
        site = places["works"]
        response = client_for(cast.leader).post(
            f"/api/sites/{site.pk}/status/", {"to_status": "closed", "reason": "x"}, content_type="application/json"
        )
        assert response.status_code == 403
        site.refresh_from_db()
        assert site.status == SiteStatus.OPERATING


class TestExport:
    @staticmethod
    def _cells(response) -> set:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return {cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}

    @pytest.mark.parametrize("member", ["street_officer", "department_officer", "enterprise", "leader", "city_admin"])
    def test_it_exports_exactly_the_places_in_scope(self, cast, places, client_for, member):
        response = client_for(getattr(cast, member)).get("/api/sites/export/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        names = self._cells(response) & {"东化工仓库", "西工地", "北化工厂"}
        assert names == {places[key].name for key in VISIBLE[member]}

    def test_it_exports_what_the_filters_select(self, cast, places, client_for):
        response = client_for(cast.safety_officer).get("/api/sites/export/", {"sector": "construction"})
        assert self._cells(response) & {"东化工仓库", "西工地"} == {"西工地"}

    def test_it_answers_a_bad_filter_with_400(self, cast, places, client_for):
        assert client_for(cast.safety_officer).get("/api/sites/export/", {"territory": "x"}).status_code == 400

    def test_it_answers_anonymous_callers_401_and_the_administrators_nothing(self, cast, places, client_for):
        assert client_for(None).get("/api/sites/export/").status_code == 401
        assert client_for(cast.system_admin).get("/api/sites/export/").status_code == 404

    def test_it_masks_personal_data_as_the_page_does(self, cast, places, client_for):
        cells = self._cells(client_for(cast.leader).get("/api/sites/export/"))
        assert "138****5678" in cells and "13812345678" not in cells
