"""Demo inspections and hazards of the demo district (issue 4, item 9): campaigns, a year of inspections and
about 8,000 hazards in every state, a few hundred overdue, some escalated, a few suspension orders and two
closure requests, with generated sample photos.

Rules the data follows (so the pages show what the services would have produced):
- Everything comes from one seeded ``random.Random``; times are relative to the day of seeding.
- Rows are written with ``bulk_create`` (a service call per hazard would take many minutes), but each hazard
  is built by replaying the transitions of :mod:`anjian.inspections.workflow` in time order: the timeline
  (``HazardEvent``), the notice, plans, rectifications with their after-photos, escalations and the final
  fields are what ``services`` writes for the same moves. Numbers use the services' formats.
- The hourly job's work is replayed too: a hazard past its deadline gets one "overdue" event per missed
  deadline and, if not yet under escalated supervision, an automatic escalation (挂牌督办) that sets its
  deadline 15 days on; a major hazard is escalated when it is reported. What became overdue in the last two
  days is left to :func:`services.scan_deadlines`, run at the end, so the demo accounts get real notifications.
- A hazard has one deadline; every change of it is a ``DeadlineChange`` row (notice, commitment, escalation,
  rejection). A hazard under escalated supervision is verified on site (a major one by a department of the demo
  that supervises the place, with a photo and the position) and closed when the safety office lifts the
  supervision (摘牌) a few days later; a notice names the enforcing department of the hazard's sector.
- Tasks are dated as an office dates them (:mod:`anjian.demo.inspections.tasks`): a campaign's places in batches
  with their own due dates, most leftovers of a past campaign done late, and each department officer's and
  inspector's routine inspections assigned by hand over the coming weeks.
- Actors are the demo accounts, each acting only on places in its scope; nobody verifies a rectification they
  submitted. The few places with no demo officer but the safety office have their rectifications verified by
  the city administrator (city scope).
- About 40 distinct photos are generated and stored once; the ``Photo`` rows of all hazards reuse them.
- The whole seeding writes one audit record (``inspections.demo.seed``), which also marks the district as
  seeded: a second run does nothing.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.models import AuditEntry
from anjian.core.permissions import (
    is_street_officer,
    verifies_major_hazards_on_site,
)
from anjian.demo.inspections.enforcement import enforce
from anjian.demo.inspections.lives import Life
from anjian.demo.inspections.tasks import assign_by_hand, plan_campaigns
from anjian.demo.inspections.vocabulary import (
    AFTER_PHOTOS,
    AUDIT_ACTION,
    CATCH_UP_DAYS,
    DEFAULT_LOCATIONS,
    DEFAULT_SEED,
    ENTERPRISE,
    EXTRA_TITLES,
    FINDING_PHOTOS,
    FINDINGS,
    GENERIC_TITLES,
    HAZARDS,
    INSPECTIONS,
    LOCATIONS,
    NO_CHECKLIST_NOTES,
)
from anjian.demo.inspections.world import SiteInfo, World, add_photo, store_sample
from anjian.demo.inspections.writing import write
from anjian.inspections import services
from anjian.inspections.choices import (
    CAMPAIGN_SOURCE,
    AnswerResult,
    HazardGrade,
    HazardSource,
    InspectionKind,
    InspectionStatus,
    PhotoStage,
    TaskOrigin,
    TaskStatus,
)
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionTask,
)
from anjian.organizations import geo
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site, SiteSector


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Seeder:
    def __init__(self, district: OrgUnit, *, size: float, seed: int, now=None):
        self.rng = random.Random(seed)
        self.size = size
        self.w = World(district, self.rng, now or timezone.now())
        self.district = district
        self.counts: Counter = Counter()
        self.scripted: set[int] = set()
        self.sample: list[SiteInfo] = []

    # -- loading
    def load(self) -> None:
        w = self.w
        services.ensure_checklists()
        territories = list(
            OrgUnit.objects.filter(district=self.district, kind__in=TERRITORIAL_KINDS).order_by("order", "id")
        )
        self.territories = territories
        w.territory_names = {t.pk: t.name for t in territories}
        self.departments = {
            u.department_type: u for u in OrgUnit.objects.filter(district=self.district, kind=OrgUnitKind.DEPARTMENT)
        }
        templates = {t.sector_id: t for t in ChecklistTemplate.objects.current().filter(sector__isnull=False)}
        self.items: dict[int, list[ChecklistItem]] = {}
        for item in (
            ChecklistItem.objects.select_related("template")
            .filter(template__in=list(templates.values()))
            .order_by("template", "order", "id")
        ):
            self.items.setdefault(item.template_id, []).append(item)
        self.templates = templates
        editable = {u.username: set(Site.objects.editable_by(u).values_list("pk", flat=True)) for u in w.officers}
        enterprise_account = w.users.get(ENTERPRISE)
        own = (
            set(Site.objects.visible_to(enterprise_account).values_list("pk", flat=True))
            if enterprise_account
            else set()
        )
        rows = Site.objects.filter(district=self.district).select_related("enterprise").order_by("pk")
        sectors: dict[int, list[str]] = {}
        for site_id, code in (
            SiteSector.objects.filter(site__district=self.district).order_by("id").values_list("site_id", "sector_id")
        ):
            sectors.setdefault(site_id, []).append(code)
        self.sites: list[SiteInfo] = []
        for site in rows:
            info = SiteInfo(
                pk=site.pk,
                name=site.name,
                status=site.status,
                territory_id=site.territory_id,
                enterprise_id=site.enterprise_id,
                principal=site.enterprise.principal if site.enterprise_id else "",
                enterprise_name=site.enterprise.name if site.enterprise_id else "",
                longitude=site.longitude,
                latitude=site.latitude,
                risk_level=site.risk_level,
                sectors=sectors.get(site.pk, []),
            )
            info.checklist = next((templates[c] for c in info.sectors if c in templates), None)
            info.officers = [u for u in w.officers if site.pk in editable[u.username]]
            info.account = enterprise_account if site.pk in own else None
            self.sites.append(info)
        self.by_pk = {s.pk: s for s in self.sites}
        w.finding_photos = [store_sample(w, i, PhotoStage.FINDING) for i in range(1, FINDING_PHOTOS + 1)]
        w.after_photos = [store_sample(w, i, PhotoStage.AFTER) for i in range(1, AFTER_PHOTOS + 1)]

    # -- actors
    def inspector_for(self, site: SiteInfo, prefer: list[User] | None = None) -> User:
        rng = self.rng
        candidates = [u for u in (prefer or []) if u in site.officers] or site.officers
        if not candidates or rng.random() < 0.08:
            return self.w.office_user
        weights = [3 if is_street_officer(u) else 2 for u in candidates]
        return rng.choices(candidates, weights)[0]

    def verifier_for(self, site: SiteInfo):
        w = self.w

        def pick(submitter: User) -> User:
            others = [u for u in [*site.officers, w.office_user] if u.pk != submitter.pk]
            if not others:
                return w.city_user
            if w.office_user in others and self.rng.random() < 0.35:
                return w.office_user
            return self.rng.choice(others)

        return pick

    def on_site_verifier_for(self, site: SiteInfo):
        """Who verifies on site a hazard under escalated supervision: a major one, a department officer or inspector
        who supervises the place (never the submitter); another, any officer of the place but the safety office,
        which lifts the supervision afterwards. None when nobody of the demo may: the hazard waits for them."""
        w = self.w

        def pick(submitter: User, major: bool) -> User | None:
            others = [
                u
                for u in site.officers
                if u.pk not in (submitter.pk, w.office_user.pk) and (not major or verifies_major_hazards_on_site(u))
            ]
            return self.rng.choice(others) if others else None

        return pick

    # -- inspections
    def plan_inspections(self, campaigns) -> list[dict]:
        """Who visits which place when: campaign tasks done, routine visits by frequency, self-inspections."""
        w = self.w
        rng = self.rng
        visits = []
        for campaign, _spec, tasks in campaigns:
            for task in tasks:
                if not task.done:
                    continue
                site = self.by_pk[task.site_id]
                if task.late:
                    latest = (w.today - task.due_on).days - 1
                    day = task.due_on + datetime.timedelta(days=rng.randint(1, max(1, min(latest, CATCH_UP_DAYS))))
                else:
                    span = max((min(task.due_on, w.today) - campaign.starts_on).days, 0)
                    day = campaign.starts_on + datetime.timedelta(days=rng.randint(0, span))
                prefer = [task.assignee] if task.assignee_id else None
                if campaign.organizer.kind == OrgUnitKind.DEPARTMENT:
                    prefer = [u for u in site.officers if u.org_unit_id == campaign.organizer_id]
                visits.append(
                    {"site": site, "start": w.working_time(day), "task": task, "campaign": campaign, "prefer": prefer}
                )
        campaign_count = len(visits)
        routine = []
        for site in self.sample:
            if site.status not in (SiteStatus.OPERATING, SiteStatus.SUSPENDED) or site.pk in self.scripted:
                continue
            interval = services.frequency_days(site.sectors, site.risk_level)
            day = w.today - datetime.timedelta(days=rng.randint(1, max(interval, 2)))
            while day > w.today - datetime.timedelta(days=365):
                routine.append((site, day))
                day -= datetime.timedelta(days=max(7, int(interval * rng.uniform(0.8, 1.2))))
        wanted = max(0, round(INSPECTIONS * self.size) - campaign_count)
        keep = min(1.0, wanted / len(routine)) if routine else 0
        for site, day in routine:
            if rng.random() >= keep:
                continue
            source = HazardSource.ROUTINE
            roll = rng.random()
            if roll < 0.03:
                source = HazardSource.PUBLIC_REPORT
            elif roll < 0.05:
                source = HazardSource.ACCIDENT_ANALOGY
            elif roll < 0.07:
                source = HazardSource.COMPREHENSIVE
            visit = {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "source": source}
            visit["routine_task"] = rng.random() < 0.6
            visits.append(visit)
        for site in self.sample:  # 企业自查: the enterprise account inspects its own places every month
            if site.account is None or site.status != SiteStatus.OPERATING:
                continue
            for month in range(12):
                day = w.today - datetime.timedelta(days=month * 30 + rng.randint(1, 25))
                visits.append(
                    {"site": site, "start": w.working_time(day), "task": None, "campaign": None, "self": True}
                )
        visits.sort(key=lambda v: (v["start"], v["site"].pk))
        return visits

    def inspect(self, visit: dict, *, hazards: int, until=None, plans: list[dict] | None = None) -> list[Life]:
        """One completed inspection: its answers, the hazards it found and their lives."""
        w = self.w
        rng = self.rng
        site: SiteInfo = visit["site"]
        is_self = bool(visit.get("self"))
        inspector = site.account if is_self else visit.get("inspector") or self.inspector_for(site, visit.get("prefer"))
        task, campaign = visit.get("task"), visit.get("campaign")
        started = visit["start"]
        ended = started + datetime.timedelta(minutes=rng.randint(20, 90))
        if is_self:
            source = HazardSource.SELF_INSPECTION
        elif campaign is not None:
            source = CAMPAIGN_SOURCE.get(campaign.kind, HazardSource.SPECIAL)
        else:
            source = visit.get("source", HazardSource.ROUTINE)
        if task is None and visit.get("routine_task"):
            task = InspectionTask(
                site_id=site.pk,
                origin=TaskOrigin.FREQUENCY,
                assignee_unit_id=site.territory_id or inspector.org_unit_id,
                due_on=timezone.localtime(started).date() + datetime.timedelta(days=rng.randint(0, 12)),
                note=f"按检查频次每{services.frequency_days(site.sectors, site.risk_level)}天检查一次",
                created_at=started - datetime.timedelta(days=14),
            )
            w.rows["tasks"].append(task)
        latitude = longitude = None
        if site.latitude is not None:
            latitude = (site.latitude + Decimal(rng.randint(-300, 300)) / 1_000_000).quantize(Decimal("0.000001"))
            longitude = (site.longitude + Decimal(rng.randint(-300, 300)) / 1_000_000).quantize(Decimal("0.000001"))
        checklist = (campaign.checklist if campaign is not None else None) or site.checklist
        if checklist is not None and checklist.sector_id not in site.sectors:
            checklist = site.checklist
        inspection = Inspection(
            site_id=site.pk,
            task=task,
            campaign=campaign,
            checklist=checklist,
            kind=InspectionKind.SELF if is_self else InspectionKind.SUPERVISION,
            source=source,
            status=InspectionStatus.COMPLETED,
            org_unit_id=self.district.pk if is_self else inspector.org_unit_id,
            started_at=started,
            ended_at=ended,
            latitude=latitude,
            longitude=longitude,
            position_accuracy=rng.randint(5, 30) if latitude is not None else None,
            distance_m=round(geo.distance_m(latitude, longitude, site.latitude, site.longitude))
            if latitude is not None
            else None,
            created_by=inspector,
        )
        w.rows["inspections"].append(inspection)
        w.rows["inspectors"].append((inspection, inspector))
        if task is not None:
            task.status = TaskStatus.DONE
            task.completed_at = ended
        self.counts["inspections"] += 1

        findings: list[tuple[dict | None, ChecklistItem | None, str]] = []
        items = self.items.get(checklist.pk, []) if checklist is not None else []
        if items:
            forced_major = any(p.get("major") for p in plans or [])
            weights = [0.12 if item.is_major_criterion else 1.0 for item in items]
            wanted = min(hazards, len(items))
            bad: set[int] = set()
            first = None
            if forced_major:
                majors = [i for i, item in enumerate(items) if item.is_major_criterion]
                if majors:
                    first = rng.choice(majors)
                    bad.add(first)
            while len(bad) < wanted:
                bad.add(rng.choices(range(len(items)), weights)[0])
            for index, item in enumerate(items):
                if index in bad:
                    result, note = AnswerResult.NONCOMPLIANT, rng.choice(FINDINGS)
                elif rng.random() < 0.08 and not item.is_major_criterion:
                    result, note = AnswerResult.NOT_APPLICABLE, ""
                else:
                    result, note = AnswerResult.COMPLIANT, ""
                answer = {"inspection": inspection, "item_id": item.pk, "result": result, "note": note, "pk": None}
                w.rows["answers"].append(answer)
                if result == AnswerResult.NONCOMPLIANT:
                    findings.append((answer, item, note))
                elif result == AnswerResult.COMPLIANT and item.photo_required:
                    add_photo(
                        w, PhotoStage.FINDING, at=started, by=inspector, site=site, inspection=inspection, answer=answer
                    )
            if first is not None:  # the scripted story's hazard comes first
                findings.sort(key=lambda f: f[1] is not items[first])
            extra = 1 if rng.random() < 0.05 else 0
        else:
            extra = hazards
            if not extra:
                inspection.note = rng.choice(NO_CHECKLIST_NOTES)
        titles = [t for code in site.sectors for t in EXTRA_TITLES.get(code, [])] or GENERIC_TITLES
        for title in rng.sample(titles, min(extra, len(titles))):
            findings.append((None, None, title))
        lives = []
        span = max(int((ended - started).total_seconds()) - 120, 60)
        for index, (answer, item, text) in enumerate(findings):
            lives.append(
                self.hazard(
                    site,
                    inspection,
                    answer=answer,
                    item=item,
                    title=item.hazard_title if item is not None else text,
                    description=text if item is not None else rng.choice(FINDINGS),
                    reported_at=started + datetime.timedelta(seconds=rng.randint(60, span)),
                    inspector=inspector,
                    self_reported=is_self,
                    campaign=campaign,
                    until=until or w.now,
                    plan=(plans[index] if plans and index < len(plans) else {}),
                )
            )
        return lives

    def hazard(
        self,
        site,
        inspection,
        *,
        answer,
        item,
        title,
        description,
        reported_at,
        inspector,
        self_reported,
        campaign,
        until,
        plan,
    ) -> Life:
        w = self.w
        rng = self.rng
        sector = None
        if item is not None and item.template.sector_id in site.sectors:
            sector = item.template.sector_id
        elif site.sectors:
            sector = site.sectors[0]
        major = item is not None and item.is_major_criterion
        h = Hazard(
            site_id=site.pk,
            district_id=self.district.pk,
            sector_id=sector,
            inspection=inspection,
            checklist_item=item,
            campaign=campaign,
            title=title[:300],
            description=description,
            location=rng.choice(LOCATIONS.get(sector or "", DEFAULT_LOCATIONS)),
            grade=HazardGrade.MAJOR if major else HazardGrade.GENERAL,
            criteria_document=item.criteria_document if item else "",
            criteria_edition=item.criteria_edition if item else "",
            criteria_number=item.criteria_number if item else "",
            legal_basis=item.legal_basis if item else "",
            nature=item.nature if item else "",
            source=inspection.source,
            self_reported=self_reported,
            reported_by=inspector,
            reporting_unit=None if self_reported else inspector.org_unit,
            reported_at=reported_at,
        )
        h.plans_filed = False
        h.answer_record = answer  # its id is known once the answers are written
        w.rows["hazards"].append(h)
        life = Life(w, h, site, until=until, inspection=inspection)
        # Without an enterprise account, an officer other than the street's records the rectification on the
        # place's behalf, so the street officers of the demo have hazards of their own to verify.
        stand_ins = [u for u in site.officers if not is_street_officer(u)] or [w.office_user]
        submitter = site.account or self.rng.choice(stand_ins)
        life.run(
            inspector=inspector,
            submitter=submitter,
            verifier=self.verifier_for(site),
            on_site_verifier=self.on_site_verifier_for(site),
            self_reported=self_reported,
            plan=plan,
        )
        return life

    # -- the scripted enforcement stories
    def pick_scripted(self) -> list[SiteInfo]:
        """Places that end under a suspension order (two of them with a closure request): ones with a
        checklist holding major criteria, an enterprise, a street, no enterprise account of the demo."""
        n = 3 + round(2 * self.size)
        pool = [
            s
            for s in self.sample
            if s.status == SiteStatus.OPERATING
            and s.checklist is not None
            and s.territory_id
            and s.account is None
            and s.enterprise_id
            and any(i.is_major_criterion for i in self.items.get(s.checklist.pk, []))
        ]
        if len(pool) < n:
            pool = [
                s
                for s in self.sample
                if s.status == SiteStatus.OPERATING and s.checklist is not None and s.territory_id and s.account is None
            ]
        return self.rng.sample(pool, min(n, len(pool)))

    def build(self) -> None:
        rng = self.rng
        share = min(max(self.size, 0.0), 1.0)
        eligible = [s for s in self.sites if s.status in (SiteStatus.OPERATING, SiteStatus.SUSPENDED)]
        self.sample = (
            eligible
            if share >= 1
            else sorted(rng.sample(eligible, max(1, round(len(eligible) * share))), key=lambda s: s.pk)
        )
        # The demo enterprise's places are always in: its account is the one that runs self-inspections.
        for site in self.sites:
            if site.account is not None and site not in self.sample:
                self.sample.append(site)
        scripted = self.pick_scripted()
        self.scripted = {s.pk for s in scripted}
        campaigns = plan_campaigns(self)
        for _campaign, _spec, tasks in campaigns:
            for task in tasks:  # a scripted place's visits are its story only
                if task.site_id in self.scripted:
                    task.done = False
        visits = self.plan_inspections(campaigns)
        assign_by_hand(self)

        def weight(visit):  # campaigns look harder; an enterprise finds less in its own places
            return (1.3 if visit.get("campaign") is not None else 1.0) * (0.6 if visit.get("self") else 1.0)

        # About 5% of the hazards are found outside the checklist, on top of the answers drawn here.
        lam = 0.95 * HAZARDS * self.size / max(sum(weight(v) for v in visits), 1)
        for visit in visits:
            self.inspect(visit, hazards=_poisson(rng, lam * weight(visit)))
        enforce(self, scripted)


def is_seeded(district: OrgUnit) -> bool:
    return AuditEntry.objects.filter(action=AUDIT_ACTION, object_id=str(district.pk)).exists()


def seed(*, district: OrgUnit, size: float = 1.0, seed: int = DEFAULT_SEED, stdout=None) -> dict | None:
    """Seed the demo district's campaigns, inspections and hazards once; ``None`` when it has them already.

    ``size`` scales the number of places visited, inspections and hazards (tests use a fraction).
    Then the periodic jobs run as they would: routine tasks are planned and the deadlines scanned.
    """
    if is_seeded(district):
        return None
    with transaction.atomic():
        seeder = Seeder(district, size=size, seed=seed)
        seeder.load()
        seeder.build()
        summary = write(seeder)
        audit.record(
            actor=None,
            action=AUDIT_ACTION,
            obj=district,
            org_unit=seeder.w.office_unit,
            after={**summary, "size": size, "seed": seed},
        )
    if stdout is not None:
        stdout.write(
            f"  {district.name}: {summary['inspections']} inspections, {summary['hazards']} hazards "
            f"({summary['overdue']} overdue, {summary['escalated_open']} open under escalated supervision)"
        )
    summary["frequency_tasks"] = services.generate_frequency_tasks(district=district)
    summary["scan"] = services.scan_deadlines()
    return summary
