"""Filters of the accident list — one class serves the page, the .xlsx export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accidents.choices import AccidentCategory, AccidentGrade, AccidentType
from anjian.accidents.models import Accident, Investigation, InvestigationStatus
from anjian.core.filters import StyledFilterSet
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector

YES_NO = (("true", _("Yes")), ("false", _("No")))


def territories_for(user):
    """The streets and parks a user may name on an accident: their own territory, their district's for the
    safety office and the departments (an accident of their sector may happen in any street), their city's."""
    scope = scope_of(user)
    units = OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS).order_by("district_id", "order", "id")
    if scope.level is ScopeLevel.CITY:
        return units.filter(city_id=scope.city_id)
    if scope.level in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT):
        return units.filter(district_id=scope.district_id)
    if scope.level is ScopeLevel.TERRITORY:
        return units.filter(pk__in=scope.territory_ids)
    return units.none()


class AccidentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Address, place or summary"), method="search")
    occurred_after = django_filters.DateFilter(
        label=_("Occurred from"), field_name="occurred_at__date", lookup_expr="gte"
    )
    occurred_before = django_filters.DateFilter(
        label=_("Occurred until"), field_name="occurred_at__date", lookup_expr="lte"
    )
    category = django_filters.ChoiceFilter(
        label=_("Accident category"), choices=AccidentCategory.choices, empty_label=_("All")
    )
    grade = django_filters.ChoiceFilter(label=_("Accident grade"), choices=AccidentGrade.choices, empty_label=_("All"))
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"), queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS), empty_label=_("All")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    accident_type = django_filters.ChoiceFilter(
        label=_("Accident type (GB 6441)"), choices=AccidentType.choices, empty_label=_("All")
    )
    late_report = django_filters.ChoiceFilter(
        label=_("Reported late"), choices=YES_NO, method="by_late_report", empty_label=_("All")
    )
    open_investigation = django_filters.ChoiceFilter(
        label=_("Investigation open"), choices=YES_NO, method="by_open_investigation", empty_label=_("All")
    )
    site = django_filters.NumberFilter(label=_("Place"), field_name="site_id")

    class Meta:
        model = Accident
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        if user is not None:
            # Only the streets and parks the user can see are offered: nothing outside scope leaks.
            self.filters["territory"].queryset = territories_for(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(address__icontains=value) | Q(summary__icontains=value) | Q(site__name__icontains=value)
        )

    def by_late_report(self, queryset, name, value):
        return queryset.filter(late_report=value == "true")

    def by_open_investigation(self, queryset, name, value):
        q = Q(investigation__status=InvestigationStatus.OPEN)
        return queryset.filter(q) if value == "true" else queryset.exclude(q)


class InvestigationFilterSet(StyledFilterSet):
    """Filters of /api/investigations/: ``?status=open|closed`` (any other status is a 400, not every row)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvestigationStatus.choices, empty_label=_("All"))

    class Meta:
        model = Investigation
        fields = []
