"""Filters of the register of major hazard installations and of the substance catalogue; one class serves the
page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from anjian.core.filters import BooleanFilter, StyledFilterSet
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Enterprise, Site
from anjian.risk.models import HazardousSubstance, MajorHazardLevel, MajorHazardSource


class InstallationFilterSet(StyledFilterSet):
    """Filters of the register of major hazard installations: level, street or park, enterprise, free text."""

    q = django_filters.CharFilter(label=gettext_lazy("Place or unit"), method="search")
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Level"), choices=MajorHazardLevel.choices, empty_label=gettext_lazy("All")
    )
    territory = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Street or park"),
        queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS),
        field_name="site__territory",
        empty_label=gettext_lazy("All"),
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enterprise"),
        queryset=Enterprise.objects.all(),
        field_name="site__enterprise",
        empty_label=gettext_lazy("All"),
    )
    site = django_filters.NumberFilter(label=gettext_lazy("Place"), field_name="site_id")

    class Meta:
        model = MajorHazardSource
        fields = ["q", "level", "territory", "enterprise", "site"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Only the streets of the user's own places are offered.
            sites = Site.objects.visible_to(user).values("pk")
            self.filters["territory"].queryset = OrgUnit.objects.filter(
                kind__in=TERRITORIAL_KINDS, territory_sites__in=sites
            ).distinct()
            # Only the enterprises holding an installation the user may see (not every enterprise of the scope).
            held = MajorHazardSource.objects.visible_to(user).values("site__enterprise_id")
            self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user).filter(pk__in=held)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(site__name__icontains=value) | Q(unit__name__icontains=value))


class SubstanceFilterSet(StyledFilterSet):
    """Search of the catalogue by name, alias or CAS number, and by hazard category."""

    q = django_filters.CharFilter(label=gettext_lazy("Name, alias or CAS number"), method="search")
    in_table1 = BooleanFilter(label=gettext_lazy("Named in Table 1"))

    class Meta:
        model = HazardousSubstance
        fields = ["q", "in_table1"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value) | Q(cas_number__icontains=value))
