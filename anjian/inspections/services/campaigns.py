"""Campaigns (专项整治、大检查) and inspection tasks: launching a campaign and generating its tasks, planning
routine inspections by risk level (STANDARDS §2), assigning a task to an inspector."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.notifications import tell
from anjian.core.permissions import launches_campaigns
from anjian.inspections import standards
from anjian.inspections.choices import InspectionStatus, TaskOrigin, TaskStatus
from anjian.inspections.models import Campaign, ChecklistTemplate, InspectionFrequency, InspectionTask
from anjian.inspections.services.base import _require_government
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site


def _campaign_snapshot(campaign: Campaign) -> dict:
    data = audit.snapshot(campaign)
    data["sectors"] = sorted(campaign.sectors.values_list("code", flat=True))
    data["territories"] = sorted(campaign.territories.values_list("pk", flat=True))
    return data


def _check_campaign_fields(actor, *, district: OrgUnit, territories, sectors, starts_on, ends_on, deadline) -> None:
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The inspections cannot end before they start.")
    if deadline < ends_on:
        errors["deadline"] = _("The rectification deadline cannot come before the end of the inspections.")
    for unit in territories:
        if unit.district_id != district.pk or unit.kind not in (OrgUnitKind.STREET, OrgUnitKind.PARK):
            errors["territories"] = _("%(unit)s is not a street or park of the district.") % {"unit": unit.name}
    scope = actor.scope
    if getattr(actor.org_unit, "kind", "") == OrgUnitKind.DEPARTMENT:
        outside = [s for s in sectors if s.code not in scope.sector_codes]
        if outside or not sectors:
            errors["sectors"] = _("A department's campaign covers only sectors it supervises.")
    if errors:
        raise ValidationError(errors)


def _campaign_district(actor) -> OrgUnit:
    unit = actor.org_unit
    if not launches_campaigns(actor):
        raise PermissionDenied(_("Campaigns are launched by the safety office or an industry department."))
    return unit.district


@transaction.atomic
def create_campaign(
    *,
    actor,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    deadline: datetime.date,
    sectors=(),
    territories=(),
    checklist: ChecklistTemplate | None = None,
    description: str = "",
) -> Campaign:
    """专项整治、大检查: a drive over sectors and territory with a period and a deadline ("X月底前")."""
    district = _campaign_district(actor)
    sectors, territories = list(sectors), list(territories)
    _check_campaign_fields(
        actor,
        district=district,
        territories=territories,
        sectors=sectors,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
    )
    campaign = Campaign.objects.create(
        name=name,
        kind=kind,
        district=district,
        organizer=actor.org_unit,
        checklist=checklist,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        description=description,
        created_by=actor,
    )
    campaign.sectors.set(sectors)
    campaign.territories.set(territories)
    audit.record(actor=actor, action="inspections.campaign.create", obj=campaign, after=_campaign_snapshot(campaign))
    return campaign


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, **fields) -> Campaign:
    locked = Campaign.objects.editable_by(actor).select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this campaign."))
    before = _campaign_snapshot(locked)
    sectors = list(fields.pop("sectors", locked.sectors.all()))
    territories = list(fields.pop("territories", locked.territories.all()))
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_campaign_fields(
        actor,
        district=locked.district,
        territories=territories,
        sectors=sectors,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        deadline=locked.deadline,
    )
    locked.save()
    locked.sectors.set(sectors)
    locked.territories.set(territories)
    audit.record(
        actor=actor,
        action="inspections.campaign.update",
        obj=locked,
        before=before,
        after=_campaign_snapshot(locked),
    )
    return locked


def campaign_sites(campaign: Campaign):
    """The operating places in a campaign's scope: its district, its sectors (all if none), its territories."""
    sites = Site.objects.filter(district_id=campaign.district_id, status=SiteStatus.OPERATING)
    sector_codes = list(campaign.sectors.values_list("code", flat=True))
    if sector_codes:
        sites = sites.filter(pk__in=Site.objects.filter(site_sectors__sector_id__in=sector_codes).values("pk"))
    territory_ids = list(campaign.territories.values_list("pk", flat=True))
    if territory_ids:
        sites = sites.filter(territory_id__in=territory_ids)
    return sites


@transaction.atomic
def generate_campaign_tasks(*, actor, campaign: Campaign) -> int:
    """One task per place in scope, assigned to its street or park (属地), due at the end of the inspections."""
    locked = Campaign.objects.editable_by(actor).select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this campaign."))
    organizer_is_department = locked.organizer.kind == OrgUnitKind.DEPARTMENT
    have = set(InspectionTask.objects.filter(campaign=locked).values_list("site_id", flat=True))
    rows = []
    for site_id, territory_id in campaign_sites(locked).values_list("pk", "territory_id"):
        if site_id in have:
            continue
        unit_id = locked.organizer_id if organizer_is_department or not territory_id else territory_id
        rows.append(
            InspectionTask(
                site_id=site_id,
                campaign=locked,
                origin=TaskOrigin.CAMPAIGN,
                checklist=locked.checklist,
                assignee_unit_id=unit_id,
                due_on=locked.ends_on,
                created_by=actor,
            )
        )
    InspectionTask.objects.bulk_create(rows, batch_size=500)
    audit.record(
        actor=actor,
        action="inspections.task.generate",
        obj=locked,
        after={"campaign": locked.pk, "tasks": len(rows)},
    )
    per_unit: dict[int, int] = {}
    for row in rows:
        per_unit[row.assignee_unit_id] = per_unit.get(row.assignee_unit_id, 0) + 1
    url = reverse("inspections:task_list")
    for unit_id, count in per_unit.items():
        tell(
            "inspections.campaign_tasks",
            about=locked,
            units=[unit_id],
            title=_("%(count)s new inspection tasks of “%(campaign)s”, due %(due)s")
            % {"count": count, "campaign": locked.name, "due": locked.ends_on.isoformat()},
            url=url,
            key=f"campaign:{locked.pk}:tasks:{unit_id}:{len(have)}",
        )
    return len(rows)


def level_frequencies(district_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Days between inspections per current risk level for each district: the district's own table
    (:class:`InspectionFrequency`, edited by the safety office) over the STANDARDS §2 defaults. One query."""
    table = {pk: dict(standards.LEVEL_FREQUENCY_DAYS) for pk in district_ids}
    for district_id, level, days in InspectionFrequency.objects.filter(district_id__in=list(table)).values_list(
        "district_id", "level", "days"
    ):
        table[district_id][level] = days
    return table


def frequency_days(
    site_sector_codes: Iterable[str], risk_level: str = "", level_days: dict[str, int] | None = None
) -> int:
    """How often a place is inspected: by its current risk level once it has one (STANDARDS §2; the
    district's table when ``level_days`` is given), until then by the strictest default of its sectors."""
    level_days = level_days or standards.LEVEL_FREQUENCY_DAYS
    if risk_level and risk_level in level_days:
        return level_days[risk_level]
    days = [standards.DEFAULT_FREQUENCY_DAYS.get(code, 365) for code in site_sector_codes]
    return min(days) if days else 365


def generate_frequency_tasks(
    *, today: datetime.date | None = None, district: OrgUnit | None = None, lead_days=14
) -> int:
    """Plan routine inspections: a place whose next inspection falls due within ``lead_days`` and that has
    no open routine task gets one, assigned to its street or park. Runs from the periodic job."""
    today = today or timezone.localdate()
    sites = Site.objects.filter(status=SiteStatus.OPERATING, territory__isnull=False)
    if district is not None:
        sites = sites.filter(district=district)
    sites = sites.exclude(
        pk__in=InspectionTask.objects.filter(origin=TaskOrigin.FREQUENCY, status=TaskStatus.OPEN).values("site_id")
    ).annotate(last=Max("inspections__started_at", filter=Q(inspections__status=InspectionStatus.COMPLETED)))
    rows = list(sites.values_list("pk", "territory_id", "risk_level", "last", "created_at", "district_id"))
    per_district = level_frequencies({row[5] for row in rows})
    sectors: dict[int, list[str]] = {}
    from anjian.registry.models import SiteSector

    for site_id, code in SiteSector.objects.filter(site_id__in=[r[0] for r in rows]).values_list(
        "site_id", "sector_id"
    ):
        sectors.setdefault(site_id, []).append(code)
    tasks = []
    for site_id, territory_id, level, last, created, district_id in rows:
        interval = frequency_days(sectors.get(site_id, ()), level, per_district[district_id])
        base = timezone.localtime(last).date() if last else timezone.localtime(created).date()
        due = base + datetime.timedelta(days=interval)
        if last is None:
            due = min(due, today + datetime.timedelta(days=lead_days))
        if due > today + datetime.timedelta(days=lead_days):
            continue
        tasks.append(
            InspectionTask(
                site_id=site_id,
                origin=TaskOrigin.FREQUENCY,
                assignee_unit_id=territory_id,
                due_on=max(due, today),
                note=_("Routine inspection every %(days)s days") % {"days": interval},
            )
        )
    with transaction.atomic():
        InspectionTask.objects.bulk_create(tasks, batch_size=500, ignore_conflicts=True)
    return len(tasks)


@transaction.atomic
def assign_task(*, actor, task: InspectionTask, assignee: User | None, due_on: datetime.date | None = None):
    """Give a task to one inspector of the assigned unit (or back to the unit)."""
    _require_government(actor)
    locked = InspectionTask.objects.editable_by(actor).select_for_update().filter(pk=task.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this task."))
    if locked.status != TaskStatus.OPEN:
        raise ValidationError(_("Only an open task can be assigned."))
    if assignee is not None and (assignee.org_unit_id != locked.assignee_unit_id or not assignee.is_active):
        raise ValidationError({"assignee": _("Choose someone of the unit the task is assigned to.")})
    before = {"assignee": locked.assignee_id, "due_on": locked.due_on}
    locked.assignee = assignee
    if due_on:
        locked.due_on = due_on
    locked.save(update_fields=["assignee", "due_on"])
    audit.record(
        actor=actor,
        action="inspections.task.assign",
        obj=locked,
        before=before,
        after={"assignee": locked.assignee_id, "due_on": locked.due_on},
    )
    if assignee is not None:
        tell(
            "inspections.task_assigned",
            about=locked,
            title=_("Inspection of %(site)s assigned to you, due %(due)s")
            % {"site": locked.site.name, "due": locked.due_on.isoformat()},
            url=reverse("inspections:task_list"),
            key=f"task:{locked.pk}:assignee:{assignee.pk}",
        )
    return locked
