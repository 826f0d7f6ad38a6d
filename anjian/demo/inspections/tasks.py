"""The demo's inspection tasks as a real office plans them, relative to the day of seeding: the campaigns' places
handed out in batches with their own due dates, the leftovers of a campaign long over mostly done late, and each
department officer's and inspector's routine inspections assigned by hand over the coming weeks."""

from __future__ import annotations

import datetime

from anjian.core.permissions import is_department_officer
from anjian.demo.inspections.vocabulary import (
    BATCH_SHARES,
    CAMPAIGNS,
    CATCH_UP_DAYS,
    CAUGHT_UP,
    HAND_ASSIGNED_DUE,
    HAND_ASSIGNED_NOTES,
    LAGGARD,
    CampaignSpec,
)
from anjian.inspections import services
from anjian.inspections.choices import TaskOrigin, TaskStatus
from anjian.inspections.models import Campaign, InspectionTask
from anjian.organizations.choices import OrgUnitKind
from anjian.registry.choices import SiteStatus


def _latest(today: datetime.date, month: int, day: int) -> datetime.date:
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year <= today else datetime.date(today.year - 1, month, day)


def plan_campaigns(seeder) -> list[tuple[Campaign, CampaignSpec, list[InspectionTask]]]:
    """The district's campaigns of the year with their tasks: the places handed out in batches, each batch due by
    its own date; what is due is done at the campaign's rate, and what a campaign left long ago mostly caught up."""
    w = seeder.w
    result = []
    eligible = {s.pk for s in seeder.sample if s.status == SiteStatus.OPERATING}
    laggard = next((t.pk for t in seeder.territories if t.name == LAGGARD), None)
    for spec in CAMPAIGNS:
        starts = _latest(w.today, *spec.start)
        ends = starts + datetime.timedelta(days=spec.days - 1)
        deadline = ends + datetime.timedelta(days=spec.deadline_days)
        organizer = w.office_unit if spec.organizer == "office" else seeder.departments.get(spec.organizer)
        if organizer is None:
            continue
        creator = w.office_user
        for user in w.officers:
            if user.org_unit_id == organizer.pk and is_department_officer(user):
                creator = user
        checklist = seeder.templates.get(spec.sectors[0])
        campaign = Campaign.objects.create(
            name=spec.name,
            kind=spec.kind,
            district=seeder.district,
            organizer=organizer,
            checklist=checklist,
            starts_on=starts,
            ends_on=ends,
            deadline=deadline,
            description=spec.description,
            created_by=creator,
            created_at=w.moment(starts - datetime.timedelta(days=7), 9, 30),
        )
        campaign.sectors.set(spec.sectors)
        chosen = seeder.territories[: spec.territories] if spec.territories else []
        campaign.territories.set(chosen)
        scope = services.campaign_sites(campaign).values_list("pk", "territory_id")
        department = organizer.kind == OrgUnitKind.DEPARTMENT
        tasks = []
        for site_id, territory_id in scope:
            if site_id not in eligible:
                continue
            unit_id = organizer.pk if department or not territory_id else territory_id
            # The office hands the places out in batches over the campaign: each batch is due by its own date,
            # the last one at the end of the campaign.
            period = (ends - starts).days + 1
            due = min(ends, starts + datetime.timedelta(days=round(period * seeder.rng.choice(BATCH_SHARES)) - 1))
            task = InspectionTask(
                site_id=site_id,
                campaign=campaign,
                origin=TaskOrigin.CAMPAIGN,
                checklist=checklist,
                assignee_unit_id=unit_id,
                due_on=due,
                created_by=creator,
                created_at=campaign.created_at + datetime.timedelta(days=1),
            )
            site = seeder.by_pk[site_id]
            assignees = [u for u in site.officers if u.org_unit_id == unit_id]
            if assignees and seeder.rng.random() < 0.6:
                task.assignee = seeder.rng.choice(assignees)
            # How far the task is: done at the campaign's rate once due, the elapsed share of its time before.
            given = (due - starts).days + 1
            elapsed = min(max((w.today - starts).days, 0), given) / given
            rate = spec.done_rate * (0.65 if territory_id == laggard else 1.0)
            if due >= w.today:
                rate = min(0.98, elapsed * 1.08 * (0.65 if territory_id == laggard else 1.0))
            task.done = seeder.rng.random() < rate
            task.late = False
            if not task.done and (w.today - due).days > CATCH_UP_DAYS and seeder.rng.random() < CAUGHT_UP:
                # A real office catches up with what a campaign left: done late, weeks after its date.
                task.done = task.late = True
            tasks.append(task)
        w.rows["tasks"].extend(tasks)
        seeder.counts["campaigns"] += 1
        result.append((campaign, spec, tasks))
    return result


def assign_by_hand(seeder) -> None:
    """The week's work of each department officer and inspector of the demo: routine inspections their unit
    assigned by hand, due over the coming weeks (one or two a little late), as a real office plans them."""
    w = seeder.w
    taken = {t.site_id for t in w.rows["tasks"] if t.status == TaskStatus.OPEN and not getattr(t, "done", False)}
    for user in w.officers:
        if user.org_unit is None or not user.org_unit.is_department:
            continue
        places = [
            s for s in seeder.sites if s.status == SiteStatus.OPERATING and user in s.officers and s.pk not in taken
        ]
        chief = next((u for u in w.officers if u.org_unit_id == user.org_unit_id and is_department_officer(u)), user)
        chosen = seeder.rng.sample(places, min(len(places), len(HAND_ASSIGNED_DUE)))
        for offset, site in zip(HAND_ASSIGNED_DUE[: len(chosen)], chosen, strict=True):
            due = w.today + datetime.timedelta(days=offset)
            created = w.moment(min(due, w.today) - datetime.timedelta(days=seeder.rng.randint(7, 21)), 9, 15)
            task = InspectionTask(
                site_id=site.pk,
                origin=TaskOrigin.MANUAL,
                checklist=site.checklist,
                assignee_unit_id=user.org_unit_id,
                assignee=user,
                due_on=due,
                note=seeder.rng.choice(HAND_ASSIGNED_NOTES),
                created_by=chief,
                created_at=created,
            )
            task.done = False
            w.rows["tasks"].append(task)
            taken.add(site.pk)
