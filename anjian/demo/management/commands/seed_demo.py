"""Build the demo city (idempotent): 临江市, three districts, 滨江区 in full, one account of every role, the
supervised places of the registry (about 3,000 in 滨江区, a few hundred in each other district), the demo district's
inspections and hazards, three years of accidents, the risk assessments and the city risk ranking."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.demo import accidents as accidents_demo
from anjian.demo import inspections as inspections_demo
from anjian.demo import registry as registry_demo
from anjian.demo import risk as risk_demo
from anjian.demo import risk_city, summary
from anjian.demo.accounts import build_accounts
from anjian.demo.organizations import CITY, DEMO_DISTRICT, build_units
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.risk.installations import identify_sites
from anjian.risk.levels import recompute_levels


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
        # Each part says whether it created anything; the counts come once, from the database, at the end (the
        # parts create rows the others then count, so counts taken along the way would disagree).
        with transaction.atomic():
            if OrgUnit.objects.filter(kind=OrgUnitKind.CITY, code=CITY["code"]).exists():
                self.stdout.write("Demo city already present.")
            else:
                build_accounts(build_units())
                self.stdout.write(self.style.SUCCESS(f"Demo city {CITY['name']} created."))
            # Each district gets its places once; a district that has them is left as it is.
            seeded = registry_demo.seed_places(demo_district_code=DEMO_DISTRICT["code"])
        self._said(seeded, "Demo places created.", "Demo places already present; nothing changed.")
        if options["inspections_size"] > 0:
            # The demo district's campaigns, inspections and hazards, once (a seeded district is left as it is).
            district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=DEMO_DISTRICT["code"])
            hazards = inspections_demo.seed(district=district, size=options["inspections_size"])
            self._said(
                hazards,
                "Demo inspections and hazards created.",
                "Demo inspections and hazards already present; nothing changed.",
            )
        # Three years of accidents in every district of the demo city, once per district (after the hazards,
        # which the closed investigations' corrective measures link to).
        accidents = accidents_demo.seed(city_code=CITY["code"], demo_district_code=DEMO_DISTRICT["code"])
        self._said(accidents, "Demo accidents created.", "Demo accidents already present; nothing changed.")
        self._seed_risk()
        city = OrgUnit.objects.get(kind=OrgUnitKind.CITY, code=CITY["code"])
        self.stdout.write("")
        for line in summary.summary_lines(city):
            self.stdout.write(line)

    def _said(self, created, done: str, already: str) -> None:
        self.stdout.write(self.style.SUCCESS(done) if created else already)

    def _seed_risk(self) -> None:
        """Risk assessments of most places (after the accidents, which raise a level), then GB 18218 identification
        of the chemical units the risk demo completed, then the current level of every place, then the city
        safety risk assessment's own demo data."""
        with transaction.atomic():
            assessed = risk_demo.seed()
            if assessed:
                identify_sites()
                recompute_levels()
        self._said(
            assessed, "Demo risk assessments created.", "Demo risk assessments already present; nothing changed."
        )
        rankings = risk_city.seed()
        self._said(rankings, "Demo risk rankings recorded.", "Demo risk rankings already present; nothing changed.")
