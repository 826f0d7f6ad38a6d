import django_filters

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit


class OrgUnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgUnitKind.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    sector = django_filters.CharFilter(field_name="mandates__sector_id", distinct=True)

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent", "district", "is_active"]
