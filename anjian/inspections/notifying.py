"""How the audiences of the notification table (:mod:`anjian.core.notification_rules`) are found for the hazard
loop's records: a hazard's street, its sector's departments, its reporting unit, its 督办单位, its place's
enterprise accounts, its district's safety office; a task's assignee. Each rule takes the ids of a batch of
records and costs a fixed number of queries; who answers for a place comes from the registry, the district's
units from the organisations."""

from __future__ import annotations

from anjian.core.notification_rules import Audience, To, register
from anjian.inspections.models import Escalation, Hazard, InspectionTask, Photo
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.selectors import district_units
from anjian.registry.selectors import answering_departments, enterprise_accounts_of


def _places(pks: list[int]) -> dict[int, tuple[int, int, str | None, int | None, int | None]]:
    """Hazard id → (place id, district id, sector code, street or park id, reporting unit id). One query."""
    rows = Hazard.objects.filter(pk__in=pks).values_list(
        "pk", "site_id", "district_id", "sector_id", "site__territory_id", "reporting_unit_id"
    )
    return {pk: rest for pk, *rest in rows}


def _departments(places) -> dict[int, list[int]]:
    return answering_departments({pk: (site, district, sector) for pk, (site, district, sector, *_) in places.items()})


@register(Hazard, Audience.TERRITORY)
def territory(pks: list[int]) -> dict[int, To]:
    return {pk: To(units=(row[3],)) for pk, row in _places(pks).items() if row[3]}


@register(Hazard, Audience.SECTOR_DEPARTMENTS)
def sector_departments(pks: list[int]) -> dict[int, To]:
    return {pk: To(units=tuple(units)) for pk, units in _departments(_places(pks)).items()}


@register(Hazard, Audience.REPORTING_UNIT)
def reporting_unit(pks: list[int]) -> dict[int, To]:
    return {pk: To(units=(row[4],)) for pk, row in _places(pks).items() if row[4]}


@register(Hazard, Audience.VERIFIERS)
def verifiers(pks: list[int]) -> dict[int, To]:
    """The unit that reported the hazard verifies it; a hazard the enterprise reported itself has none, and the
    place's street and its sector's departments verify it."""
    places = _places(pks)
    found = {pk: To(units=(row[4],)) for pk, row in places.items() if row[4]}
    self_reported = {pk: row for pk, row in places.items() if not row[4]}
    for pk, units in _departments(self_reported).items():
        found[pk] = To(units=tuple(u for u in (self_reported[pk][3], *units) if u))
    return found


@register(Hazard, Audience.SUPERVISING_UNIT)
def supervising_unit(pks: list[int]) -> dict[int, To]:
    """The 督办单位 of every 挂牌督办 of the hazard (usually one)."""
    found: dict[int, list[int]] = {}
    rows = Escalation.objects.filter(hazard_id__in=pks).order_by("created_at", "pk")
    for hazard_id, unit_id in rows.values_list("hazard_id", "supervising_unit_id"):
        found.setdefault(hazard_id, []).append(unit_id)
    return {pk: To(units=tuple(dict.fromkeys(units))) for pk, units in found.items()}


@register(Hazard, Audience.ENTERPRISE)
def enterprise(pks: list[int]) -> dict[int, To]:
    sites = dict(Hazard.objects.filter(pk__in=pks).values_list("pk", "site_id"))
    accounts = enterprise_accounts_of(sites.values())
    return {pk: To(users=tuple(accounts[site])) for pk, site in sites.items() if site in accounts}


@register(Hazard, Audience.SAFETY_OFFICE)
def safety_office(pks: list[int]) -> dict[int, To]:
    """The district's safety office (the first, should a district have several), which decides for the
    district government."""
    districts = dict(Hazard.objects.filter(pk__in=pks).values_list("pk", "district_id"))
    offices = district_units(districts.values(), OrgUnitKind.SAFETY_OFFICE)
    return {pk: To(units=tuple(offices[d][:1])) for pk, d in districts.items() if d in offices}


@register(InspectionTask, Audience.ASSIGNEE)
def assignee(pks: list[int]) -> dict[int, To]:
    rows = InspectionTask.objects.filter(pk__in=pks).values_list("pk", "assignee_id", "assignee_unit_id")
    return {pk: To(users=(user,)) if user else To(units=(unit,)) for pk, user, unit in rows if user or unit}


@register(Photo, Audience.UPLOADER)
def uploader(pks: list[int]) -> dict[int, To]:
    rows = Photo.objects.filter(pk__in=pks, uploaded_by__isnull=False).values_list("pk", "uploaded_by_id")
    return {pk: To(users=(user,)) for pk, user in rows}
