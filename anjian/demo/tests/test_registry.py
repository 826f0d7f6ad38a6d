"""The demo data of the registry (`seed_demo`): places, facts, coordinates, gaps, one dispute."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from anjian.accounts.models import User
from anjian.core.models import AuditEntry
from anjian.demo import registry as demo
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import selectors
from anjian.registry.choices import DisputeStatus, SiteStatus
from anjian.registry.models import ChemicalInventory, Enterprise, ResponsibilityDispute, Site, SiteSector
from anjian.registry.validators import validate_cas_number, validate_credit_code

pytestmark = pytest.mark.demo

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}


def _seed():
    with override_settings(ANJIAN_DEMO=True):
        call_command("seed_demo", "--inspections-size", "0", stdout=io.StringIO())


def _counts() -> dict:
    from anjian.registry.models import ChemicalUnit, SiteStatusChange, SupervisionOverride

    models = [OrgUnit, User, Enterprise, Site, SiteSector, SiteStatusChange, ChemicalUnit, ChemicalInventory]
    models += [SupervisionOverride, ResponsibilityDispute, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def seeded(demo_city, django_db_blocker):
    """The demo city of the session (seeded without inspections, which this module does not try)."""
    with django_db_blocker.unblock():
        return OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code="990102")


@pytest.fixture
def district(seeded, db):
    return seeded


class TestGeometry:
    def test_it_tells_inside_from_outside(self):
        assert demo.point_in_polygon(1, 1, SQUARE)
        assert not demo.point_in_polygon(3, 1, SQUARE)
        assert not demo.point_in_polygon(-0.1, 1, SQUARE)
        holed = {
            "type": "Polygon",
            "coordinates": [*SQUARE["coordinates"], [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 0.5]]],
        }
        assert not demo.point_in_polygon(1.2, 0.8, holed)

    def test_it_draws_points_inside_a_polygon(self):
        import random

        rng = random.Random(1)
        triangle = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}
        for _i in range(200):
            x, y = demo.random_point_in(triangle, rng)
            assert x + y <= 1

    def test_it_generates_the_same_places_for_the_same_seed(self):
        district = OrgUnit(pk=1, name="滨江区", kind=OrgUnitKind.DISTRICT, code="990102")
        streets = [OrgUnit(pk=2, name="海滨街道", kind=OrgUnitKind.STREET, boundary=SQUARE)]
        first = [(s.name, s.address, s.sectors) for s in demo.generate(district, streets, seed=5)]
        second = [(s.name, s.address, s.sectors) for s in demo.generate(district, streets, seed=5)]
        assert first == second and len(first) == demo.DEMO_DISTRICT_PLACES


class TestSeed:
    def test_it_puts_about_3000_places_in_the_demo_district_across_every_sector(self, district):
        places = Site.objects.filter(district=district)
        assert places.count() >= 2900
        sectors = set(SiteSector.objects.filter(site__district=district).values_list("sector_id", flat=True))
        assert sectors == set(Sector.objects.values_list("code", flat=True))
        mix = Counter(
            dict(SiteSector.objects.filter(site__district=district).values_list("sector_id").annotate(n=Count("id")))
        )
        assert mix["crowded_place"] > mix["hazchem"] > mix["large_event"]
        assert mix["self_built_house"] > 10 * mix["fireworks"]

    def test_it_puts_a_few_hundred_places_in_each_other_district(self, district):
        for other in OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).exclude(pk=district.pk):
            assert 150 <= Site.objects.filter(district=other).count() <= 600, other.name

    def test_every_place_lies_inside_its_street_or_park(self, district):
        polygons = {u.pk: u.boundary for u in OrgUnit.objects.filter(kind__in=[OrgUnitKind.STREET, OrgUnitKind.PARK])}
        district_polygons = {}
        for unit in OrgUnit.objects.filter(kind__in=[OrgUnitKind.STREET, OrgUnitKind.PARK]):
            district_polygons.setdefault(unit.district_id, []).append(unit.boundary)
        rows = Site.objects.values_list("name", "territory_id", "district_id", "longitude", "latitude")
        for name, territory_id, district_id, lon, lat in rows:
            assert lon is not None and lat is not None, name
            if territory_id:
                assert demo.point_in_polygon(float(lon), float(lat), polygons[territory_id]), name
            else:  # a deliberate gap: still inside the district
                assert any(demo.point_in_polygon(float(lon), float(lat), p) for p in district_polygons[district_id])

    def test_the_places_have_plausible_chinese_names_and_addresses(self, district):
        names = list(Site.objects.filter(district=district).values_list("name", "address"))
        assert all(address.startswith("滨江区") and name for name, address in names)
        assert any(name.endswith("自建房") and "社区" in name for name, _a in names)
        assert any(name.endswith("餐饮店") for name, _a in names)
        assert sum(address.endswith("号") for _n, address in names) > 2000

    def test_the_places_pass_the_model_validation(self, district):
        sample = Site.objects.filter(district=district).order_by("id")[::25]
        for site in sample:
            site.full_clean()
        for row in SiteSector.objects.filter(site__district=district):
            row.clean()
        for code in Enterprise.objects.values_list("credit_code", flat=True):
            validate_credit_code(code)
        for cas in ChemicalInventory.objects.values_list("cas_number", flat=True).distinct():
            validate_cas_number(cas)

    def test_the_typed_facts_are_filled_per_sector(self, district):
        def of(sector, subtype=""):
            qs = Site.objects.filter(district=district, site_sectors__sector_id=sector)
            return qs.filter(site_sectors__subtype=subtype) if subtype else qs

        assert not of("self_built_house").filter(structure_type="").exists()
        assert not of("self_built_house").filter(business_use="").exists()
        assert not of("construction").filter(construction_permit="").exists()
        temporary = of("fireworks", "temporary_retail")
        assert temporary.exists() and not temporary.filter(permit_valid_from__isnull=True).exists()
        assert all(s.permit_valid_from.month in (1, 2) and s.permit_valid_to.month == 2 for s in temporary)
        assert not of("large_event").filter(event_date__isnull=True).exists()
        assert not of("large_event").filter(expected_attendance__isnull=True).exists()
        sections = of("road_traffic", "dangerous_section")
        assert sections.exists() and not sections.filter(km_to__isnull=True).exists()
        assert not sections.filter(danger_type="").exists()
        assert not of("industry_trade").filter(enterprise__isnull=True).exists()

    def test_hazchem_places_hold_inventories_some_above_the_critical_quantity(self, district):
        everything = list(ChemicalInventory.objects.filter(unit__site__district=district))
        # The risk demo adds lines known only by their GB 18218 category (二甲苯, W5.4); the registry's own
        # lines name substances of its list.
        inventory = [row for row in everything if row.substance in demo.SUBSTANCES]
        assert inventory
        assert {row.substance for row in everything if not row.hazard_category} <= set(demo.SUBSTANCES)
        above = [row for row in inventory if float(row.max_quantity_t) > demo.SUBSTANCES[row.substance][1]]
        assert 0 < len(above) < len(inventory)
        assert {row.cas_number for row in inventory if row.substance == "液氨"} == {"7664-41-7"}

    def test_the_enterprise_account_sees_its_own_places(self, district):
        account = User.objects.get(username="qiye")
        own = list(Site.objects.visible_to(account))
        assert 1 <= len(own) <= 3
        assert all(site.enterprise.name == "临江宏达化工有限公司" for site in own)
        assert ChemicalInventory.objects.filter(unit__site__in=own, substance="液氨", max_quantity_t__gt=10).exists()

    def test_some_places_were_suspended_or_closed_with_history(self, district):
        suspended = Site.objects.filter(district=district, status=SiteStatus.SUSPENDED)
        closed = Site.objects.filter(district=district, status=SiteStatus.CLOSED)
        assert 0 < suspended.count() < 150 and 0 < closed.count() < 150
        site = closed.first()
        assert site.status_changes.count() >= 2
        assert site.status_changes.order_by("-changed_at", "-id").first().to_status == SiteStatus.CLOSED

    def test_it_leaves_deliberate_supervision_gaps(self, district):
        office = User.objects.get(username="anban")
        gaps = selectors.supervision_gaps(office, district=district)
        assert 1 <= gaps["without_territory"].count() <= 20
        sector_gaps = list(gaps["sector_gaps"])
        assert 1 <= len(sector_gaps) <= 20
        assert "commercial" in {gap.sector_id for gap in sector_gaps}

    def test_it_opens_one_dispute(self, district):
        office = User.objects.get(username="anban")
        disputes = selectors.open_disputes_with_age(office)
        assert len(disputes) == 1
        dispute, age = disputes[0]
        assert dispute.raised_by_unit.department_type == "emergency"
        assert dispute.proposed_unit.department_type == "commerce"
        assert age >= 1 and dispute.status == DisputeStatus.OPEN

    def test_it_writes_one_audit_record_for_the_places(self, district):
        assert AuditEntry.objects.filter(action="registry.demo.seed").count() == 1
        assert AuditEntry.objects.filter(action="registry.site.create").count() == 0

    def test_a_second_run_changes_nothing(self, district):
        before = _counts()
        _seed()
        assert _counts() == before


@pytest.mark.django_db
def test_it_refuses_outside_demo_mode():
    before = _counts()
    with override_settings(ANJIAN_DEMO=False), pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before
