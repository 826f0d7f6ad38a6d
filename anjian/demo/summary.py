"""What the demo city holds, counted from the database once seeding is done: the one summary ``seed_demo``
prints (each part of the demo creates rows the others then count, so counts taken while seeding disagree)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from anjian.accidents.models import Accident, Investigation
from anjian.accounts.models import User
from anjian.demo.accounts import DEMO_ACCOUNTS
from anjian.inspections.choices import OPEN_STATUSES
from anjian.inspections.models import Hazard, Inspection, overdue_q
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import RiskLevel
from anjian.registry.models import ChemicalUnit, Site
from anjian.risk.models import MajorHazardSource, RiskAssessment, RiskSnapshot

COLOURS = (RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE)


def _district_lines(district: OrgUnit) -> list[str]:
    places = Site.objects.filter(district=district)
    levels = dict(places.values_list("risk_level").annotate(n=Count("pk")).order_by())
    total = sum(levels.values())
    assessed = RiskAssessment.objects.filter(district=district).values("site_id").distinct().count()
    colours = ", ".join(f"{levels.get(colour, 0)} {colour}" for colour in COLOURS)
    lines = [
        f"  {district.name}: {total} places, {assessed} places assessed "
        f"(current levels: {colours}; {total - sum(levels.get(c, 0) for c in COLOURS)} unassessed)"
    ]
    hazards = Hazard.objects.filter(district=district).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q()),
        escalated=Count("pk", filter=Q(status__in=OPEN_STATUSES, escalated_at__isnull=False)),
    )
    inspections = Inspection.objects.filter(site__district=district).count()
    if inspections or hazards["total"]:
        lines.append(
            f"    {inspections} inspections, {hazards['total']} hazards ({hazards['overdue']} overdue, "
            f"{hazards['escalated']} open under escalated supervision)"
        )
    accidents = Accident.objects.filter(district=district).aggregate(
        total=Count("pk"), deaths=Sum("deaths"), late=Count("pk", filter=Q(late_report=True))
    )
    if accidents["total"]:
        investigations = dict(
            Investigation.objects.filter(accident__district=district)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        lines.append(
            f"    {accidents['total']} accidents ({accidents['deaths'] or 0} deaths, {accidents['late']} late "
            f"reports), {sum(investigations.values())} investigations "
            f"({investigations.get('open', 0)} open, {investigations.get('closed', 0)} closed)"
        )
    return lines


def summary_lines(city: OrgUnit) -> list[str]:
    """The demo city as the database holds it now, one line or a few per district."""
    districts = list(OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, city=city).order_by("order", "id"))
    units = OrgUnit.objects.filter(Q(pk=city.pk) | Q(city=city)).count()
    accounts = User.objects.filter(username__in=[account[0] for account in DEMO_ACCOUNTS]).count()
    lines = [f"The demo city {city.name}: {units} units, {accounts} demo accounts."]
    for district in districts:
        lines.extend(_district_lines(district))
    chemical_units = ChemicalUnit.objects.filter(site__district__city=city).count()
    installations = MajorHazardSource.objects.filter(site__district__city=city).count()
    lines.append(f"  Major hazard installations identified: {installations} of {chemical_units} chemical units.")
    snapshots = RiskSnapshot.objects.filter(city=city)
    years = sorted(set(snapshots.values_list("year", flat=True)))
    if years:
        lines.append(f"  Risk rankings recorded: {snapshots.count()} rows for {years[0]}–{years[-1]}.")
    return lines
