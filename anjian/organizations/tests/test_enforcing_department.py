"""The enforcing department of each sector (责令限期整改 is an enforcement act of the department with legal power over
the sector): seeded from STANDARDS §1, found in a district, edited by the city administrator where the sectors'
supervision is shown (the mandate matrix)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anjian.core.models import AuditEntry
from anjian.organizations import selectors, services
from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.models import Sector
from anjian.organizations.standards import DEFAULT_ENFORCING_DEPARTMENT, DEFAULT_MANDATES, SECTOR_CODES

pytestmark = pytest.mark.django_db


class TestDefaults:
    def test_every_sector_has_an_enforcing_department_among_its_supervisors(self):
        assert set(DEFAULT_ENFORCING_DEPARTMENT) == set(SECTOR_CODES)
        for code, department_type in DEFAULT_ENFORCING_DEPARTMENT.items():
            assert department_type in DEFAULT_MANDATES[code], code

    def test_the_usual_sectors_go_to_the_usual_departments(self):
        assert DEFAULT_ENFORCING_DEPARTMENT["hazchem"] == DepartmentType.EMERGENCY
        assert DEFAULT_ENFORCING_DEPARTMENT["industry_trade"] == DepartmentType.EMERGENCY
        assert DEFAULT_ENFORCING_DEPARTMENT["construction"] == DepartmentType.HOUSING
        assert DEFAULT_ENFORCING_DEPARTMENT["three_in_one"] == DepartmentType.FIRE_RESCUE
        assert DEFAULT_ENFORCING_DEPARTMENT["high_rise"] == DepartmentType.FIRE_RESCUE
        assert DEFAULT_ENFORCING_DEPARTMENT["special_equipment"] == DepartmentType.MARKET_REGULATION

    def test_the_migrated_sectors_carry_the_defaults(self):
        assert dict(Sector.objects.values_list("code", "enforcing_department_type")) == DEFAULT_ENFORCING_DEPARTMENT

    def test_reloading_the_sectors_keeps_an_edited_enforcing_department(self):
        Sector.objects.filter(code="city_gas").update(enforcing_department_type=DepartmentType.URBAN_MANAGEMENT)
        services.ensure_sectors()
        assert Sector.objects.get(code="city_gas").enforcing_department_type == DepartmentType.URBAN_MANAGEMENT


class TestInADistrict:
    def test_it_finds_the_districts_department_of_the_enforcing_type(self, cast):
        found = selectors.enforcing_departments(
            district_id=cast.district.pk, sector_codes=["hazchem", "construction", "three_in_one"]
        )
        assert found == {"hazchem": cast.emergency, "construction": cast.housing}  # no fire brigade in the cast

    def test_it_prefers_the_department_mandated_for_the_sector(self, cast):
        second = services.create_org_unit(
            actor=None,
            name="甲区应急管理局二分局",
            kind=OrgUnitKind.DEPARTMENT,
            parent=cast.district,
            department_type=DepartmentType.EMERGENCY,
            order=0,
            apply_default_mandates=False,
        )
        services.set_mandates(actor=cast.safety_officer, department=second, sector_codes=["fireworks"])
        services.set_mandates(actor=cast.safety_officer, department=cast.emergency, sector_codes=["hazchem"])
        found = selectors.enforcing_departments(district_id=cast.district.pk, sector_codes=["hazchem", "fireworks"])
        assert found == {"hazchem": cast.emergency, "fireworks": second}

    def test_another_districts_departments_are_never_named(self, cast):
        assert selectors.enforcing_departments(district_id=cast.other_district.pk, sector_codes=["hazchem"]) == {}


class TestEditing:
    def test_the_city_administrator_changes_it_and_it_is_audited(self, cast):
        sector = Sector.objects.get(code="city_gas")
        services.set_enforcing_department(
            actor=cast.city_admin, sector=sector, department_type=DepartmentType.URBAN_MANAGEMENT
        )
        assert Sector.objects.get(code="city_gas").enforcing_department_type == DepartmentType.URBAN_MANAGEMENT
        entry = AuditEntry.objects.filter(action="organizations.sector.enforcing_department").latest("seq")
        assert entry.before == {"enforcing_department_type": DepartmentType.HOUSING}
        assert entry.after == {"enforcing_department_type": DepartmentType.URBAN_MANAGEMENT}

    @pytest.mark.parametrize("member", ["safety_officer", "department_officer", "system_admin", "leader"])
    def test_nobody_else_changes_it(self, cast, member):
        sector = Sector.objects.get(code="hazchem")
        with pytest.raises(PermissionDenied):
            services.set_enforcing_department(
                actor=getattr(cast, member), sector=sector, department_type=DepartmentType.HOUSING
            )
        assert Sector.objects.get(code="hazchem").enforcing_department_type == DepartmentType.EMERGENCY

    def test_it_refuses_an_unknown_department_type(self, cast):
        with pytest.raises(ValidationError):
            services.set_enforcing_department(
                actor=cast.city_admin, sector=Sector.objects.get(code="hazchem"), department_type="police_station"
            )

    def test_the_page_saves_it_for_the_city_administrator(self, cast, client_for):
        url = reverse("organizations:sector_edit", args=["city_gas"])
        client = client_for(cast.city_admin)
        assert client.get(url).status_code == 200
        refused = client.post(url, {"enforcing_department_type": ""})
        assert refused.status_code == 200 and "enforcing_department_type" in refused.context["form"].errors
        response = client.post(url, {"enforcing_department_type": DepartmentType.URBAN_MANAGEMENT})
        assert response.status_code == 302
        assert Sector.objects.get(code="city_gas").enforcing_department_type == DepartmentType.URBAN_MANAGEMENT

    @pytest.mark.parametrize(
        ("member", "status"),
        [
            ("city_admin", 200),
            ("safety_officer", 404),
            ("far_safety_officer", 404),
            ("leader", 404),
            ("department_officer", 404),
            ("enterprise", 404),
            ("system_admin", 404),
            (None, 302),
        ],
    )
    def test_the_edit_page_is_the_city_administrators(self, cast, client_for, member, status):
        user = getattr(cast, member) if member else None
        response = client_for(user).get(reverse("organizations:sector_edit", args=["hazchem"]))
        assert response.status_code == status
        if member is None:
            assert reverse("accounts:login") in response["Location"]

    def test_an_unknown_sector_is_404(self, cast, client_for):
        assert client_for(cast.city_admin).get(reverse("organizations:sector_edit", args=["nope"])).status_code == 404

    def test_the_mandate_matrix_shows_each_sectors_enforcer_and_the_edit_link(
        self, cast, client_for, django_assert_max_num_queries
    ):
        client = client_for(cast.safety_officer)
        with django_assert_max_num_queries(15):  # three for the enforcers, whatever the number of sectors
            response = client.get(reverse("organizations:mandate_matrix"))
        content = response.content.decode()
        rows = {row.sector.code: enforcer for row, enforcer in response.context["rows"]}
        assert rows["hazchem"] == cast.emergency and rows["construction"] == cast.housing
        assert rows["three_in_one"] is None  # the district has no fire brigade: said so on the row
        assert reverse("organizations:sector_edit", args=["hazchem"]) not in content
        admin = client_for(cast.city_admin).get(reverse("organizations:mandate_matrix"))
        assert reverse("organizations:sector_edit", args=["hazchem"]) in admin.content.decode()

    def test_the_api_reads_it(self, cast, client_for):
        rows = client_for(cast.leader).get("/api/sectors/").json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        by_code = {row["code"]: row["enforcing_department_type"] for row in rows}
        assert by_code["hazchem"] == "emergency" and by_code["construction"] == "housing"
