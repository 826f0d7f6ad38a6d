"""What each role's home page shows, read through the scoping primitive."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from anjian.accounts import selectors as account_selectors
from anjian.accounts.models import User
from anjian.core.models import AuditEntry
from anjian.core.permissions import (
    is_audit_admin,
    is_city_admin,
    is_district_leader,
    is_district_office,
    is_enterprise,
    is_security_admin,
    is_system_admin,
    is_unit_officer,
)
from anjian.core.scoping import scope_of
from anjian.inspections import selectors as inspection_selectors
from anjian.inspections.choices import DEADLINE_STATUSES, OPEN_STATUSES, HazardGrade, HazardStatus
from anjian.inspections.models import Hazard, overdue_q, under_supervision_q
from anjian.organizations import selectors as org_selectors
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.geo import centroid
from anjian.organizations.models import OrgUnit
from anjian.registry import selectors as registry_selectors
from anjian.registry.choices import DisputeStatus, SiteStatus
from anjian.registry.models import Site


def places_summary(user) -> dict | None:
    """The places in the user's scope by status (one query), for every business role's home."""
    scope = scope_of(user)
    if scope.sees_nothing:
        return None
    counts = dict(
        Site.objects.visible_to(user).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "total": sum(counts.values()),
        "by_status": [(SiteStatus(code).label, code, counts.get(code, 0)) for code in SiteStatus.values],
    }


def hazards_summary(user) -> dict | None:
    """The hazard loop at a glance (one query for the hazards, one for my tasks): what is open, major,
    overdue, escalated, awaiting my verification."""
    scope = scope_of(user)
    if scope.sees_nothing:
        return None
    today = timezone.localdate()
    summary = Hazard.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        major=Count("pk", filter=Q(status__in=OPEN_STATUSES, grade=HazardGrade.MAJOR)),
        overdue=Count("pk", filter=Q(status__in=DEADLINE_STATUSES, deadline__lt=today)),
        escalated=Count("pk", filter=Q(status__in=OPEN_STATUSES) & under_supervision_q()),
        to_verify=Count("pk", filter=Q(status__in=(HazardStatus.SUBMITTED, HazardStatus.FIXED_ON_SPOT))),
        to_lift=Count("pk", filter=Q(status=HazardStatus.VERIFIED_ON_SITE)),
    )
    summary["my_tasks"] = inspection_selectors.my_tasks(user).count()
    return summary


# The enterprise's home lists this many of its open hazards; the hazard list holds the rest.
ENTERPRISE_HAZARDS_SHOWN = 30


def hazards_to_rectify(user) -> dict:
    """What the enterprise must rectify and by when: its open hazards, the overdue first, then those owed by the
    soonest deadline, then those awaiting a notice or a verification (two queries, whatever their number)."""
    today = timezone.localdate()
    hazards = (
        Hazard.objects.visible_to(user)
        .open()
        .select_related("site")
        .annotate(
            overdue_first=Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()),
            owed_first=Case(
                When(status__in=DEADLINE_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("overdue_first", "owed_first", F("deadline").asc(nulls_last=True), "reported_at", "id")
    )
    rows = list(hazards[:ENTERPRISE_HAZARDS_SHOWN])
    total = len(rows) if len(rows) < ENTERPRISE_HAZARDS_SHOWN else hazards.count()
    return {"rows": rows, "total": total, "today": today}


def responsibility_summary(user, district) -> dict:
    """监管盲区 and 推诿扯皮 at a glance for the district's safety office and leaders."""
    gaps = registry_selectors.supervision_gaps(user, district=district)
    return {
        "sector_gaps": gaps["sector_gaps"].count(),
        "without_territory": gaps["without_territory"].count(),
        "open_disputes": registry_selectors.disputes_for(user).filter(status=DisputeStatus.OPEN).count(),
    }


def home_for(user) -> dict:
    context: dict = {
        "unit": user.org_unit,
        # The panel shown is named after the role (the page's data-panel), one per role.
        "panel": user.role or "none",
        "places": places_summary(user),
        "hazards": hazards_summary(user),
    }
    if is_city_admin(user):
        districts = org_selectors.districts_visible_to(user)
        context["districts"] = org_selectors.districts_overview(districts=districts)
    elif is_district_office(user) or is_district_leader(user):
        district = OrgUnit.objects.get(pk=user.scope.district_id)
        context["overview"] = org_selectors.district_overview(district=district)
        context["responsibility"] = responsibility_summary(user, district)
        context["territories"] = (
            OrgUnit.objects.visible_to(user).territorial().filter(is_active=True).order_by("kind", "order", "id")
        )
        context["departments"] = (
            OrgUnit.objects.visible_to(user)
            .departments()
            .filter(is_active=True)
            .annotate(sector_count=Count("mandates"))
            .order_by("order", "id")
        )
    elif is_unit_officer(user):
        unit = user.org_unit
        context["sectors"] = unit.sectors.all() if unit.kind == OrgUnitKind.DEPARTMENT else None
        context["colleagues"] = User.objects.visible_to(user).filter(org_unit=unit, is_active=True).exclude(pk=user.pk)
        context["centroid"] = centroid(unit.boundary) if unit.boundary else None
    elif is_enterprise(user):
        context["to_rectify"] = hazards_to_rectify(user)
    elif is_system_admin(user):
        users = User.objects.manageable_by(user)
        context["account_counts"] = users.aggregate(
            total=Count("id"),
            active=Count("id", filter=Q(is_active=True)),
            without_role=Count("id", filter=Q(role="", is_active=True)),
            must_change=Count("id", filter=Q(must_change_password=True, is_active=True)),
        )
        context["locked"] = sorted(account_selectors.locked_usernames(list(users.values_list("username", flat=True))))
    elif is_security_admin(user):
        context["pending"] = (
            User.objects.roles_assignable_by(user).filter(role="", is_active=True).select_related("org_unit")[:50]
        )
        context["role_counts"] = (
            User.objects.visible_to(user).filter(is_active=True).values("role").annotate(n=Count("id")).order_by("role")
        )
    elif is_audit_admin(user):
        entries = AuditEntry.objects.visible_to(user)
        since = timezone.now() - timedelta(hours=24)
        context["recent_entries"] = entries.order_by("-seq")[:10]
        context["failures_24h"] = entries.filter(
            action__in=["auth.login_failed", "auth.locked_out"], created_at__gte=since
        ).count()
    return context
