"""The jurisdiction tree, sector mandates and supervision gaps."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.models import AuditEntry
from anjian.organizations import selectors, services
from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.organizations.standards import DEFAULT_MANDATES, SECTOR_CODES, SECTORS, default_sectors_for


class TestStandards:
    def test_the_sectors_are_those_of_standards_section_1(self):
        assert SECTOR_CODES == [
            "hazchem",
            "fireworks",
            "construction",
            "road_traffic",
            "city_gas",
            "special_equipment",
            "commercial",
            "large_event",
            "three_in_one",
            "crowded_place",
            "self_built_house",
            "group_rental",
            "dilapidated_house",
            "high_rise",
            "municipal",
            "industry_trade",
            "waterlogging_point",
        ]

    def test_every_sector_has_a_default_department(self):
        assert set(DEFAULT_MANDATES) == set(SECTOR_CODES)
        assert all(DEFAULT_MANDATES[code] for code in SECTOR_CODES)

    def test_default_mandates_follow_the_table(self):
        assert default_sectors_for(DepartmentType.EMERGENCY) == ["hazchem", "fireworks", "industry_trade"]
        assert default_sectors_for(DepartmentType.FIRE_RESCUE) == ["three_in_one", "crowded_place", "high_rise"]
        assert "road_traffic" in default_sectors_for(DepartmentType.TRAFFIC_POLICE)
        assert default_sectors_for(DepartmentType.OTHER) == []

    @pytest.mark.django_db
    def test_the_migration_loaded_every_sector(self):
        assert list(Sector.objects.values_list("code", "name")) == [(code, zh) for code, zh, _en in SECTORS]


@pytest.mark.django_db
class TestTree:
    def test_units_know_their_city_and_district(self, cast):
        assert cast.street.district == cast.district and cast.street.city == cast.city
        assert cast.district.city == cast.city and cast.district.district is None

    def test_a_street_must_sit_in_a_district(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            services.create_org_unit(actor=None, name="孤街道", kind=OrgUnitKind.STREET, parent=cast.city)
        assert "parent" in excinfo.value.message_dict

    def test_only_territorial_units_have_population_and_boundary(self, cast):
        with pytest.raises(ValidationError):
            services.create_org_unit(
                actor=None,
                name="人口局",
                kind=OrgUnitKind.DEPARTMENT,
                parent=cast.district,
                department_type=DepartmentType.OTHER,
                population=5,
            )

    def test_a_bad_boundary_is_refused_in_chinese(self, cast):
        open_ring = {"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 31]]]}
        with pytest.raises(ValidationError) as excinfo:
            services.update_org_unit(actor=None, unit=cast.street, boundary=open_ring)
        assert "闭合" in str(excinfo.value)
        cast.street.refresh_from_db()
        assert cast.street.boundary["coordinates"][0][0] == [120.1, 30.1]

    def test_the_kind_cannot_change(self, cast):
        with pytest.raises(ValidationError):
            services.update_org_unit(actor=None, unit=cast.street, kind=OrgUnitKind.PARK)

    def test_a_new_department_gets_its_default_mandates(self, cast):
        assert set(cast.emergency.sectors.values_list("code", flat=True)) == {"hazchem", "fireworks", "industry_trade"}

    def test_moving_a_unit_is_refused_to_someone_without_that_right(self, cast):
        with pytest.raises(PermissionDenied):
            services.update_org_unit(actor=cast.leader, unit=cast.street, name="改名街道")
        cast.street.refresh_from_db()
        assert cast.street.name == "东街道"

    def test_an_administrator_change_is_audited_with_before_and_after(self, cast):
        services.update_org_unit(actor=cast.system_admin, unit=cast.street, population=51000)
        entry = AuditEntry.objects.filter(action="organizations.org_unit.update").latest("seq")
        assert entry.before == {"population": 50000} and entry.after == {"population": 51000}
        assert entry.actor_id == cast.system_admin.pk


@pytest.mark.django_db
class TestMandates:
    def test_the_safety_office_edits_mandates_and_it_is_audited(self, cast):
        services.set_mandates(actor=cast.safety_officer, department=cast.housing, sector_codes=["construction"])
        assert list(cast.housing.sectors.values_list("code", flat=True)) == ["construction"]
        entry = AuditEntry.objects.filter(action="organizations.mandates.set").latest("seq")
        assert entry.after == {"sectors": ["construction"]}

    @pytest.mark.parametrize("member", ["leader", "department_officer", "street_officer", "far_safety_officer"])
    def test_others_cannot_edit_mandates(self, cast, member):
        with pytest.raises(PermissionDenied):
            services.set_mandates(actor=getattr(cast, member), department=cast.emergency, sector_codes=[])
        assert cast.emergency.sectors.count() == 3

    def test_an_unknown_sector_is_refused_and_nothing_changes(self, cast):
        with pytest.raises(ValidationError):
            services.set_mandates(
                actor=cast.safety_officer, department=cast.emergency, sector_codes=["hazchem", "mars"]
            )
        assert cast.emergency.sectors.count() == 3

    def test_the_gap_report_lists_sectors_nobody_supervises(self, cast):
        gaps = {s.code for s in selectors.unsupervised_sectors(district=cast.district)}
        # 甲区 has only the emergency and housing departments.
        assert "hazchem" not in gaps and "construction" not in gaps
        assert {"road_traffic", "special_equipment", "waterlogging_point"} <= gaps
        services.set_mandates(
            actor=cast.safety_officer,
            department=cast.housing,
            sector_codes=[*cast.housing.sectors.values_list("code", flat=True), "waterlogging_point"],
        )
        gaps = {s.code for s in selectors.unsupervised_sectors(district=cast.district)}
        assert "waterlogging_point" not in gaps

    def test_an_inactive_department_leaves_a_gap(self, cast):
        services.update_org_unit(actor=None, unit=cast.emergency, is_active=False)
        gaps = {s.code for s in selectors.unsupervised_sectors(district=cast.district)}
        assert "hazchem" in gaps

    def test_the_mandate_page_highlights_gaps(self, client, cast):
        client.force_login(cast.leader)
        page = client.get("/org/mandates/").content.decode()
        assert "监管盲区" in page
        assert "危险化学品" in page


@pytest.mark.django_db
class TestPages:
    def test_the_system_administrator_creates_a_street_from_the_form(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            "/org/new/",
            {
                "name": "新街道",
                "kind": "street",
                "parent": cast.district.pk,
                "population": "12000",
                "boundary": '{"type": "Polygon", "coordinates": [[[120,30],[121,30],[121,31],[120,30]]]}',
                "order": "0",
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        street = OrgUnit.objects.get(name="新街道")
        assert street.district == cast.district and street.population == 12000

    def test_a_form_error_is_shown_in_chinese_and_nothing_is_saved(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            "/org/new/",
            {"name": "坏街道", "kind": "street", "parent": cast.city.pk, "boundary": "{not json", "order": "0"},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "JSON" in body and "is-invalid" in body
        assert not OrgUnit.objects.filter(name="坏街道").exists()

    def test_the_safety_office_saves_mandates_from_the_form(self, client, cast):
        client.force_login(cast.safety_officer)
        response = client.post(f"/org/{cast.housing.pk}/mandates/", {"sectors": ["construction", "city_gas"]})
        assert response.status_code == 302
        assert set(cast.housing.sectors.values_list("code", flat=True)) == {"construction", "city_gas"}

    def test_the_api_replaces_mandates_for_the_safety_office_only(self, client, cast):
        client.force_login(cast.leader)
        response = client.put(
            f"/api/org-units/{cast.housing.pk}/mandates/", {"sectors": ["city_gas"]}, content_type="application/json"
        )
        assert response.status_code == 403
        client.force_login(cast.safety_officer)
        response = client.put(
            f"/api/org-units/{cast.housing.pk}/mandates/", {"sectors": ["city_gas"]}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json() == {"sectors": ["city_gas"]}
        response = client.put(
            f"/api/org-units/{cast.housing.pk}/mandates/", {"sectors": ["nope"]}, content_type="application/json"
        )
        assert response.status_code == 400

    def test_the_api_patch_validates_the_boundary(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.patch(
            f"/api/org-units/{cast.street.pk}/", {"boundary": {"type": "Point"}}, content_type="application/json"
        )
        assert response.status_code == 400
        response = client.patch(
            f"/api/org-units/{cast.street.pk}/", {"population": 60000}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["population"] == 60000


@pytest.mark.django_db
class TestBoundaries:
    def test_positions_with_an_altitude_are_accepted_and_drawn(self, client, cast):
        three_d = {"type": "Polygon", "coordinates": [[[120, 30, 5], [121, 30, 5], [121, 31, 5], [120, 30, 5]]]}
        services.update_org_unit(actor=None, unit=cast.street, boundary=three_d)
        client.force_login(cast.street_officer)
        assert client.get(f"/org/{cast.street.pk}/").status_code == 200
        assert client.get("/").status_code == 200

    def test_a_ring_without_area_is_refused(self, cast):
        flat = {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]}
        with pytest.raises(ValidationError) as excinfo:
            services.update_org_unit(actor=None, unit=cast.street, boundary=flat)
        assert "面积" in str(excinfo.value)

    def test_a_population_on_a_department_is_refused_without_database_jargon(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            f"/org/{cast.emergency.pk}/edit/",
            {
                "name": cast.emergency.name,
                "parent": cast.district.pk,
                "department_type": "emergency",
                "population": "5",
                "order": "0",
                "is_active": "on",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "只有街镇和园区" in body and "org_unit_population_only_territorial" not in body

    def test_the_not_found_page_is_chinese(self, client, cast):
        client.force_login(cast.street_officer)
        response = client.get(f"/org/{cast.other_street.pk}/")
        assert response.status_code == 404
        assert "辖区" in response.content.decode()
