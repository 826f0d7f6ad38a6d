"""Scoped reads of the jurisdiction tree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Sum

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector, SectorMandate


def org_units_for(user):
    """The units the user may see, with their account counts, in tree order."""
    return (
        OrgUnit.objects.visible_to(user)
        .select_related("parent", "district", "city")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("city_id", "district_id", "kind", "order", "id")
    )


def districts_visible_to(user):
    return OrgUnit.objects.visible_to(user).filter(kind=OrgUnitKind.DISTRICT).order_by("order", "id")


@dataclass(frozen=True)
class MandateRow:
    sector: Sector
    departments: list[OrgUnit]

    @property
    def is_gap(self) -> bool:
        return not self.departments


def mandate_matrix(*, district: OrgUnit) -> list[MandateRow]:
    """For each sector, the district's departments mandated to supervise it; empty means a gap (监管盲区)."""
    mandates = (
        SectorMandate.objects.filter(department__district=district, department__is_active=True)
        .select_related("department")
        .order_by("department__order", "department_id")
    )
    by_sector: dict[str, list[OrgUnit]] = {}
    for mandate in mandates:
        by_sector.setdefault(mandate.sector_id, []).append(mandate.department)
    return [MandateRow(sector, by_sector.get(sector.code, [])) for sector in Sector.objects.all()]


def enforcing_departments(*, district_id: int, sector_codes: list[str]) -> dict[str, OrgUnit]:
    """For each sector, the district's department that orders its hazards rectified (责令限期整改): the active
    department of the sector's enforcing type, one mandated for the sector first. A sector whose type the district
    lacks is missing from the answer. One query for the sectors, one for the departments."""
    types = dict(
        Sector.objects.filter(code__in=sector_codes)
        .exclude(enforcing_department_type="")
        .values_list("code", "enforcing_department_type")
    )
    if not types:
        return {}
    departments = list(
        OrgUnit.objects.filter(
            district_id=district_id,
            kind=OrgUnitKind.DEPARTMENT,
            is_active=True,
            department_type__in=set(types.values()),
        )
        .prefetch_related("mandates")
        .order_by("order", "id")
    )
    chosen: dict[str, OrgUnit] = {}
    for code, department_type in types.items():
        of_type = [d for d in departments if d.department_type == department_type]
        mandated = [d for d in of_type if any(m.sector_id == code for m in d.mandates.all())]
        if mandated or of_type:
            chosen[code] = (mandated or of_type)[0]
    return chosen


def unsupervised_sectors(*, district: OrgUnit) -> list[Sector]:
    """Sectors no active department of the district is mandated to supervise (监管盲区)."""
    return [row.sector for row in mandate_matrix(district=district) if row.is_gap]


def districts_overview(*, districts) -> list[dict]:
    """Units, population and sector gaps of several districts in four queries, whatever their number."""
    districts = list(districts)
    ids = [d.pk for d in districts]
    units = OrgUnit.objects.filter(district_id__in=ids, is_active=True)
    counts: dict[int, dict[str, int]] = {}
    for district_id, kind, n in units.values_list("district_id", "kind").annotate(n=Count("id")):
        counts.setdefault(district_id, {})[kind] = n
    population = dict(
        units.filter(kind__in=[OrgUnitKind.STREET, OrgUnitKind.PARK])
        .values_list("district_id")
        .annotate(p=Sum("population"))
        .values_list("district_id", "p")
    )
    covered: dict[int, set[str]] = {}
    for district_id, code in SectorMandate.objects.filter(
        department__district_id__in=ids, department__is_active=True
    ).values_list("department__district_id", "sector_id"):
        covered.setdefault(district_id, set()).add(code)
    sectors = list(Sector.objects.all())
    return [
        {
            "district": district,
            "departments": counts.get(district.pk, {}).get(OrgUnitKind.DEPARTMENT, 0),
            "streets": counts.get(district.pk, {}).get(OrgUnitKind.STREET, 0),
            "parks": counts.get(district.pk, {}).get(OrgUnitKind.PARK, 0),
            "population": population.get(district.pk) or 0,
            "gaps": [s for s in sectors if s.code not in covered.get(district.pk, set())],
        }
        for district in districts
    ]


def district_overview(*, district: OrgUnit) -> dict:
    return districts_overview(districts=[district])[0]


def department_with_sectors(unit_id: int):
    return OrgUnit.objects.prefetch_related(Prefetch("sectors", queryset=Sector.objects.all())).get(pk=unit_id)


def district_units(district_ids, kind: str) -> dict[int, list[int]]:
    """The active units of ``kind`` (the safety office, the leadership) of each district, in the tree's order:
    who a notification names when it is for "the district's leaders" or "the district safety office". One query."""
    found: dict[int, list[int]] = {}
    rows = (
        OrgUnit.objects.filter(district_id__in=set(district_ids), kind=kind, is_active=True)
        .order_by("order", "id")
        .values_list("district_id", "pk")
    )
    for district_id, pk in rows:
        found.setdefault(district_id, []).append(pk)
    return found


def cities_of(district_ids) -> dict[int, int]:
    """The city unit of each district (where the city's staff sit). One query."""
    rows = OrgUnit.objects.filter(pk__in=set(district_ids), city__isnull=False).values_list("pk", "city_id")
    return dict(rows)
