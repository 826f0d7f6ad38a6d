"""Enterprises are not overwritten by a link or an import beyond the importer's reach, a file with only the required
columns imports, points are checked against their street, and a few rules of responsibility and export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from anjian.registry import selectors, services
from anjian.registry.models import Enterprise, Site
from anjian.registry.testing import credit_code, make_site
from anjian.registry.tests.test_import import codes, counts, csv_bytes, run, xlsx


@pytest.fixture
def chemical_plant(cast):
    plant = make_site(
        name="宏达化工仓库",
        district=cast.district,
        territory=cast.other_street,
        sectors=[("hazchem", "")],
        enterprise_n=7,
    )
    Enterprise.objects.filter(pk=plant.enterprise_id).update(principal="王五", principal_mobile="13900001111")
    return plant


@pytest.fixture
def shop_in_street(cast, chemical_plant):
    """A shop of the same enterprise in 东街道: the street sees the enterprise but cannot change its plant."""
    return make_site(
        name="宏达门市部", district=cast.district, territory=cast.street, sectors=[("commercial", "")], enterprise_n=7
    )


@pytest.mark.django_db
class TestEnterprisesAreNotOverwritten:
    def test_a_street_cannot_rename_an_enterprise_with_places_outside_its_street(self, cast, chemical_plant):
        with pytest.raises(ValidationError) as excinfo:
            services.create_site(
                actor=cast.street_officer,
                fields={"name": "海滨新场所", "district": cast.district, "territory": cast.street},
                sectors=[("commercial", "")],
                enterprise={"name": "改名公司", "credit_code": credit_code(7)},
            )
        assert "credit_code" in excinfo.value.message_dict
        chemical_plant.enterprise.refresh_from_db()
        assert chemical_plant.enterprise.name == "测试企业7有限公司"

    def test_linking_to_a_known_credit_code_changes_nothing_of_the_enterprise(
        self, cast, chemical_plant, shop_in_street
    ):
        site = services.create_site(
            actor=cast.street_officer,
            fields={"name": "同一企业的门店", "district": cast.district, "territory": cast.street},
            sectors=[("commercial", "")],
            enterprise={
                "name": "测试企业7有限公司",
                "credit_code": credit_code(7),
                "principal": "",
                "principal_mobile": "",
            },
        )
        assert site.enterprise_id == chemical_plant.enterprise_id
        enterprise = Enterprise.objects.get(pk=site.enterprise_id)
        assert (enterprise.principal, enterprise.principal_mobile) == ("王五", "13900001111")

    def test_blank_values_never_wipe_the_stored_contacts(self, cast, chemical_plant):
        services.upsert_enterprise(
            actor=cast.safety_officer, data={"credit_code": credit_code(7), "name": "", "principal": ""}
        )
        assert Enterprise.objects.get(credit_code=credit_code(7)).principal == "王五"

    def test_an_import_cannot_rename_an_enterprise_beyond_the_importers_reach(self, cast, chemical_plant):
        data = xlsx(
            [
                {
                    "场所名称": "海滨门店",
                    "统一社会信用代码": credit_code(7),
                    "企业名称": "导入改名化工",
                    "所属街镇/园区": "东街道",
                    "行业领域": "商圈商超",
                }
            ],
            headers=["场所名称", "统一社会信用代码", "企业名称", "所属街镇/园区", "行业领域"],
        )
        # The street does not see the enterprise (its only place is in 西街道): not linked at all.
        before = counts()
        assert codes(run(cast, data, actor="street_officer")) == {"enterprise_out_of_reach"}
        assert counts() == before
        # With a shop in the street it sees the enterprise, still not to rename it: the plant is beyond its reach.
        make_site(name="宏达门市部", district=cast.district, territory=cast.street, enterprise_n=7)
        before = counts()
        result = run(cast, data, actor="street_officer")
        assert "enterprise_locked" in codes(result)
        assert counts() == before
        assert Enterprise.objects.get(credit_code=credit_code(7)).name == "测试企业7有限公司"


@pytest.mark.django_db
class TestImportWithFewColumns:
    @pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
    def test_a_file_with_only_the_required_columns_imports(self, cast, encoding):
        headers = ["场所名称", "所属街镇/园区", "行业领域"]
        rows = [{"场所名称": "东街道小餐馆", "所属街镇/园区": "东街道", "行业领域": "人员密集场所"}]
        result = run(cast, csv_bytes(rows, encoding, headers=headers), filename="places.csv")
        assert result.errors == [] and result.created == 1
        site = Site.objects.get(name="东街道小餐馆")
        assert site.address == "" and site.structure_type == "" and site.floors is None


@pytest.mark.django_db
class TestCoordinates:
    def test_a_point_outside_the_street_is_refused_by_the_services_too(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_site(
                name="北京的点",
                district=cast.district,
                territory=cast.street,
                longitude=Decimal("116.4"),
                latitude=Decimal("39.9"),
            )
        assert "longitude" in excinfo.value.message_dict
        assert not Site.objects.filter(name="北京的点").exists()

    def test_assigning_a_street_checks_the_point(self, cast):
        site = make_site(name="无属地点", district=cast.district, longitude=Decimal("116.4"), latitude=Decimal("39.9"))
        with pytest.raises(ValidationError):
            services.assign_territory(actor=cast.safety_officer, site=site, territory=cast.street, reason="属地")
        site.refresh_from_db()
        assert site.territory_id is None


@pytest.mark.django_db
def test_a_department_heard_on_a_dispute_decided_for_a_street_stops_answering(cast):
    site = make_site(name="物流仓库", district=cast.district, territory=cast.street, sectors=[("industry_trade", "")])
    dispute = services.raise_dispute(actor=cast.department_officer, site=site, reason="属地街道负责日常监管")
    services.decide_dispute(actor=cast.safety_officer, dispute=dispute, responsible_unit=cast.park, decision="归园区")
    assert selectors.supervisors_of(site) == {"industry_trade": []}
    assert not Site.objects.visible_to(cast.department_officer).filter(pk=site.pk).exists()


@pytest.mark.django_db
def test_the_three_administrators_get_no_export(client, cast):
    client.force_login(cast.system_admin)
    assert client.get("/places/export.xlsx").status_code == 404
    assert client.get("/api/sites/export/").status_code == 404


@pytest.mark.django_db
def test_the_responsibility_tab_shows_why_a_department_answers(client, cast):
    site = make_site(name="内涝点", district=cast.district, territory=cast.street, sectors=[("waterlogging_point", "")])
    services.assign_department(
        actor=cast.safety_officer,
        site=site,
        sector_code="waterlogging_point",
        department=cast.housing,
        reason="区安办会议纪要",
    )
    client.force_login(cast.safety_officer)
    body = client.get(f"/places/{site.pk}/", {"tab": "responsibility"}).content.decode()
    assert "区安办会议纪要" in body and "甲区住建局" in body
