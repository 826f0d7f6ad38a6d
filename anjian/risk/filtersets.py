"""Filters of the assessment list and of the places overdue for inspection; each class serves the page, the
export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.filters import StyledFilterSet
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import RiskLevel
from anjian.registry.models import Site
from anjian.risk.models import RiskAssessment

UNASSESSED = "unassessed"


def _territories(user):
    return OrgUnit.objects.visible_to(user).filter(kind__in=TERRITORIAL_KINDS).order_by("district_id", "order", "id")


class AssessmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Place"), field_name="site__name", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("Assessed level"), choices=RiskLevel.choices, empty_label=_("All"))
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"),
        queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS),
        field_name="site__territory",
        empty_label=_("All"),
    )
    site = django_filters.NumberFilter(label=_("Place"), field_name="site_id")
    assessed_after = django_filters.DateFilter(label=_("Assessed from"), field_name="assessed_on", lookup_expr="gte")
    assessed_before = django_filters.DateFilter(label=_("Assessed until"), field_name="assessed_on", lookup_expr="lte")

    class Meta:
        model = RiskAssessment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["territory"].queryset = _territories(user)


class OverdueSiteFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Place"), method="search")
    risk_level = django_filters.ChoiceFilter(
        label=_("Current level"),
        choices=[*RiskLevel.choices, (UNASSESSED, _("Not assessed"))],
        method="by_level",
        empty_label=_("All"),
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"), queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS), empty_label=_("All")
    )
    never = django_filters.ChoiceFilter(
        label=_("Never inspected"),
        choices=(("true", _("Yes")), ("false", _("No"))),
        method="by_never",
        empty_label=_("All"),
    )

    class Meta:
        model = Site
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        if user is not None:
            self.filters["territory"].queryset = _territories(user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value)) if value else queryset

    def by_level(self, queryset, name, value):
        return queryset.filter(risk_level="" if value == UNASSESSED else value)

    def by_never(self, queryset, name, value):
        return queryset.filter(last_inspected__isnull=value == "true")
