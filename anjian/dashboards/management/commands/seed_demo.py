"""Build the demo city (idempotent): 临江市, three districts, 滨江区 in full, one account of every role,
and the supervised places of the registry (about 3,000 in 滨江区, a few hundred in each other district).

It lives in the dashboards app, the lowest layer, because it uses organizations, accounts and registry.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.accidents import demo as accidents_demo
from anjian.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from anjian.accounts.models import User
from anjian.accounts.services import create_user
from anjian.inspections import demo as inspections_demo
from anjian.organizations import demo
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.organizations.services import create_org_unit
from anjian.registry import demo as registry_demo


class Command(BaseCommand):
    help = "Create the demo city with its demo accounts (only when ANJIAN_DEMO is on). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inspections-size",
            type=float,
            default=1.0,
            help="Share of the demo inspections and hazards to create (1 = about 8,000 hazards; 0 = none).",
        )

    def handle(self, *args, **options):
        if not settings.ANJIAN_DEMO:
            raise CommandError("seed_demo only runs in demo mode (ANJIAN_DEMO=true): it creates known passwords.")
        with transaction.atomic():
            if OrgUnit.objects.filter(kind=OrgUnitKind.CITY, code=demo.CITY["code"]).exists():
                self.stdout.write("Demo city already present.")
            else:
                units = self._build_units()
                self._build_accounts(units)
                self.stdout.write(self.style.SUCCESS(f"Demo city {demo.CITY['name']} created: {len(units)} units."))
            # Each district gets its places once; a district that has them is left as it is.
            seeded = registry_demo.seed_places(demo_district_code=demo.DEMO_DISTRICT["code"], stdout=self.stdout)
        if seeded:
            total = sum(result["places"] for result in seeded.values())
            self.stdout.write(self.style.SUCCESS(f"Demo places created: {total}."))
        else:
            self.stdout.write("Demo places already present; nothing changed.")
        if options["inspections_size"] > 0:
            # The demo district's campaigns, inspections and hazards, once (a seeded district is left as it is).
            district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=demo.DEMO_DISTRICT["code"])
            hazards = inspections_demo.seed(district=district, size=options["inspections_size"], stdout=self.stdout)
            if hazards:
                self.stdout.write(self.style.SUCCESS(f"Demo inspections and hazards created: {hazards['hazards']}."))
            else:
                self.stdout.write("Demo inspections and hazards already present; nothing changed.")
        # Three years of accidents in every district of the demo city, once per district (after the hazards,
        # which the closed investigations' corrective measures link to).
        accidents = accidents_demo.seed(
            city_code=demo.CITY["code"], demo_district_code=demo.DEMO_DISTRICT["code"], stdout=self.stdout
        )
        if accidents:
            total = sum(result["accidents"] for result in accidents.values())
            self.stdout.write(self.style.SUCCESS(f"Demo accidents created: {total}."))
        else:
            self.stdout.write("Demo accidents already present; nothing changed.")
        self._seed_risk()

    def _seed_risk(self) -> None:
        """Risk assessments of most places (after the accidents, which raise a level), then GB 18218 identification
        of the chemical units the risk demo completed, then the current level of every place, then the city
        safety risk assessment's own demo data."""
        from anjian.risk import demo as risk_demo
        from anjian.risk import demo_city
        from anjian.risk.installations import identify_sites
        from anjian.risk.levels import recompute_levels

        with transaction.atomic():
            assessed = risk_demo.seed(stdout=self.stdout)
            if assessed:
                found = identify_sites()
                written = recompute_levels()
        if assessed:
            total = sum(result["assessed"] for result in assessed.values())
            self.stdout.write(self.style.SUCCESS(f"Demo risk assessments created: {total} places assessed."))
            self.stdout.write(
                f"  Major hazard installations identified: {found['major']} of {found['units']} chemical units; "
                f"current levels written for {written} places."
            )
        else:
            self.stdout.write("Demo risk assessments already present; nothing changed.")
        demo_city.seed(stdout=self.stdout)

    def _build_units(self) -> dict[str, OrgUnit]:
        units: dict[str, OrgUnit] = {}
        city = create_org_unit(actor=None, kind=OrgUnitKind.CITY, **demo.CITY)
        units["city"] = city
        district = create_org_unit(actor=None, kind=OrgUnitKind.DISTRICT, parent=city, order=1, **demo.DEMO_DISTRICT)
        units["district"] = district
        units["safety_office"] = create_org_unit(
            actor=None,
            kind=OrgUnitKind.SAFETY_OFFICE,
            parent=district,
            name="滨江区安全生产委员会办公室",
            short_name="区安办",
            phone="0571-8800 1100",
            address="滨江区江南大道 1 号",
            order=1,
        )
        units["leadership"] = create_org_unit(
            actor=None,
            kind=OrgUnitKind.LEADERSHIP,
            parent=district,
            name="滨江区人民政府领导",
            short_name="区领导",
            order=2,
        )
        for order, (dept_type, (name, short)) in enumerate(demo.DEPARTMENT_NAMES.items(), start=10):
            units[f"dept:{dept_type}"] = create_org_unit(
                actor=None,
                kind=OrgUnitKind.DEPARTMENT,
                parent=district,
                department_type=dept_type,
                name=f"滨江区{name}",
                short_name=short,
                order=order,
            )
        polygons = demo.grid_polygons(demo.EXTENT, columns=5, rows=2, seed=20261128)
        for order, ((name, kind, population), polygon) in enumerate(
            zip(demo.DEMO_TERRITORIES, polygons, strict=True), start=50
        ):
            units[f"street:{name}"] = create_org_unit(
                actor=None,
                kind=kind,
                parent=district,
                name=name,
                population=population,
                boundary=polygon,
                order=order,
                code=f"{demo.DEMO_DISTRICT['code']}{order:03d}",
            )
        for index, spec in enumerate(demo.OTHER_DISTRICTS, start=2):
            other = create_org_unit(
                actor=None,
                kind=OrgUnitKind.DISTRICT,
                parent=city,
                name=spec["name"],
                code=spec["code"],
                order=index,
            )
            office = create_org_unit(
                actor=None,
                kind=OrgUnitKind.SAFETY_OFFICE,
                parent=other,
                name=f"{spec['name']}安全生产委员会办公室",
                short_name="区安办",
            )
            if index == 2:
                units["other_safety_office"] = office
            for order, dept_type in enumerate(demo.OTHER_DISTRICT_DEPARTMENTS, start=10):
                name, short = demo.DEPARTMENT_NAMES[dept_type]
                create_org_unit(
                    actor=None,
                    kind=OrgUnitKind.DEPARTMENT,
                    parent=other,
                    department_type=dept_type,
                    name=f"{spec['name']}{name}",
                    short_name=short,
                    order=order,
                )
            west = demo.EXTENT["west"] - 0.3 * (index - 1)
            extent = {"west": west, "east": west + 0.25, "south": 30.30, "north": 30.40}
            streets = spec["streets"]
            for order, (street, polygon) in enumerate(
                zip(streets, demo.grid_polygons(extent, len(streets), 1, seed=index), strict=True), start=50
            ):
                create_org_unit(
                    actor=None,
                    kind=OrgUnitKind.STREET,
                    parent=other,
                    name=street,
                    population=40_000 + (order * 9_137) % 50_000,
                    boundary=polygon,
                    order=order,
                )
        return units

    def _build_accounts(self, units: dict[str, OrgUnit]) -> None:
        for username, real_name, role, unit_key, title in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            create_user(
                actor=None,
                username=username,
                real_name=real_name,
                org_unit=units[unit_key],
                role=role,
                title=title,
                mobile=f"139{zlib.crc32(username.encode()) % 10**8:08d}",
                password=DEMO_PASSWORD,
                must_change_password=False,
            )
