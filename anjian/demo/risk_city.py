"""Demo of the city safety risk assessment: the default assessment units of the demo city, a few supervision
findings in the other districts, and the rankings recorded for the last two years and this one, so the ranking
page shows a trend from the first visit.

Only the demo district (滨江区) has inspections in the rest of the demo; left so, it would lead every hazard
indicator only because nobody inspected elsewhere. So the city's administrator here carries out a supervision
visit (上级督查) of some places of the other districts and records hazards through the inspection services
(inspection, photo, notice, escalation, timeline as any finding): open major hazards and hazards past their
rectification deadline, in 城南区 at three times 滨江区's rate per resident, in 城北区 at one and a half times.
The demo then shows a district riskier than 滨江区 and one less risky: 滨江区 is neither first nor last overall.

Run by ``seed_demo`` after the other risk demo (places need their colours, installations their levels).
Idempotent: a city that has any recorded ranking is left as it is.
"""

from __future__ import annotations

import contextlib
import datetime
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core import notifications
from anjian.core.signals import site_risk_inputs_changed
from anjian.demo.organizations import CITY, DEMO_DISTRICT
from anjian.inspections import evidence, services
from anjian.inspections.choices import OPEN_STATUSES, DeadlineReason, HazardGrade, HazardSource
from anjian.inspections.models import (
    DeadlineChange,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    RectificationNotice,
    overdue_q,
)
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site
from anjian.risk import city
from anjian.risk.assessment_registration import on_risk_inputs_changed
from anjian.risk.levels import recompute_district
from anjian.risk.models import RiskSnapshot

# Open major hazards per resident found in each district, against 滨江区's.
FINDINGS = {"城南区": 3.0, "城北区": 1.5}
MIN_PER_SECTOR = 2
MAX_PLACES = 40  # places visited per sector; more findings than places fall on the same places again
SECTORS = (
    "crowded_place",
    "hazchem",
    "industry_trade",
    "construction",
    "municipal",
    "road_traffic",
    "waterlogging_point",
    "dilapidated_house",
)


def _population(district: OrgUnit) -> int:
    return sum(
        OrgUnit.objects.filter(district=district, kind__in=TERRITORIAL_KINDS)
        .values_list("population", flat=True)
        .exclude(population=None)
    )


def _inspect(actor, site: Site, *, seed: int, major: bool) -> Hazard:
    """One supervision visit finding one hazard, through the inspection services."""
    inspection = services.start_inspection(
        actor=actor, site=site, default_checklist=False, source=HazardSource.SUPERVISION
    )
    photo = SimpleUploadedFile(f"demo-{seed}.jpg", evidence.sample_photo(seed=seed, label="隐患"), "image/jpeg")
    if major:
        return services.add_hazard(
            actor=actor,
            inspection=inspection,
            photos=[photo],
            title="安全防护措施缺失，存在重大事故隐患",
            grade=HazardGrade.MAJOR,
            major_reason="市级督查认定：防护缺失可能导致群死群伤（演示数据）",
        )
    return services.add_hazard(actor=actor, inspection=inspection, photos=[photo], title="消防设施维护保养不到位")


def _backdate(hazard_ids: list[int]) -> None:
    """Findings of a visit 75 days ago: the notice's 30-day deadline passed 45 days ago, the hazard was placed
    under escalated supervision the next day with 15 more days (its deadline history says so), and that deadline
    passed too (the inspection demo writes its histories the same way: dated rows, then the deadline scan)."""
    now = timezone.now()
    visited = now - datetime.timedelta(days=75)
    escalated = now - datetime.timedelta(days=44)
    first_deadline = timezone.localdate(visited) + datetime.timedelta(days=30)
    second_deadline = first_deadline + datetime.timedelta(days=16)
    Hazard.objects.filter(pk__in=hazard_ids).update(
        reported_at=visited, original_deadline=first_deadline, deadline=second_deadline, escalated_at=escalated
    )
    RectificationNotice.objects.filter(hazard_id__in=hazard_ids).update(issued_at=visited, deadline=first_deadline)
    DeadlineChange.objects.filter(hazard_id__in=hazard_ids).update(changed_at=visited, deadline=first_deadline)
    events = HazardEvent.objects.filter(hazard_id__in=hazard_ids)
    events.update(at=visited)
    events.filter(action="issue_notice").update(data={"deadline": first_deadline.isoformat()})
    offices = {
        unit.district_id: unit for unit in OrgUnit.objects.filter(kind=OrgUnitKind.SAFETY_OFFICE, is_active=True)
    }
    for hazard in Hazard.objects.filter(pk__in=hazard_ids).select_related("site"):
        office = offices.get(hazard.district_id) or hazard.district
        escalation = Escalation.objects.create(
            hazard=hazard,
            reason=Escalation.Reason.OVERDUE,
            supervising_unit=office,
            responsible_official=f"{hazard.site.name}主要负责人"[:100],
            automatic=True,
            created_at=escalated,
        )
        DeadlineChange.objects.create(
            hazard=hazard,
            previous=first_deadline,
            deadline=second_deadline,
            reason=DeadlineReason.ESCALATION,
            note=str(Escalation.Reason.OVERDUE.label),
            escalation=escalation,
            changed_by_unit=office,
            changed_at=escalated,
        )
        HazardEvent.objects.create(
            hazard=hazard,
            action="escalated",
            at=escalated,
            data={
                "reason": Escalation.Reason.OVERDUE,
                "official": escalation.responsible_official,
                "unit": office.name,
                "deadline": second_deadline.isoformat(),
            },
        )
    Inspection.objects.filter(hazards__in=hazard_ids).update(started_at=visited, ended_at=visited)


def _findings(actor, demo_district: OrgUnit, district: OrgUnit, factor: float) -> int:
    """Open major hazards and overdue hazards found by the city's supervision visit of the district's places, at
    ``factor`` times 滨江区's rate per resident in each sector (a place may have several)."""
    ratio = _population(district) / max(_population(demo_district), 1)
    open_hazards = Hazard.objects.filter(district=demo_district, status__in=OPEN_STATUSES)
    major = dict(
        open_hazards.filter(grade=HazardGrade.MAJOR)
        .values_list("site__site_sectors__sector_id")
        .annotate(n=Count("pk", distinct=True))
    )
    overdue = dict(
        open_hazards.filter(overdue_q())
        .values_list("site__site_sectors__sector_id")
        .annotate(n=Count("pk", distinct=True))
    )
    found = 0
    overdue_ids: list[int] = []
    for order, sector in enumerate(SECTORS):
        sites = list(
            Site.objects.filter(
                district=district, status=SiteStatus.OPERATING, site_sectors__sector_id=sector
            ).order_by("pk")[:MAX_PLACES]
        )
        if not sites:
            continue
        wanted_major = math.ceil(max(MIN_PER_SECTOR, major.get(sector, 0) * ratio) * factor)
        wanted_overdue = math.ceil(overdue.get(sector, 0) * ratio * factor)
        for index in range(wanted_major):
            _inspect(actor, sites[index % len(sites)], seed=90_000 + order * 1000 + index, major=True)
        for index in range(wanted_overdue):
            hazard = _inspect(actor, sites[-1 - index % len(sites)], seed=95_000 + order * 1000 + index, major=False)
            services.issue_notice(
                actor=actor,
                hazard=hazard,
                deadline=timezone.localdate(),
                legal_basis="《中华人民共和国消防法》第十六条",
            )
            overdue_ids.append(hazard.pk)
        found += wanted_major + wanted_overdue
    _backdate(overdue_ids)
    return found


@contextlib.contextmanager
def _levels_recomputed_once():
    """Inside the block the places' levels are not recomputed hazard by hazard (each finding, notice and
    escalation would recompute its place after the commit, about 600 times): the seed recomputes each district's
    levels once, on the same records, before it commits."""
    muted = site_risk_inputs_changed.disconnect(dispatch_uid=RECOMPUTE_UID)
    try:
        yield
    finally:
        if muted:
            site_risk_inputs_changed.connect(on_risk_inputs_changed, dispatch_uid=RECOMPUTE_UID)


RECOMPUTE_UID = "risk.recompute_levels"  # the risk app's receiver (anjian.risk.assessment_registration)


def seed(stdout=None) -> dict:
    """Record the demo city's rankings of two years ago, last year and this year; {year: rows written}."""
    demo_city = OrgUnit.objects.filter(kind=OrgUnitKind.CITY, code=CITY["code"]).first()
    if demo_city is None or RiskSnapshot.objects.filter(city=demo_city).exists():
        if stdout is not None:
            stdout.write("Demo risk rankings already present (or no demo city); nothing changed.")
        return {}
    demo_district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code=DEMO_DISTRICT["code"])
    this_year = timezone.localdate().year
    written = {}
    # The findings' notifications go out in batches once the visit commits (as a periodic job sends them), not
    # one query round per hazard.
    with notifications.batched(), _levels_recomputed_once(), transaction.atomic():
        actor = User.objects.filter(org_unit=demo_city, role=Role.CITY_ADMIN, is_active=True).first()
        found = {}
        for district in OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city=demo_city, name__in=FINDINGS):
            found[district.name] = _findings(actor, demo_district, district, FINDINGS[district.name]) if actor else 0
        # Deadlines passed: marked overdue and escalated as the hourly scan does; then the places' current
        # colours follow their open major and overdue hazards (STANDARDS §2, dynamic risk).
        services.scan_deadlines()
        for district in OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city=demo_city):
            recompute_district(district.pk)
        city.persist_default_units(city=demo_city)
        for year in (this_year - 2, this_year - 1, this_year):
            # actor None: recorded by the system, as the year-end job does.
            written[year] = city.take_snapshots(actor=None, year=year, city=demo_city)
    if stdout is not None:
        for name, count in found.items():
            stdout.write(f"  {name}: {count} hazards found by the city's supervision visit.")
        overall = RiskSnapshot.objects.filter(city=demo_city, unit=None, area__kind=OrgUnitKind.DISTRICT)
        for snapshot in overall.select_related("area").order_by("year", "rank"):
            stdout.write(
                f"  {snapshot.year} {snapshot.area.name}: {snapshot.score} (No. {snapshot.rank}/{snapshot.of})"
            )
        stdout.write(f"Demo risk rankings recorded: {sum(written.values())} rows.")
    return written
