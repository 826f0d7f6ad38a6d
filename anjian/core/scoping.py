"""The jurisdiction scoping primitive (DESIGN.md, "Jurisdiction scoping is one primitive").

A user's ``scope`` says which slice of the business data they may read and write:

* CITY — city staff see their city;
* DISTRICT — the safety committee office and district leaders see their district;
* DEPARTMENT — an industry department sees its district's records of the sectors it
  is mandated to supervise (管行业必须管安全);
* TERRITORY — a street or park sees the records in its territory (属地管理);
* ENTERPRISE — an enterprise account sees only its own places;
* NONE — the system, security and audit administrators (三员分立) see no business data.

Every scoped model's manager is built from :class:`ScopedQuerySet`, which turns the
scope into a filter through the model's :class:`ScopePaths`. Views fetch single
objects with :func:`get_visible_or_404`, so an object outside scope answers 404.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class ScopeLevel(enum.StrEnum):
    NONE = "none"
    CITY = "city"
    DISTRICT = "district"
    DEPARTMENT = "department"
    TERRITORY = "territory"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel = ScopeLevel.NONE
    user_id: int | None = None
    org_unit_id: int | None = None
    city_id: int | None = None
    district_id: int | None = None
    # DEPARTMENT: the sector codes the department is mandated to supervise.
    sector_codes: frozenset[str] = frozenset()
    # TERRITORY: the street or park (and any unit under it).
    territory_ids: frozenset[int] = frozenset()
    # District leaders read everything in their district and change nothing.
    read_only: bool = False

    @property
    def sees_nothing(self) -> bool:
        return self.level is ScopeLevel.NONE


NO_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The scope of any user object: anonymous and inactive users get no scope."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_SCOPE
    return getattr(user, "scope", NO_SCOPE)


_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopePaths:
    """ORM paths from a scoped model to what each scope level filters on.

    A level whose path is None sees nothing of the model. ``multivalued`` marks paths
    that cross a to-many relation, so the filter is applied as a subquery (no duplicates,
    safe to aggregate on).
    """

    city: str | None = None
    district: str | None = None
    sector: str | None = None
    territory: str | None = None
    enterprise_user: str | None = None
    multivalued: bool = False


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every scoped model: ``visible_to(user)`` and ``editable_by(user)``."""

    scope_paths: ScopePaths = ScopePaths()

    def scope_q(self, scope: Scope) -> Q:
        """The filter for one scope. Models override this for rules beyond the paths."""
        paths = self.scope_paths
        level = scope.level
        if level is ScopeLevel.CITY and paths.city:
            return Q(**{paths.city: scope.city_id})
        if level is ScopeLevel.DISTRICT and paths.district:
            return Q(**{paths.district: scope.district_id})
        if level is ScopeLevel.DEPARTMENT and paths.district and paths.sector:
            return Q(**{paths.district: scope.district_id, f"{paths.sector}__in": scope.sector_codes})
        if level is ScopeLevel.TERRITORY and paths.territory:
            return Q(**{f"{paths.territory}__in": scope.territory_ids})
        if level is ScopeLevel.ENTERPRISE and paths.enterprise_user:
            return Q(**{paths.enterprise_user: scope.user_id})
        return _NOTHING

    def _apply(self, q: Q):
        if self.scope_paths.multivalued:
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        return self.filter(q)

    def for_scope(self, scope: Scope):
        if scope.sees_nothing:
            return self.none()
        return self._apply(self.scope_q(scope))

    def visible_to(self, user):
        """Everything this user may read."""
        return self.for_scope(scope_of(user))

    def editable_by(self, user):
        """Everything this user may change: the visible part, unless the scope is read-only."""
        scope = scope_of(user)
        if scope.read_only:
            return self.none()
        return self.for_scope(scope)


# What a district user is told when they try to change city-wide reference data they can read (403).
REFERENCE_DATA_REFUSAL = _("Only the city administrator changes this: it is reference data shared by every district.")


def edits_city_reference_data(user) -> bool:
    """Who changes the reference data every district shares: the city administrator, nobody else.

    The GB 18218 substance catalogue, the checklists, the city's risk ranking configuration are one set
    for the whole city: a change re-grades installations and re-scores inspections in every district, so
    a district (its safety office included) reads them and only city staff with write scope change them.
    Data a district owns (its colour bands, its inspection frequencies) is not reference data.
    """
    scope = scope_of(user)
    return scope.level is ScopeLevel.CITY and not scope.read_only


def get_visible_or_404(queryset, user, **lookup):
    """One object the user may see; anything else, existing or not, is a plain 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_editable_or_404(queryset, user, **lookup):
    try:
        return queryset.editable_by(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
