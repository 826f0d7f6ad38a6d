"""Identify the major hazard installations of every place again (GB 18218-2018): nightly, and after a bulk
import of chemical inventories. Prints what changed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from anjian.risk.installations import identify_sites


class Command(BaseCommand):
    help = "Identify GB 18218-2018 major hazard installations of every place (or of the given place ids)."

    def add_arguments(self, parser):
        parser.add_argument("site_ids", nargs="*", type=int, help="only these places (default: all)")

    def handle(self, *args, site_ids=None, **options):
        summary = identify_sites(site_ids=site_ids or None)
        self.stdout.write(
            "units {units}, major {major} (created {created}, updated {updated}, removed {removed}), "
            "unidentifiable lines {unidentifiable_lines}".format(**summary)
        )
