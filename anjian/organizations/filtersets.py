import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.filters import StyledFilterSet
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector


class OrgUnitFilterSet(StyledFilterSet):
    """Filters of the org unit list page and of /api/org-units/."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgUnitKind.choices, empty_label=_("All kinds"))
    # A sector code the platform does not know is a 400, not an empty list.
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), field_name="mandates__sector", distinct=True
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "parent", "district", "is_active", "sector"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value))
