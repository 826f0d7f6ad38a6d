"""Periodic work of risk grading: Celery beat runs it in deployments; the embedded scheduler
(`manage.py run_scheduler`) runs the same schedule without a broker."""

import logging

from celery import shared_task
from django.utils import timezone

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.risk import city, installations, levels

logger = logging.getLogger(__name__)


@shared_task
def recompute_all_levels() -> int:
    """Nightly: the current level of every place (STANDARDS §2). Catches what no event announces: a
    deadline passing, an accident leaving the 12-month window."""
    written = levels.recompute_levels()
    logger.info("risk levels recomputed: %s places", written)
    return written


@shared_task
def identify_all_major_hazards() -> dict[str, int]:
    """Nightly, before the levels: identify every place's chemical units again (GB 18218). Catches inventories
    written in bulk (imports, demo data) that sent no ``chemical_inventory_changed``, and catalogue corrections."""
    return installations.identify_sites()


@shared_task
def record_year_end_ranking() -> int:
    """On 31 December: the year's city safety risk ranking of every city, kept as a snapshot so the trend
    shows (the same as ``manage.py record_risk_ranking``)."""
    year = timezone.localdate().year
    rows = 0
    for unit in OrgUnit.objects.filter(kind=OrgUnitKind.CITY, is_active=True):
        rows += city.take_snapshots(actor=None, year=year, city=unit)
    return rows
