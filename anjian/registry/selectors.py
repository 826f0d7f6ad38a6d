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
    overrides = list(SupervisionOverride.objects.filter(site=site).select_related("department"))
    excluded = {(o.sector_id, o.department_id) for o in overrides if o.effect == OverrideEffect.EXCLUDE}
    codes = [s.sector_id for s in site.site_sectors.all()]
    mandates = (
        SectorMandate.objects.filter(
            sector_id__in=codes, department__district_id=site.district_id, department__is_active=True
        )
        .select_related("department")
        .order_by("department__order", "department_id")
    )
    result: dict[str, list[OrgUnit]] = {code: [] for code in codes}
    for mandate in mandates:
        if (mandate.sector_id, mandate.department_id) not in excluded:
            result[mandate.sector_id].append(mandate.department)
    for override in overrides:
        assigned = override.effect == OverrideEffect.ASSIGN and override.sector_id in result
        if assigned and override.department not in result[override.sector_id]:
            result[override.sector_id].append(override.department)
    return result


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
