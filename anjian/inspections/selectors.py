"""Scoped reads of the hazard loop: lists with what they show in a fixed number of queries, campaign
progress per street and department, a place's inspections and hazards, "my tasks", and what the field pages
read (tasks with what they offer, an inspection's record, campaigns, checklists and their versions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core.permissions import is_enterprise, is_supervisor
from anjian.core.scoping import get_visible_or_404
from anjian.inspections.choices import (
    CLOSED_STATUSES,
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    HazardGrade,
    PhotoStage,
    TaskStatus,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistTemplate,
    DeadlineChange,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
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
            Prefetch(
                "escalations",
                queryset=Escalation.objects.select_related("supervising_unit", "created_by", "lifted_by"),
            ),
            Prefetch(
                "deadline_changes", queryset=DeadlineChange.objects.select_related("changed_by", "changed_by_unit")
            ),
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


def tasks_in_scope(user):
    """Every task in the user's scope as the "all tasks" list shows it: the open ones first, the soonest due first
    (the overdue at the top), then the done and cancelled ones, the latest first."""
    return tasks_for(user).order_by(
        Case(When(status=TaskStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Case(When(status=TaskStatus.OPEN, then=F("due_on")), default=None).asc(nulls_last=True),
        F("due_on").desc(),
        "-id",
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


# --- the field pages ----------------------------------------------------------------------------------------

# Who is offered as the inspector of a task: the unit's staff, not its enterprise or administrator accounts.
NOT_STAFF_ROLES = [Role.ENTERPRISE, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


def annotate_task_offers(user, tasks: list[InspectionTask]) -> None:
    """What each task on a page offers this user (``started``, ``can_assign``, ``can_start``,
    ``assign_choices``), in a fixed number of queries."""
    ids = [t.pk for t in tasks]
    site_ids = {t.site_id for t in tasks}
    assignable = set()
    startable_sites = set()
    if ids and is_supervisor(user):
        assignable = set(InspectionTask.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
        startable_sites = set(Site.objects.editable_by(user).filter(pk__in=site_ids).values_list("pk", flat=True))
    elif ids and is_enterprise(user):
        startable_sites = set(Site.objects.visible_to(user).filter(pk__in=site_ids).values_list("pk", flat=True))
    started = {
        task_id: (pk, status)
        for task_id, pk, status in Inspection.objects.filter(task_id__in=ids).values_list("task_id", "pk", "status")
    }
    people: dict[int, list[User]] = {}
    units = {t.assignee_unit_id for t in tasks if t.pk in assignable}
    if units:
        for person in (
            User.objects.filter(org_unit_id__in=units, is_active=True)
            .exclude(role__in=NOT_STAFF_ROLES)
            .order_by("username")
        ):
            people.setdefault(person.org_unit_id, []).append(person)
    for task in tasks:
        task.started = started.get(task.pk)
        is_open = task.status == TaskStatus.OPEN
        task.can_assign = is_open and task.pk in assignable
        task.can_start = is_open and task.site_id in startable_sites and task.started is None
        task.assign_choices = people.get(task.assignee_unit_id, [])


def visible_task(user, pk) -> InspectionTask:
    return get_visible_or_404(InspectionTask.objects.select_related("site"), user, pk=pk)


def start_target(user, *, task_id, site_id) -> tuple[InspectionTask | None, Site | None]:
    """The task and place of a new inspection, from a task or a place (outside scope: 404)."""
    if task_id:
        task = get_visible_or_404(
            tasks_for(user).select_related("campaign__checklist", "site__enterprise"), user, pk=task_id
        )
        return task, task.site
    if site_id:
        site = get_visible_or_404(Site.objects.select_related("territory", "enterprise"), user, pk=site_id)
        return None, site
    return None, None


def inspection_of_task(task: InspectionTask) -> Inspection | None:
    return Inspection.objects.filter(task=task).first()


def visible_inspection(user, pk) -> Inspection:
    return get_visible_or_404(Inspection.objects.all(), user, pk=pk)


def inspection_list(user):
    # Explicit order: the hazard count's GROUP BY would drop the model's default ordering.
    return inspections_for(user).prefetch_related("inspectors").order_by("-started_at", "-id")


def inspection_to_record(user, pk) -> Inspection:
    """An inspection with what its field form shows."""
    return get_visible_or_404(
        Inspection.objects.select_related("site", "site__territory", "checklist", "campaign", "task"), user, pk=pk
    )


def checklist_items(inspection: Inspection) -> list:
    return list(inspection.checklist.items.all()) if inspection.checklist_id else []


def hazard_numbers(inspection: Inspection) -> list[str]:
    """The numbers of the hazards an inspection opened, in the order they were found."""
    return [n for n in inspection.hazards.order_by("pk").values_list("number", flat=True) if n]


def inspection_detail(user, pk) -> Inspection:
    """An inspection with its inspectors, its answers with their photos and its hazards with the photos of the
    finding, in a fixed number of queries."""
    return get_visible_or_404(
        inspections_for(user)
        .select_related("task", "site__enterprise")
        .prefetch_related(
            "inspectors",
            Prefetch(
                "answers",
                queryset=InspectionAnswer.objects.select_related("item").prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id"))
                ),
            ),
            Prefetch(
                "hazards",
                queryset=Hazard.objects.order_by("pk").prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.filter(stage=PhotoStage.FINDING).order_by("id"))
                ),
            ),
        ),
        user,
        pk=pk,
    )


def campaigns_with_task_counts(user):
    return (
        campaigns_for(user)
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def editable_campaign(user, pk) -> Campaign | None:
    return Campaign.objects.editable_by(user).filter(pk=pk).first()


def stored_campaign(pk) -> Campaign:
    """The campaign as stored (a ModelForm writes onto its instance before the service reads it)."""
    return Campaign.objects.get(pk=pk)


def visible_campaign(user, pk) -> Campaign:
    return get_visible_or_404(Campaign.objects.all(), user, pk=pk)


def campaign_detail(user, pk) -> Campaign:
    return get_visible_or_404(campaigns_for(user).prefetch_related("sectors", "territories"), user, pk=pk)


def campaign_task_counts(campaign: Campaign) -> dict:
    return campaign.tasks.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
    )


def current_checklists(user):
    """The current version of each checklist, by sector, with its item and major-criterion counts."""
    return (
        ChecklistTemplate.objects.visible_to(user)
        .current()
        .select_related("sector")
        .annotate(
            item_count=Count("items"),
            major_count=Count("items", filter=~Q(items__criteria_document="")),
        )
        .order_by("sector__order", "code")
    )


def visible_checklist(user, pk, *, with_authors: bool = False) -> ChecklistTemplate | None:
    templates = ChecklistTemplate.objects.visible_to(user)
    if with_authors:
        templates = templates.select_related("sector", "created_by")
    return templates.filter(pk=pk).first()


def current_checklist(code: str) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.current().filter(code=code).first()


def checklist_versions(template: ChecklistTemplate):
    """Every version of a checklist, newest first, with its item count and how many inspections used it."""
    return (
        ChecklistTemplate.objects.filter(code=template.code)
        .select_related("created_by")
        .annotate(item_count=Count("items"), inspection_count=Count("inspections", distinct=True))
        .order_by("-version")
    )
