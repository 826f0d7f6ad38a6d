"""Every scoped read of risk grading: assessments and their points, a district's bands and frequencies, and
the places overdue for inspection (STANDARDS §2: risk drives how often a place is inspected)."""

from __future__ import annotations

import datetime

from django.db.models import DateTimeField, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from anjian.core.scoping import ScopeLevel, scope_of
from anjian.inspections import services as inspection_services
from anjian.inspections import standards as inspection_standards
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Inspection
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site, SiteSector
from anjian.risk.models import RiskAssessment, RiskPoint


def assessments_for(user):
    """Assessments of the places the user sees, latest first, with what a list row shows."""
    return (
        RiskAssessment.objects.visible_to(user)
        .select_related("site", "site__territory", "assessed_by", "district")
        .order_by("-assessed_on", "-id")
    )


def with_points(queryset):
    return queryset.prefetch_related(Prefetch("points", queryset=RiskPoint.objects.order_by("id")))


def site_assessments(user, site: Site):
    """The history of one place's assessments (the place must be visible; callers fetched it in scope)."""
    return with_points(assessments_for(user).filter(site=site))


def assessment_detail(user, pk):
    from anjian.core.scoping import get_visible_or_404

    return get_visible_or_404(with_points(assessments_for(user)), user, pk=pk)


def districts_for(user):
    """Districts whose settings the user may read: the city's for city staff, otherwise the own district."""
    scope = scope_of(user)
    districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT).order_by("order", "id")
    if scope.sees_nothing:
        return districts.none()
    if scope.level is ScopeLevel.CITY:
        return districts.filter(city_id=scope.city_id)
    return districts.filter(pk=scope.district_id)


# --- places overdue for inspection ----------------------------------------------------------------


def _cutoff(today: datetime.date, days: int) -> datetime.datetime:
    """The start of the day ``days`` before today, in local time: an inspection before it is too old."""
    day = today - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_inspection_expression():
    return Subquery(
        Inspection.objects.filter(site_id=OuterRef("pk"), status=InspectionStatus.COMPLETED)
        .order_by("-started_at")
        .values("started_at")[:1],
        output_field=DateTimeField(),
    )


def _overdue_q(district_ids, today: datetime.date) -> Q:
    """A place is overdue when its last completed inspection is older than its interval, or it has none.
    The interval is the district's frequency of the place's current level; an unassessed place follows the
    strictest default of its sectors (as the routine planner does). One OR clause per (district, level)."""
    never = Q(last_inspected__isnull=True)
    q = Q(pk__in=[])
    for district_id, table in inspection_services.level_frequencies(district_ids).items():
        for level, days in table.items():
            q |= Q(district_id=district_id, risk_level=level) & (never | Q(last_inspected__lt=_cutoff(today, days)))
    by_days: dict[int, list[str]] = {}
    for code, days in inspection_standards.DEFAULT_FREQUENCY_DAYS.items():
        by_days.setdefault(days, []).append(code)
    unassessed = never
    codes_so_far: list[str] = []
    for days in sorted(by_days):
        codes_so_far += by_days[days]
        stricter = SiteSector.objects.filter(site_id=OuterRef("pk"), sector_id__in=list(codes_so_far))
        unassessed |= Exists(stricter) & Q(last_inspected__lt=_cutoff(today, days))
    unassessed |= Q(last_inspected__lt=_cutoff(today, 365))
    return q | (Q(risk_level="") & unassessed)


def overdue_sites(user, *, today: datetime.date | None = None):
    """Operating places in the user's scope overdue for inspection, the longest-neglected first."""
    today = today or timezone.localdate()
    sites = (
        Site.objects.visible_to(user)
        .filter(status=SiteStatus.OPERATING)
        .annotate(last_inspected=last_inspection_expression())
    )
    district_ids = list(districts_for(user).values_list("pk", flat=True))
    return (
        sites.filter(_overdue_q(district_ids, today))
        .select_related("territory", "district")
        .order_by("last_inspected", "id")
    )


def frequency_for(site: Site, table: dict[str, int] | None = None) -> int | None:
    """Days between inspections of a place at its current level (None when unassessed)."""
    if not site.risk_level:
        return None
    table = table or inspection_services.level_frequencies([site.district_id])[site.district_id]
    return table.get(site.risk_level)
