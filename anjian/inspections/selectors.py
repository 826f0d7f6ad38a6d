"""Scoped reads of the hazard loop: lists with what they show in a fixed number of queries, campaign
progress per street and department, a place's inspections and hazards, "my tasks"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from anjian.inspections.choices import CLOSED_STATUSES, DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade, TaskStatus
from anjian.inspections.models import (
    Campaign,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionTask,
    Photo,
    Rectification,
    RectificationPlan,
)
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site


def hazards_for(user):
    """The hazards the user may see, with place, street, sector and campaign joined (no N+1)."""
    return Hazard.objects.visible_to(user).select_related(
        "site", "site__territory", "site__enterprise", "sector", "campaign", "district", "reporting_unit"
    )


def hazard_detail(user, pk: int) -> Hazard:
    from anjian.core.scoping import get_visible_or_404

    return get_visible_or_404(
        hazards_for(user)
        .select_related("reported_by", "verified_by", "inspection")
        .prefetch_related(
            Prefetch("events", queryset=HazardEvent.objects.select_related("actor", "actor_unit")),
            Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "rectifications",
                queryset=Rectification.objects.select_related("submitted_by", "reviewed_by").prefetch_related("photos"),
            ),
            Prefetch("plans", queryset=RectificationPlan.objects.select_related("filed_by")),
            Prefetch("escalations", queryset=Escalation.objects.select_related("supervising_unit", "created_by")),
            Prefetch(
                "enforcement_actions",
                queryset=EnforcementAction.objects.select_related("issued_by", "decided_by", "issuing_unit"),
            ),
        ),
        user,
        pk=pk,
    )


def inspections_for(user):
    return (
        Inspection.objects.visible_to(user)
        .select_related("site", "site__territory", "checklist", "campaign", "org_unit", "created_by")
        .annotate(hazard_count=Count("hazards", distinct=True))
        .order_by("-started_at", "-id")
    )


def tasks_for(user):
    return InspectionTask.objects.visible_to(user).select_related(
        "site", "site__territory", "campaign", "assignee_unit", "assignee", "checklist"
    )


def my_tasks(user):
    """ "My tasks": open tasks assigned to me, or to my unit and nobody in particular."""
    unit_id = getattr(user, "org_unit_id", None)
    return (
        tasks_for(user)
        .filter(status=TaskStatus.OPEN)
        .filter(Q(assignee_id=user.pk) | Q(assignee__isnull=True, assignee_unit_id=unit_id))
        .order_by("due_on", "id")
    )


def campaigns_for(user):
    return Campaign.objects.visible_to(user).select_related("district", "organizer", "checklist")


def site_hazard_summary(user, site: Site) -> dict:
    hazards = Hazard.objects.visible_to(user).filter(site=site)
    today = timezone.localdate()
    return hazards.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, grade=HazardGrade.MAJOR)),
        overdue=Count("pk", filter=Q(status__in=DEADLINE_STATUSES, deadline__lt=today)),
    )


@dataclass
class ProgressRow:
    unit: OrgUnit
    in_scope: int
    inspected: int
    hazards: int
    closed: int
    laggard: bool = False

    @property
    def rate(self) -> float:
        return round(100 * self.inspected / self.in_scope, 1) if self.in_scope else 0.0

    @property
    def closed_rate(self) -> float:
        return round(100 * self.closed / self.hazards, 1) if self.hazards else 0.0


def expected_rate(campaign: Campaign, today: datetime.date | None = None) -> float:
    """The share of the period elapsed: a unit below it is behind (laggard)."""
    today = today or timezone.localdate()
    total = (campaign.ends_on - campaign.starts_on).days + 1
    elapsed = min(max((today - campaign.starts_on).days + 1, 0), total)
    return round(100 * elapsed / total, 1) if total else 100.0


def campaign_progress(campaign: Campaign, *, today: datetime.date | None = None) -> dict:
    """Places inspected / places in scope, hazards found and closed, per street and per department.

    Streets are grouped in one query; departments need one query each (a department's places are a
    subquery of its mandates), so the count of queries follows the district's departments, not its places.
    """
    from anjian.inspections.services import campaign_sites

    sites = campaign_sites(campaign)
    inspected_q = Exists(Inspection.objects.filter(campaign=campaign, site_id=OuterRef("pk"), status="completed"))
    hazards = Hazard.objects.filter(campaign=campaign)

    by_street = {
        row["territory_id"]: row
        for row in sites.annotate(done=inspected_q)
        .values("territory_id")
        .annotate(in_scope=Count("pk"), inspected=Count("pk", filter=Q(done=True)))
    }
    hazard_by_street = {
        row["site__territory_id"]: row
        for row in hazards.values("site__territory_id").annotate(
            total=Count("pk"), closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES))
        )
    }
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[k for k in by_street if k])}
    expected = expected_rate(campaign, today)
    streets = []
    for unit_id, row in by_street.items():
        if unit_id is None:
            continue
        h = hazard_by_street.get(unit_id, {})
        streets.append(
            ProgressRow(units[unit_id], row["in_scope"], row["inspected"], h.get("total", 0), h.get("closed", 0))
        )
    departments = []
    sector_codes = list(campaign.sectors.values_list("code", flat=True))
    for unit in OrgUnit.objects.filter(district_id=campaign.district_id, kind=OrgUnitKind.DEPARTMENT, is_active=True):
        codes = list(unit.mandates.values_list("sector_id", flat=True))
        if sector_codes and not set(codes) & set(sector_codes):
            continue
        theirs = sites.filter(pk__in=Site.objects.supervised_by(unit, codes).values("pk"))
        agg = theirs.annotate(done=inspected_q).aggregate(
            in_scope=Count("pk"), inspected=Count("pk", filter=Q(done=True))
        )
        if not agg["in_scope"]:
            continue
        h = hazards.filter(site_id__in=theirs.values("pk")).aggregate(
            total=Count("pk"), closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES))
        )
        departments.append(ProgressRow(unit, agg["in_scope"], agg["inspected"], h["total"], h["closed"]))
    for rows in (streets, departments):
        rows.sort(key=lambda r: (r.rate, r.unit.order, r.unit.pk))
        for row in rows:
            row.laggard = row.rate < expected
    totals = sites.annotate(done=inspected_q).aggregate(
        in_scope=Count("pk"), inspected=Count("pk", filter=Q(done=True))
    )
    htotals = hazards.aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)))
    return {
        "streets": streets,
        "departments": departments,
        "expected_rate": expected,
        "in_scope": totals["in_scope"],
        "inspected": totals["inspected"],
        "hazards": htotals["total"],
        "closed": htotals["closed"],
    }
