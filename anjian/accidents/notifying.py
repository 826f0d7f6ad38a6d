"""How the audiences of the notification table (:mod:`anjian.core.notification_rules`) are found for an accident:
the street or park it is recorded in, the departments supervising its sector (at its place, or by the
district's mandate when it has no registered place), the district leaders and the city. Each rule takes the ids
of a batch of accidents and costs a fixed number of queries."""

from __future__ import annotations

from anjian.accidents.models import Accident
from anjian.core.notification_rules import Audience, To, register
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.selectors import cities_of, district_units
from anjian.registry.selectors import answering_departments


@register(Accident, Audience.TERRITORY)
def territory(pks: list[int]) -> dict[int, To]:
    rows = Accident.objects.filter(pk__in=pks, territory__isnull=False).values_list("pk", "territory_id")
    return {pk: To(units=(unit,)) for pk, unit in rows}


@register(Accident, Audience.SECTOR_DEPARTMENTS)
def sector_departments(pks: list[int]) -> dict[int, To]:
    rows = Accident.objects.filter(pk__in=pks, sector__isnull=False).values_list(
        "pk", "site_id", "district_id", "sector_id"
    )
    found = answering_departments({pk: (site, district, sector) for pk, site, district, sector in rows})
    return {pk: To(units=tuple(units)) for pk, units in found.items()}


def _districts(pks: list[int]) -> dict[int, int]:
    return dict(Accident.objects.filter(pk__in=pks).values_list("pk", "district_id"))


@register(Accident, Audience.DISTRICT_LEADERS)
def district_leaders(pks: list[int]) -> dict[int, To]:
    districts = _districts(pks)
    leaders = district_units(districts.values(), OrgUnitKind.LEADERSHIP)
    return {pk: To(units=tuple(leaders[d])) for pk, d in districts.items() if d in leaders}


@register(Accident, Audience.CITY)
def city(pks: list[int]) -> dict[int, To]:
    """The city unit's staff: the three administrators sit there too, and core never tells them business."""
    districts = _districts(pks)
    cities = cities_of(districts.values())
    return {pk: To(units=(cities[d],)) for pk, d in districts.items() if d in cities}


@register(Accident, Audience.SAFETY_OFFICE)
def safety_office(pks: list[int]) -> dict[int, To]:
    """The district's safety office, which reports accidents up the chain (条例 第九条) and coordinates the
    response: told of an accident another unit recorded (the kinds spare the recording unit)."""
    districts = _districts(pks)
    offices = district_units(districts.values(), OrgUnitKind.SAFETY_OFFICE)
    return {pk: To(units=tuple(offices[d][:1])) for pk, d in districts.items() if d in offices}
