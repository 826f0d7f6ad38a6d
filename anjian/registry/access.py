"""Who may register and change places through the pages and the API, and where.

The services check the district and the scope; these helpers decide what the forms
offer, so that a user never registers a place that would fall outside their own scope.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anjian.core.permissions import is_supervisor
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit


def writable_districts(user):
    """City staff choose among the city's districts; everyone else registers in their own district."""
    scope = scope_of(user)
    units = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, is_active=True).order_by("order", "id")
    # Staff with write scope: leaders read only; an enterprise does not re-classify its own places.
    if not is_supervisor(user):
        return units.none()
    if scope.level is ScopeLevel.CITY:
        return units.filter(city_id=scope.city_id)
    return units.filter(pk=scope.district_id)


def territory_choices(user):
    """Streets and parks a place may be put under: a street officer only their own; a department,
    which supervises a sector across the district, every street and park of its district."""
    scope = scope_of(user)
    units = OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS, is_active=True).order_by("district_id", "order", "id")
    if scope.sees_nothing:
        return units.none()
    if scope.level is ScopeLevel.TERRITORY:
        return units.filter(pk__in=scope.territory_ids)
    if scope.level is ScopeLevel.CITY:
        return units.filter(city_id=scope.city_id)
    return units.filter(district_id=scope.district_id)


def check_stays_in_scope(user, *, territory, sector_codes, previous_codes=None) -> None:
    """A place written by a street or a department must stay in its scope, or it would vanish from it.

    ``previous_codes``: the sectors before an edit. A department that sees the place by an
    assignment (not by its mandate) may edit it without adding one of its own sectors.
    """
    scope = scope_of(user)
    if scope.level is ScopeLevel.TERRITORY and (territory is None or territory.pk not in scope.territory_ids):
        raise ValidationError({"territory": _("Choose your own street or park.")})
    mandated = set(scope.sector_codes)
    if previous_codes is not None and not (set(previous_codes) & mandated):
        return
    if scope.level is ScopeLevel.DEPARTMENT and not (set(sector_codes) & mandated):
        raise ValidationError(
            {"sectors": _("The place must belong to at least one sector your department supervises.")}
        )
