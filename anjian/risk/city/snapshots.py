"""The yearly snapshots of the city risk ranking: recorded at year end (or on demand) for the trend of each area,
and read back year by year."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.organizations.models import OrgUnit
from anjian.risk.city.access import access_for
from anjian.risk.city.configuration import persist_default_units
from anjian.risk.city.indicators import CITY_LEVEL, areas_of
from anjian.risk.city.ranking import Ranking, compute_ranking
from anjian.risk.models import RiskSnapshot, RiskUnit

# --- selectors -----------------------------------------------------------------------------------------------


def trend(*, area_ids: list[int], unit_id: int | None = None) -> dict[int, list[dict]]:
    """Year by year overall (or one unit's) score and rank of the areas, from the snapshots (one query)."""
    rows = (
        RiskSnapshot.objects.filter(area_id__in=area_ids, unit_id=unit_id)
        .order_by("year")
        .values("area_id", "year", "score", "rank", "of", "taken_at")
    )
    result: dict[int, list[dict]] = {area_id: [] for area_id in area_ids}
    for row in rows:
        result[row["area_id"]].append(row)
    return result


def snapshot_years(*, city_id: int) -> list[int]:
    return list(
        RiskSnapshot.objects.filter(city_id=city_id).order_by("-year").values_list("year", flat=True).distinct()
    )


# --- services ------------------------------------------------------------------------------------------------


def year_end(year: int) -> datetime.datetime:
    """The moment a year's snapshot is taken as at: the last instant of 31 December, or now for this year."""
    now = timezone.now()
    if year >= timezone.localdate().year:
        return now
    return timezone.make_aware(datetime.datetime(year, 12, 31, 23, 59, 59))


def _store(ranking: Ranking, *, year: int, units_by_code: dict[str, RiskUnit], actor) -> int:
    areas = ranking.areas
    city_id = areas.city_id
    rows = []
    for table in ranking.tables:
        unit = units_by_code.get(table.unit.code) if table.unit else None
        if table.unit and unit is None:
            continue
        for row in table.rows:
            if row.score is None:
                continue  # no data: no score to record, the trend shows a gap for the year
            rows.append(
                RiskSnapshot(
                    year=year,
                    city_id=city_id,
                    district_id=row.area.pk if areas.level == CITY_LEVEL else areas.parent.pk,
                    area=row.area,
                    unit=unit,
                    score=row.score,
                    rank=row.rank,
                    of=row.of,
                    explanation=row.explanation(),
                    taken_by=actor,
                )
            )
    RiskSnapshot.objects.filter(year=year, area_id__in=areas.ids).delete()
    RiskSnapshot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def take_snapshots(*, actor, year: int, city: OrgUnit | None = None, district: OrgUnit | None = None) -> int:
    """Record a year's ranking (taken at year end by the beat, or on demand): the city administrator records the
    city's districts and every district's streets; a district's safety office records its own streets. A second
    snapshot of the same year replaces the first. Returns the number of rows written."""
    if year < 2000 or year > timezone.localdate().year:
        raise ValidationError(_("Choose a year up to this year."))
    if actor is not None:
        access = access_for(actor)
        if city is not None and (access is None or not access.can_snapshot_city or access.city_id != city.pk):
            raise PermissionDenied(_("Only the city administrator records the city's ranking."))
        if district is not None and (
            access is None
            or not (access.can_snapshot_city or access.can_snapshot_district)
            or not access.may_see_district_streets(district)
        ):
            raise PermissionDenied(_("Only the district's safety office records its street ranking."))
    root_city = city or district.city
    units = persist_default_units(city=root_city)
    units_by_code = {unit.code: unit for unit in units if unit.is_active}
    as_of = year_end(year)
    parents = [district] if district is not None else [city, *areas_of(parent=city).units]
    written = sum(
        _store(compute_ranking(parent=parent, as_of=as_of), year=year, units_by_code=units_by_code, actor=actor)
        for parent in parents
    )
    audit.record(
        actor=actor,
        action="risk.ranking.snapshot",
        obj=city or district,
        after={"year": year, "rows": written},
        org_unit=city or district,
    )
    return written
