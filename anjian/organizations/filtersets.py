import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.filters import StyledFilterSet
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit


class OrgUnitFilterSet(StyledFilterSet):
    """Filters of the org unit list page and of /api/org-units/."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgUnitKind.choices, empty_label=_("All kinds"))
    sector = django_filters.CharFilter(label=_("Sector"), field_name="mandates__sector_id", distinct=True)

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "parent", "district", "is_active", "sector"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value))
