"""Records of a place are visible to whoever sees the place: the registry's scoping rule, reused by every
model that points at a ``Site`` (assessments, installations, inspections, hazards …). Give such a model a
queryset built on :class:`SiteLinkedQuerySet` instead of restating the rule."""

from __future__ import annotations

from django.db.models import Q

from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel
from anjian.registry.models import Site

_NOTHING = Q(pk__in=[])


def site_scope_q(scope: Scope, site_field: str = "site") -> Q:
    """The places of a scope, as a filter on a model that points at a place through ``site_field``.

    City, district and territory follow plain joins; department and enterprise scopes cross
    to-many relations (mandates, enterprise accounts) and are applied as a subquery of places.
    """
    level = scope.level
    if level is ScopeLevel.CITY:
        return Q(**{f"{site_field}__district__city_id": scope.city_id})
    if level is ScopeLevel.DISTRICT:
        return Q(**{f"{site_field}__district_id": scope.district_id})
    if level is ScopeLevel.TERRITORY:
        return Q(**{f"{site_field}__territory_id__in": scope.territory_ids})
    if level in (ScopeLevel.DEPARTMENT, ScopeLevel.ENTERPRISE):
        return Q(**{f"{site_field}_id__in": Site.objects.for_scope(scope).values("pk")})
    return _NOTHING


class SiteLinkedQuerySet(ScopedQuerySet):
    """Visible to whoever sees the place. ``site_field``: the path to the place (``"assessment__site"`` for a
    record reached through another); a subclass widens the rule by or-ing more to ``scope_q``."""

    site_field = "site"

    def scope_q(self, scope: Scope) -> Q:
        return site_scope_q(scope, self.site_field)
