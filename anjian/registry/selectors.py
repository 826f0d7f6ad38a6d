"""Scoped reads of the registry: places, who answers for them, supervision gaps, disputes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from anjian.core.scoping import scope_of
from anjian.organizations.models import OrgUnit, SectorMandate
from anjian.organizations.selectors import unsupervised_sectors
from anjian.registry.choices import DisputeStatus, OverrideEffect
from anjian.registry.models import ResponsibilityDispute, Site, SiteSector, SupervisionOverride


def sites_for(user):
    """The places the user may see, with what every list shows, in a fixed number of queries."""
    return (
        Site.objects.visible_to(user)
        .select_related("district", "territory", "enterprise")
        .prefetch_related(Prefetch("site_sectors", queryset=SiteSector.objects.select_related("sector")))
    )


def _mandate_covers(site_ref: str = "site_id", district_ref: str = "site__district_id"):
    """An active department of the place's district mandated for the sector, not excluded for this place."""
    excluded = SupervisionOverride.objects.filter(
        site_id=OuterRef(OuterRef(site_ref)),
        sector_id=OuterRef("sector_id"),
        department_id=OuterRef("department_id"),
        effect=OverrideEffect.EXCLUDE,
    )
    return Exists(
        SectorMandate.objects.filter(
            department__district_id=OuterRef(district_ref),
            department__is_active=True,
            sector_id=OuterRef("sector_id"),
        ).exclude(Exists(excluded))
    )


def site_sectors_with_cover():
    """Every (place, sector) annotated with whether some department answers for it."""
    assigned = SupervisionOverride.objects.filter(
        site_id=OuterRef("site_id"), sector_id=OuterRef("sector_id"), effect=OverrideEffect.ASSIGN
    )
    return SiteSector.objects.annotate(by_mandate=_mandate_covers(), by_assignment=Exists(assigned))


def supervisors_of(site: Site) -> dict[str, list[OrgUnit]]:
    """For each sector of the place, the departments that answer for it (管行业必须管安全)."""
    places = {site.pk: (site.district_id, [s.sector_id for s in site.site_sectors.all()])}
    return _supervisors(places, _mandated(_pairs(places)))[site.pk]


def _pairs(places: dict[int, tuple[int, list[str]]]) -> set[tuple[int, str]]:
    return {(district_id, code) for district_id, codes in places.values() for code in codes}


def _mandated(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], list[OrgUnit]]:
    """(district id, sector code) → the district's active departments mandated for the sector. One query."""
    mandates = (
        SectorMandate.objects.filter(
            sector_id__in={code for _district, code in pairs},
            department__district_id__in={district for district, _code in pairs},
            department__is_active=True,
        )
        .select_related("department")
        .order_by("department__order", "department_id")
    )
    found: dict[tuple[int, str], list[OrgUnit]] = {}
    for mandate in mandates:
        found.setdefault((mandate.department.district_id, mandate.sector_id), []).append(mandate.department)
    return found


def _supervisors(places: dict[int, tuple[int, list[str]]], mandated) -> dict[int, dict[str, list[OrgUnit]]]:
    """For each place (id → its district and sector codes), each sector's departments: those mandated, less
    those a recorded override excludes for the place, plus those assigned to it. One query for the overrides."""
    overrides: dict[int, list[SupervisionOverride]] = {}
    for override in SupervisionOverride.objects.filter(site_id__in=places).select_related("department").order_by("pk"):
        overrides.setdefault(override.site_id, []).append(override)
    result: dict[int, dict[str, list[OrgUnit]]] = {}
    for site_id, (district_id, codes) in places.items():
        own = overrides.get(site_id, [])
        excluded = {(o.sector_id, o.department_id) for o in own if o.effect == OverrideEffect.EXCLUDE}
        by_sector = {
            code: [d for d in mandated.get((district_id, code), []) if (code, d.pk) not in excluded] for code in codes
        }
        for override in own:
            assigned = override.effect == OverrideEffect.ASSIGN and override.sector_id in by_sector
            if assigned and override.department not in by_sector[override.sector_id]:
                by_sector[override.sector_id].append(override.department)
        result[site_id] = by_sector
    return result


def answering_departments(places: dict) -> dict:
    """Who a notification names as "the departments supervising its sector", for many records at once.

    ``places`` maps any key to ``(site id or None, district id, sector code or None)``; the answer maps each key
    to department ids: the departments answering for that sector of the place (as :func:`supervisors_of`), or
    every department of the place when the sector is none of its sectors; without a place (an accident on a
    road), the district's active departments mandated for the sector. Three queries, whatever the number."""
    site_ids = {site_id for site_id, _district, _code in places.values() if site_id}
    sites: dict[int, tuple[int, list[str]]] = {}
    rows = SiteSector.objects.filter(site_id__in=site_ids).order_by("pk")
    for site_id, district_id, code in rows.values_list("site_id", "site__district_id", "sector_id"):
        sites.setdefault(site_id, (district_id, []))[1].append(code)
    loose = {(district_id, code) for site_id, district_id, code in places.values() if not site_id and code}
    mandated = _mandated(_pairs(sites) | loose)
    supervisors = _supervisors(sites, mandated)
    answer: dict = {}
    for key, (site_id, district_id, code) in places.items():
        if not site_id:
            units = mandated.get((district_id, code), [])
        else:
            by_sector = supervisors.get(site_id, {})
            units = by_sector[code] if code in by_sector else [u for found in by_sector.values() for u in found]
        answer[key] = list(dict.fromkeys(unit.pk for unit in units))
    return answer


def enterprise_accounts_of(site_ids) -> dict[int, list[int]]:
    """The active accounts of each place's enterprise, by place id. One query."""
    found: dict[int, list[int]] = {}
    rows = (
        Site.objects.filter(pk__in=set(site_ids), enterprise__accounts__is_active=True)
        .order_by("pk", "enterprise__accounts")
        .values_list("pk", "enterprise__accounts")
    )
    for site_id, user_id in rows:
        found.setdefault(site_id, []).append(user_id)
    return found


def supervision_gaps(user, *, district: OrgUnit) -> dict:
    """监管盲区 of a district: place-sectors nobody supervises, places without a territory,
    sectors without a mandated department. Set-based: three queries whatever the size."""
    visible = Site.objects.visible_to(user).filter(district=district)
    sector_gaps = (
        site_sectors_with_cover()
        .filter(site__in=visible, by_mandate=False, by_assignment=False)
        .select_related("site", "sector", "site__territory")
        .order_by("sector__order", "site_id")
    )
    return {
        "district": district,
        "sector_gaps": sector_gaps,
        "without_territory": visible.filter(territory__isnull=True).order_by("id"),
        "unsupervised_sectors": unsupervised_sectors(district=district),
    }


def disputes_for(user):
    """Disputes the user may see: the district's for the safety office, one's own unit's for others."""
    scope = scope_of(user)
    qs = ResponsibilityDispute.objects.select_related(
        "site", "sector", "raised_by_unit", "proposed_unit", "responsible_unit", "raised_by"
    )
    if scope.sees_nothing:
        return qs.none()
    unit_id = scope.org_unit_id
    return qs.filter(
        Q(site__in=Site.objects.visible_to(user)) | Q(raised_by_unit_id=unit_id) | Q(proposed_unit_id=unit_id)
    ).order_by("status", "created_at")


def open_disputes_with_age(user) -> list[tuple[ResponsibilityDispute, int]]:
    now = timezone.now()
    return [(d, (now - d.created_at).days) for d in disputes_for(user).filter(status=DisputeStatus.OPEN)]
