"""Who reads what of the city risk ranking: one :class:`Access` per user, decided from the user's scope, and the
lookups that answer 404 for a district, area or row outside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from anjian.core.permissions import is_city_admin, is_district_office
from anjian.core.scoping import ScopeLevel, edits_city_reference_data, scope_of
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.risk.city.ranking import Row, Table


@dataclass(frozen=True)
class Access:
    """What of the city risk ranking a user reads.

    City staff: every district and every district's streets. District users (safety office, leaders,
    departments, inspectors of the district): the ranking of the city's districts, which the city publishes,
    and their own district's streets. A street or park: the districts' ranking and its own row of its district's
    street ranking, never the other streets' rows. Enterprises and the three administrators: nothing."""

    city_id: int
    district_id: int | None  # None: the whole city
    territory_ids: frozenset[int] = frozenset()  # set for a street or park: only these rows
    can_configure: bool = False
    can_snapshot_city: bool = False
    can_snapshot_district: bool = False

    @property
    def sees_all_streets(self) -> bool:
        return not self.territory_ids

    def may_see_district_streets(self, district: OrgUnit) -> bool:
        return district.city_id == self.city_id and self.district_id in (None, district.pk)

    def may_see_area(self, area: OrgUnit) -> bool:
        if area.kind == OrgUnitKind.DISTRICT:
            return area.city_id == self.city_id
        if area.kind in TERRITORIAL_KINDS:
            if self.territory_ids:
                return area.pk in self.territory_ids
            return area.city_id == self.city_id and self.district_id in (None, area.district_id)
        return False


def access_for(user) -> Access | None:
    scope = scope_of(user)
    if scope.level is ScopeLevel.CITY:
        return Access(
            city_id=scope.city_id,
            district_id=None,
            can_configure=edits_city_reference_data(user),
            can_snapshot_city=is_city_admin(user),
        )
    if scope.level in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT) and scope.district_id:
        return Access(
            city_id=scope.city_id,
            district_id=scope.district_id,
            can_snapshot_district=is_district_office(user),
        )
    if scope.level is ScopeLevel.TERRITORY and scope.district_id:
        return Access(city_id=scope.city_id, district_id=scope.district_id, territory_ids=scope.territory_ids)
    return None


def reads_ranking(user) -> bool:
    """Whether the user reads the city risk ranking at all (the pages' guard, and so their menu item)."""
    return access_for(user) is not None


def reads_ranking_method(user) -> bool:
    """The method and weights page: city and district users. A street or park reads only its own row of its
    district's ranking, so not how the units of every district are weighed either."""
    access = access_for(user)
    return access is not None and not access.territory_ids


def visible_rows(table: Table, access: Access) -> list[Row]:
    """The rows a user may read of a street ranking: a street sees its own row only (with its rank of all)."""
    if access.sees_all_streets or (table.rows and table.rows[0].area.kind == OrgUnitKind.DISTRICT):
        return table.rows
    return [row for row in table.rows if row.area.pk in access.territory_ids]


def access_or_404(user) -> Access:
    access = access_for(user)
    if access is None:
        raise Http404
    return access


def visible_district_or_404(access: Access, pk) -> OrgUnit:
    """A district whose street ranking the user reads (their own, or any of the city for city staff)."""
    try:
        district = OrgUnit.objects.get(pk=int(pk), kind=OrgUnitKind.DISTRICT)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may_see_district_streets(district):
        raise Http404
    return district


def visible_area_or_404(access: Access, pk) -> tuple[OrgUnit, OrgUnit]:
    """A district or street whose explanation the user reads, and the unit its ranking is within."""
    try:
        area = OrgUnit.objects.select_related("city", "district").get(
            pk=int(pk), kind__in=[OrgUnitKind.DISTRICT, *TERRITORIAL_KINDS]
        )
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may_see_area(area):
        raise Http404
    return area, (area.city if area.kind == OrgUnitKind.DISTRICT else area.district)
