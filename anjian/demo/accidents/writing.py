"""Writing the demo accidents: the accidents a builder planned go to the database in bulk with their casualty
corrections and 四不放过 investigations (closures, accountability, measures, education), one audit record per
district that also marks it seeded (``seed``)."""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from anjian.accidents import services, standards
from anjian.accidents.choices import AccidentCategory, AccidentGrade
from anjian.accidents.models import (
    Accident,
    Accountability,
    CasualtyCorrection,
    CorrectiveMeasure,
    EducationRecord,
    Investigation,
    InvestigationStatus,
)
from anjian.core import audit, notifications
from anjian.core.models import AuditEntry
from anjian.demo.accidents.plan import (
    AUDIT_ACTION,
    BATCH,
    DEFAULT_SEED,
    OTHER_SHARE,
    SANCTIONS,
    Builder,
    District,
    Spec,
    _load,
)
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit

# Accidents of this many days before the seeding are told to whom they concern (the rest is history).
ANNOUNCED_DAYS = 30


def is_seeded(district: OrgUnit) -> bool:
    return AuditEntry.objects.filter(action=AUDIT_ACTION, object_id=str(district.pk)).exists()


def seed(*, city_code: str, demo_district_code: str, seed: int = DEFAULT_SEED, now=None, stdout=None) -> dict:
    """Seed the accidents of every district of the demo city that has none yet; {district name: counts}."""
    now = now or timezone.now()
    districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city__code=city_code).order_by("order", "id")
    done: dict[str, dict] = {}
    for index, district in enumerate(districts):
        if is_seeded(district):
            continue
        share = 1.0 if district.code == demo_district_code else OTHER_SHARE
        with transaction.atomic():
            world = _load(district, share)
            if world is None:
                continue
            rng = random.Random(seed + index)
            specs = Builder(world, rng, now).build()
            summary = _write(world, specs, rng, now)
            audit.record(actor=None, action=AUDIT_ACTION, obj=district, after={**summary, "seed": seed})
        _announce_recent([s.accident for s in specs], now=now)
        done[district.name] = summary
        if stdout is not None:
            stdout.write(
                f"  {district.name}: {summary['accidents']} accidents ({summary['deaths']} deaths, "
                f"{summary['relatively_serious']} relatively serious, {summary['late']} late reports), "
                f"{summary['investigations']} investigations {summary['states']}, "
                f"{summary['corrections']} casualty corrections"
            )
    return done


def _announce_recent(accidents: list[Accident], *, now: datetime.datetime) -> None:
    """The last month's accidents with a death or of grade 较大 and above are told as on the day they were
    recorded, so the demo's leaders, streets and departments find them in their bells."""
    since = now - datetime.timedelta(days=ANNOUNCED_DAYS)
    with notifications.batched() as outbox:
        for accident in accidents:
            message = services.announcement(accident) if accident.occurred_at >= since else None
            if message is not None:
                outbox.add(message)


def _write(world: District, specs: list[Spec], rng: random.Random, now: datetime.datetime) -> dict:
    accidents = Accident.objects.bulk_create([s.accident for s in specs], batch_size=BATCH)
    if accidents and accidents[-1].pk is None:
        raise RuntimeError("the database did not return primary keys from bulk_create (SQLite ≥ 3.35 or PostgreSQL)")
    actor = world.actor

    corrections = []
    for spec in specs:
        if spec.correction is None:
            continue
        accident = spec.accident
        changed, reason = spec.correction
        after = {name: getattr(accident, name) for name in services.MEASURES}
        before = {**after, **changed}
        grade_before = standards.grade_for(
            deaths=before["deaths"], serious_injuries=before["serious_injuries"], direct_loss=before["direct_loss"]
        )
        window = standards.correction_days(accident.category)
        corrections.append(
            CasualtyCorrection(
                accident=accident,
                before=audit.to_json(before),
                after=audit.to_json(after),
                grade_before=grade_before,
                grade_after=accident.grade,
                reason=reason,
                corrected_by=actor,
                corrected_at=min(accident.occurred_at + datetime.timedelta(days=rng.randint(1, window)), now),
            )
        )
    CasualtyCorrection.objects.bulk_create(corrections, batch_size=BATCH)

    investigated = [s for s in specs if s.state != "none"]
    site_ids = {s.accident.site_id for s in investigated if s.accident.site_id}
    hazards: dict[int, list[tuple[int, bool]]] = {}
    if site_ids:
        from anjian.inspections.choices import CLOSED_STATUSES
        from anjian.inspections.models import Hazard

        for pk, site_id, status in (
            Hazard.objects.filter(site_id__in=site_ids).order_by("id").values_list("pk", "site_id", "status")
        ):
            hazards.setdefault(site_id, []).append((pk, status in CLOSED_STATUSES))

    today = timezone.localtime(now).date()
    investigations = []
    for spec in investigated:
        accident = spec.accident
        occurred = timezone.localtime(accident.occurred_at)
        deadline = occurred.date() + datetime.timedelta(days=services.INVESTIGATION_DAYS)
        lead = _lead_unit(world, accident)
        opened_at = accident.reported_at + datetime.timedelta(hours=rng.randint(2, 30))
        investigation = Investigation(
            accident=accident,
            lead_unit=lead,
            team=f"{lead.name}牵头，相关部门及属地街镇参加",
            deadline=deadline,
            opened_by=actor,
            opened_at=min(opened_at, now),
        )
        if spec.state == "extended":
            # Extended once, so the new deadline is still ahead (条例 第二十九条: at most 60 days).
            days = min(services.MAX_EXTENSION_DAYS, max(15, (today - deadline).days + rng.randint(10, 30)))
            investigation.extended_by_days = days
            investigation.deadline = deadline + datetime.timedelta(days=days)
            investigation.extension_reason = "需进行技术鉴定，调查报告延期提交"
        if spec.state == "closed":
            finish = min(occurred + datetime.timedelta(days=rng.randint(30, 58)), now)
            investigation.status = InvestigationStatus.CLOSED
            direct = accident.summary.split("：")[-1].split("，")[0]
            investigation.cause = f"直接原因：{direct}；间接原因：安全管理制度不落实，教育培训不到位。"
            investigation.cause_report = f"{world.unit.name[:2]}安调〔{occurred.year}〕{rng.randint(1, 40)}号"
            investigation.cause_done_at = finish - datetime.timedelta(days=5)
            investigation.persons_done_at = finish - datetime.timedelta(days=3)
            investigation.measures_done_at = finish - datetime.timedelta(days=2)
            investigation.education_done_at = finish - datetime.timedelta(days=1)
            investigation.closed_at = finish
        elif spec.state in ("open", "extended", "overdue") and rng.random() < 0.5:
            investigation.cause = "事故原因正在调查中，初步判断为违章作业。"
        investigations.append(investigation)
    Investigation.objects.bulk_create(investigations, batch_size=BATCH)

    accountabilities, measures, education = [], [], []
    for spec, investigation in zip(investigated, investigations, strict=True):
        accident = spec.accident
        occurred = timezone.localtime(accident.occurred_at)
        closed = spec.state == "closed"
        if not closed and rng.random() < 0.5:
            continue  # an open investigation with no evidence yet
        when = investigation.closed_at or min(occurred + datetime.timedelta(days=rng.randint(10, 40)), now)
        for _n in range(rng.randint(1, 3)):
            accountabilities.append(
                Accountability(
                    investigation=investigation,
                    person=f"{rng.choice('王李张刘陈杨赵吴周孙')}某",
                    position=rng.choice(["企业主要负责人", "安全管理员", "项目经理", "班组长", "街道分管负责人"]),
                    sanction=rng.choice(SANCTIONS),
                    decided_by=rng.choice([investigation.lead_unit.name, f"{world.unit.name}纪委监委"]),
                    decided_on=(when - datetime.timedelta(days=2)).date(),
                    recorded_by=actor,
                    recorded_at=when - datetime.timedelta(days=2),
                )
            )
        options = [pk for pk, verified in hazards.get(accident.site_id, []) if verified or not closed]
        measure_hazard = options[0] if options else None
        measures.append(
            CorrectiveMeasure(
                investigation=investigation,
                description="全面排查同类隐患并落实整改" if measure_hazard else "修订安全操作规程，增设防护设施",
                hazard_id=measure_hazard,
                recorded_by=actor,
                recorded_at=when - datetime.timedelta(days=1),
            )
        )
        if closed or rng.random() < 0.5:
            education.append(
                EducationRecord(
                    investigation=investigation,
                    held_on=(when - datetime.timedelta(days=1)).date(),
                    subject="事故警示教育会",
                    audience="事发单位全体从业人员及同行业企业负责人",
                    attendees=rng.randint(30, 200),
                    recorded_by=actor,
                    recorded_at=when - datetime.timedelta(days=1),
                )
            )
    Accountability.objects.bulk_create(accountabilities, batch_size=BATCH)
    CorrectiveMeasure.objects.bulk_create(measures, batch_size=BATCH)
    EducationRecord.objects.bulk_create(education, batch_size=BATCH)

    states = Counter(_state(spec.state, inv, today) for spec, inv in zip(investigated, investigations, strict=True))
    return {
        "accidents": len(accidents),
        "deaths": sum(a.deaths for a in accidents),
        "relatively_serious": sum(1 for a in accidents if a.grade == AccidentGrade.RELATIVELY_SERIOUS),
        "late": sum(1 for a in accidents if a.late_report),
        "corrections": len(corrections),
        "investigations": len(investigations),
        "states": dict(sorted(states.items())),
        "by_year": dict(sorted(Counter(timezone.localtime(a.occurred_at).year for a in accidents).items())),
    }


def _state(planned: str, investigation: Investigation, today: datetime.date) -> str:
    if planned == "closed":
        return "closed"
    if investigation.deadline < today:
        return "overdue"
    return "extended" if investigation.extended_by_days else "open"


def _lead_unit(world: District, accident: Accident) -> OrgUnit:
    """Relatively serious accidents are investigated under the safety office; the others by the department."""
    if accident.grade != AccidentGrade.ORDINARY:
        return world.lead_units["office"]
    if accident.category == AccidentCategory.FIRE:
        return world.lead_units["fire"]
    if accident.sector_id == "construction":
        return world.lead_units["housing"]
    return world.lead_units["emergency"]
