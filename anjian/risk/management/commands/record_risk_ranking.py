"""Record a year's city safety risk ranking of every city (run at year end by cron or Celery beat, or by hand)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.risk import city


class Command(BaseCommand):
    help = "Record the districts' and streets' risk ranking of a year (default: this year) for every city."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        for unit in OrgUnit.objects.filter(kind=OrgUnitKind.CITY, is_active=True):
            try:
                rows = city.take_snapshots(actor=None, year=year, city=unit)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"{unit.name} {year}: {rows} rows recorded.")
