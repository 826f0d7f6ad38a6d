"""The place pages: list with filters, detail with tabs and masking, create/edit forms, status changes, map."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.registry import tabs
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Enterprise, Site, SiteStatusChange
from anjian.registry.testing import credit_code
from anjian.registry.tests._places import cast_places

pytestmark = pytest.mark.django_db


@shared_fixture
def places(cast):
    return cast_places(cast)


def _form_data(cast, **overrides):
    data = {
        "name": "东街道新商场",
        "district": cast.district.pk,
        "territory": cast.street.pk,
        "address": "东街道人民路8号",
        "sectors": ["crowded_place", "high_rise"],
        "subtype_crowded_place": "mall",
        "floor_area": "25000",
        "floors": "12",
        "building_height": "49.5",
        "design_occupancy": "3000",
        "longitude": "120.160000",
        "latitude": "30.160000",
        "enterprise-credit_code": credit_code(77),
        "enterprise-name": "东商业管理有限公司",
        "enterprise-legal_representative": "王五",
        "enterprise-principal": "赵六",
        "enterprise-principal_mobile": "13900001111",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class TestList:
    def test_it_shows_the_columns_and_the_write_buttons_to_a_writer(self, cast, places, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:site_list"))
        html = response.content.decode()
        assert "东化工仓库" in html and "东化工有限公司" in html and "危险化学品·储存" in html
        assert 'data-testid="site-create"' in html and 'data-testid="site-import"' in html
        assert reverse("registry:import_form") in html

    @pytest.mark.parametrize("member", ["leader", "enterprise"])
    def test_it_hides_new_and_import_from_read_only_roles(self, cast, places, client_for, member):
        html = client_for(getattr(cast, member)).get(reverse("registry:site_list")).content.decode()
        assert 'data-testid="site-create"' not in html
        assert 'data-testid="site-import"' not in html
        assert 'data-testid="site-export"' in html

    def test_it_filters_and_keeps_the_filters_in_the_export_link(self, cast, places, client_for):
        client = client_for(cast.safety_officer)
        response = client.get(reverse("registry:site_list"), {"sector": "construction", "page": "1"})
        assert [site.name for site in response.context["page_obj"]] == ["西工地"]
        assert f'{reverse("registry:site_export")}?sector=construction"' in response.content.decode()
        by_code = client.get(reverse("registry:site_list"), {"q": credit_code(1).lower()})
        assert [site.name for site in by_code.context["page_obj"]] == ["东化工仓库"]
        by_subtype = client.get(reverse("registry:site_list"), {"subtype": "building"})
        assert [site.name for site in by_subtype.context["page_obj"]] == ["西工地"]

    def test_it_survives_nonsense_filters(self, cast, places, client_for):
        response = client_for(cast.safety_officer).get(
            reverse("registry:site_list"), {"territory": "abc", "status": "nope", "page": "99", "department": "-1"}
        )
        assert response.status_code == 200

    def test_it_does_not_offer_streets_outside_the_scope_in_the_filters(self, cast, places, client_for):
        form = client_for(cast.street_officer).get(reverse("registry:site_list")).context["form"]
        assert {unit.name for unit in form.fields["territory"].queryset} == {"东街道"}

    def test_it_paginates_by_fifty(self, cast, client_for):
        Site.objects.bulk_create(
            Site(name=f"场所{i}", district=cast.district, territory=cast.street) for i in range(55)
        )
        client = client_for(cast.street_officer)
        assert len(client.get(reverse("registry:site_list")).context["page_obj"]) == 50
        assert len(client.get(reverse("registry:site_list"), {"page": 2}).context["page_obj"]) == 5


class TestDetail:
    def test_it_builds_the_tabs_from_the_registry(self, cast, places, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:site_detail", args=[places["chem"].pk]))
        keys = [tab.key for tab in response.context["tabs"]]
        assert keys == ["overview", "responsibility", "chemicals", "risk", "inspections", "accidents", "major_hazards"]
        works = client_for(cast.safety_officer).get(reverse("registry:site_detail", args=[places["works"].pk]))
        assert "chemicals" not in [tab.key for tab in works.context["tabs"]]  # not a hazchem place

    def test_a_module_can_add_a_tab(self, cast, places, client_for):
        tab = tabs.SiteTab(
            key="test_extra",
            label="额外",
            template_name="registry/tabs/chemicals.html",
            order=99,
            visible=lambda user, site: user.role == "street_officer",
            context=lambda request, site: {"chemical_units": []},
        )
        tabs.register(tab)
        try:
            url = reverse("registry:site_detail", args=[places["chem"].pk])
            response = client_for(cast.street_officer).get(url, {"tab": "test_extra"})
            assert response.context["active_tab"].key == "test_extra"
            assert "test_extra" not in [t.key for t in client_for(cast.safety_officer).get(url).context["tabs"]]
        finally:
            tabs._registry.pop("test_extra")

    def test_the_overview_shows_the_facts_that_are_filled_in(self, cast, places, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:site_detail", args=[places["chem"].pk]))
        groups = response.context["fact_groups"]
        assert len(groups) == 1  # only the building fieldset holds a value
        assert [value for _label, value in groups[0]["facts"]] == [Decimal("1200.00")]
        assert "1200" in response.content.decode()

    def test_the_responsibility_tab_names_departments_territory_and_history(self, cast, places, client_for):
        url = reverse("registry:site_detail", args=[places["chem"].pk])
        html = client_for(cast.safety_officer).get(url, {"tab": "responsibility"}).content.decode()
        assert "甲区应急管理局" in html and "东街道" in html and "甲区安办" in html
        assert 'data-testid="status-history"' in html

    def test_the_chemicals_tab_lists_units_and_inventories(self, cast, places, client_for):
        url = reverse("registry:site_detail", args=[places["chem"].pk])
        html = client_for(cast.department_officer).get(url, {"tab": "chemicals"}).content.decode()
        assert "1号储罐区" in html and "7664-41-7" in html

    @pytest.mark.parametrize(
        "member,masked",
        [
            ("street_officer", False),
            ("department_officer", False),
            ("inspector", False),
            ("safety_officer", False),
            ("enterprise", False),
            ("leader", True),
            ("city_admin", True),
        ],
    )
    def test_it_masks_personal_data_for_roles_that_do_not_need_it(self, cast, places, client_for, member, masked):
        url = reverse("registry:site_detail", args=[places["chem"].pk])
        html = client_for(getattr(cast, member)).get(url).content.decode()
        if masked:
            assert "138****5678" in html and "张*" in html and "李*" in html
            assert "13812345678" not in html and "张三" not in html
        else:
            assert "13812345678" in html and "张三" in html

    def test_it_offers_only_the_allowed_next_statuses(self, cast, places, client_for):
        site = places["works"]
        url = reverse("registry:site_detail", args=[site.pk])
        form = client_for(cast.safety_officer).get(url).context["status_form"]
        assert [value for value, _label in form.fields["to_status"].choices] == ["suspended", "closed", "demolished"]
        Site.objects.filter(pk=site.pk).update(status=SiteStatus.CLOSED)
        form = client_for(cast.safety_officer).get(url).context["status_form"]
        assert [value for value, _label in form.fields["to_status"].choices] == ["demolished"]
        Site.objects.filter(pk=site.pk).update(status=SiteStatus.DEMOLISHED)
        assert client_for(cast.safety_officer).get(url).context["status_form"] is None

    def test_it_shows_edit_and_dispute_by_role(self, cast, places, client_for):
        url = reverse("registry:site_detail", args=[places["chem"].pk])
        street = client_for(cast.street_officer).get(url).content.decode()
        assert (
            'data-testid="site-edit"' in street
            and reverse("registry:dispute_create", args=[places["chem"].pk]) in street
        )
        leader = client_for(cast.leader).get(url).content.decode()
        assert 'data-testid="site-edit"' not in leader and 'data-testid="status-form"' not in leader
        assert 'data-testid="site-dispute"' not in leader


class TestCreate:
    def test_it_registers_a_place_with_sectors_enterprise_and_facts(self, cast, client_for):
        response = client_for(cast.street_officer).post(reverse("registry:site_create"), _form_data(cast))
        site = Site.objects.get(name="东街道新商场")
        assert response.status_code == 302
        assert response["Location"] == reverse("registry:site_detail", args=[site.pk])
        assert sorted((s.sector_id, s.subtype) for s in site.site_sectors.all()) == [
            ("crowded_place", "mall"),
            ("high_rise", ""),
        ]
        assert site.enterprise.legal_representative == "王五"
        assert site.floors == 12 and site.building_height == Decimal("49.5")
        assert site.territory == cast.street and site.district == cast.district
        assert SiteStatusChange.objects.filter(site=site, to_status=SiteStatus.OPERATING).exists()
        assert AuditEntry.objects.filter(action="registry.site.create", object_id=str(site.pk)).exists()

    def test_it_fills_in_the_district_of_a_district_user(self, cast, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:site_create"))
        form = response.context["form"]
        assert form.initial["district"] == cast.district.pk
        assert {unit.name for unit in form.fields["territory"].queryset} == {"东街道"}
        assert "subtype_crowded_place" in response.content.decode()

    @pytest.mark.parametrize(
        "overrides,field,form_name",
        [
            ({"enterprise-credit_code": "91330106000000001X"}, "credit_code", "enterprise_form"),
            ({"enterprise-principal_mobile": "12345"}, "principal_mobile", "enterprise_form"),
            ({"enterprise-name": ""}, "name", "enterprise_form"),
            ({"sectors": None}, "sectors", "form"),
            ({"subtype_crowded_place": "castle"}, "subtype_crowded_place", "form"),
            ({"km_from": "10", "km_to": "2", "sectors": ["road_traffic"]}, "km_to", "form"),
            ({"permit_valid_from": "2026-02-01", "permit_valid_to": "2026-01-01"}, "permit_valid_to", "form"),
            ({"latitude": ""}, "latitude", "form"),
            ({"longitude": "500"}, "longitude", "form"),
            ({"floors": "-3"}, "floors", "form"),
            ({"year_built": "1500"}, "year_built", "form"),
            ({"territory": "other"}, "territory", "form"),
            ({"name": ""}, "name", "form"),
        ],
    )
    def test_it_shows_what_is_wrong_and_saves_nothing(self, cast, client_for, overrides, field, form_name):
        response = client_for(cast.street_officer).post(reverse("registry:site_create"), _form_data(cast, **overrides))
        assert response.status_code == 200
        assert field in response.context[form_name].errors
        assert 'data-testid="form-errors"' in response.content.decode()
        assert not Site.objects.filter(name="东街道新商场").exists()
        assert not Enterprise.objects.filter(credit_code=credit_code(77)).exists()

    def test_a_street_officer_cannot_register_a_place_in_another_street(self, cast, client_for):
        data = _form_data(cast, territory=cast.other_street.pk)
        response = client_for(cast.street_officer).post(reverse("registry:site_create"), data)
        assert "territory" in response.context["form"].errors
        assert not Site.objects.exists()

    def test_a_department_registers_only_places_of_its_sectors(self, cast, client_for):
        data = _form_data(cast)
        response = client_for(cast.department_officer).post(reverse("registry:site_create"), data)
        assert "sectors" in response.context["form"].errors
        assert not Site.objects.exists()
        data = _form_data(cast, sectors=["hazchem"], subtype_hazchem="use", territory=cast.other_street.pk)
        assert client_for(cast.department_officer).post(reverse("registry:site_create"), data).status_code == 302
        assert Site.objects.get().site_sectors.get().sector_id == "hazchem"

    def test_city_staff_choose_the_district(self, cast, client_for):
        form = client_for(cast.city_admin).get(reverse("registry:site_create")).context["form"]
        assert {unit.name for unit in form.fields["district"].queryset} == {"甲区", "乙区"}
        data = _form_data(cast, district=cast.other_district.pk)  # 东街道 is not in 乙区
        response = client_for(cast.city_admin).post(reverse("registry:site_create"), data)
        assert "territory" in response.context["form"].errors
        assert not Site.objects.exists()

    def test_masked_roles_do_not_see_or_send_the_people(self, cast, places, client_for):
        url = reverse("registry:site_edit", args=[places["chem"].pk])
        response = client_for(cast.city_admin).get(url)
        assert "legal_representative" not in response.context["enterprise_form"].fields
        assert "13812345678" not in response.content.decode()


class TestEdit:
    def test_it_saves_changes_through_the_service(self, cast, places, client_for):
        site = places["chem"]
        client = client_for(cast.street_officer)
        form = client.get(reverse("registry:site_edit", args=[site.pk])).context["form"]
        assert form.initial["sectors"] == ["hazchem"] and form.initial["subtype_hazchem"] == "storage"
        data = _form_data(
            cast,
            name="东化工仓库（扩建）",
            sectors=["hazchem", "industry_trade"],
            subtype_hazchem="trading",
            subtype_crowded_place=None,
            **{
                "enterprise-credit_code": credit_code(1),
                "enterprise-name": "东化工有限公司",
                "enterprise-principal_mobile": "13700002222",
            },
        )
        response = client.post(reverse("registry:site_edit", args=[site.pk]), data)
        assert response.status_code == 302
        site.refresh_from_db()
        assert site.name == "东化工仓库（扩建）"
        assert sorted(s.sector_id + ":" + s.subtype for s in site.site_sectors.all()) == [
            "hazchem:trading",
            "industry_trade:",
        ]
        assert site.enterprise.principal_mobile == "13700002222"
        assert AuditEntry.objects.filter(action="registry.site.update", object_id=str(site.pk)).exists()

    def test_a_masked_role_keeps_the_people_as_they_are(self, cast, places, client_for):
        site = places["chem"]
        data = _form_data(
            cast,
            name="东化工仓库",
            sectors=["hazchem"],
            **{"enterprise-credit_code": credit_code(1), "enterprise-name": "东化工有限公司"},
        )
        for key in ("enterprise-legal_representative", "enterprise-principal", "enterprise-principal_mobile"):
            data[key] = "13000000000" if key.endswith("mobile") else "伪造"
        response = client_for(cast.city_admin).post(reverse("registry:site_edit", args=[site.pk]), data)
        assert response.status_code == 302
        site.enterprise.refresh_from_db()
        assert site.enterprise.legal_representative == "张三"
        assert site.enterprise.principal_mobile == "13812345678"

    def test_an_invalid_edit_changes_nothing(self, cast, places, client_for):
        site = places["chem"]
        data = _form_data(cast, name="", sectors=["hazchem"])
        response = client_for(cast.street_officer).post(reverse("registry:site_edit", args=[site.pk]), data)
        assert response.status_code == 200 and "name" in response.context["form"].errors
        site.refresh_from_db()
        assert site.name == "东化工仓库"


class TestStatus:
    def test_it_changes_the_status_with_a_reason_and_keeps_the_history(self, cast, places, client_for):
        site = places["works"]
        url = reverse("registry:site_status", args=[site.pk])
        response = client_for(cast.safety_officer).post(url, {"to_status": "suspended", "reason": "重大隐患停产整顿"})
        assert response.status_code == 302
        site.refresh_from_db()
        assert site.status == SiteStatus.SUSPENDED
        assert site.status_changes.first().reason == "重大隐患停产整顿"

    @pytest.mark.parametrize(
        "data,field",
        [({"to_status": "operating", "reason": "x"}, "to_status"), ({"to_status": "closed", "reason": ""}, "reason")],
    )
    def test_it_refuses_a_forbidden_move_or_a_missing_reason(self, cast, places, client_for, data, field):
        site = places["works"]
        response = client_for(cast.safety_officer).post(reverse("registry:site_status", args=[site.pk]), data)
        assert response.status_code == 200
        assert field in response.context["status_form"].errors
        site.refresh_from_db()
        assert site.status == SiteStatus.OPERATING

    def test_a_get_goes_back_to_the_detail_page(self, cast, places, client_for):
        response = client_for(cast.safety_officer).get(reverse("registry:site_status", args=[places["works"].pk]))
        assert response.status_code == 302


class TestMap:
    def test_it_draws_the_visible_boundaries_and_the_legend(self, cast, places, client_for):
        response = client_for(cast.street_officer).get(reverse("registry:site_map"), {"sector": "hazchem"})
        html = response.content.decode()
        features = response.context["boundaries"]["features"]
        assert [f["properties"]["name"] for f in features] == ["东街道"]
        assert 'data-testid="map-legend"' in html
        assert "map/points.json?sector=hazchem" in html
        assert "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster." in html

    def test_the_points_are_compact_filtered_and_one_query(self, cast, places, client_for):
        client = client_for(cast.safety_officer)
        Site.objects.filter(pk=places["works"].pk).update(risk_level="orange")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:site_map_points"), {"sector": "construction"})
        site_queries = [q for q in queries.captured_queries if '"registry_site"' in q["sql"]]
        assert len(site_queries) == 1
        assert response.json() == {"points": [[places["works"].pk, 30.12, 120.12, "西工地", "orange", "operating"]]}

    def test_places_without_coordinates_are_left_off_the_map(self, cast, places, client_for):
        Site.objects.filter(pk=places["chem"].pk).update(latitude=None, longitude=None)
        response = client_for(cast.street_officer).get(reverse("registry:site_map_points"))
        assert response.json() == {"points": []}
