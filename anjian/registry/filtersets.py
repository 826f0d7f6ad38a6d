import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import StyledFilterSet
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.choices import RiskLevel, SiteStatus
from anjian.registry.models import Site
from anjian.registry.standards import SUBTYPES


def _subtype_choices() -> list[tuple[str, str]]:
    """One choice per subtype code, labelled with its sectors where the code is shared (生产: 危化品/烟花爆竹)."""
    from anjian.organizations.standards import SECTORS

    sector_names = {code: zh for code, zh, _en in SECTORS}
    labels: dict[str, str] = {}
    sectors_of: dict[str, list[str]] = {}
    for sector, options in SUBTYPES.items():
        for code, label in options:
            labels.setdefault(code, label)
            sectors_of.setdefault(code, []).append(sector_names[sector])
    return [(code, f"{labels[code]}（{'、'.join(sectors_of[code])}）") for code in labels]


SUBTYPE_CHOICES = _subtype_choices()


class SiteFilterSet(StyledFilterSet):
    """Filters of the place list, the map, the export and /api/sites/ — one class for all four."""

    q = django_filters.CharFilter(label=_("Name, credit code or address"), method="search")
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), method="by_sector", empty_label=_("All sectors")
    )
    subtype = django_filters.ChoiceFilter(
        label=_("Subtype"), choices=SUBTYPE_CHOICES, method="by_subtype", empty_label=_("All subtypes")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"), queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS), empty_label=_("All")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Supervising department"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT),
        method="by_department",
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SiteStatus.choices, empty_label=_("All"))
    risk_level = django_filters.ChoiceFilter(label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("All"))

    class Meta:
        model = Site
        fields = ["q", "sector", "subtype", "territory", "department", "status", "risk_level", "district"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        if user is not None:
            # Choices offer only the units the user can see (nothing outside scope leaks through a <select>).
            visible_units = OrgUnit.objects.visible_to(user)
            self.filters["territory"].queryset = visible_units.filter(kind__in=TERRITORIAL_KINDS).order_by(
                "district_id", "order", "id"
            )
            self.filters["department"].queryset = visible_units.filter(kind=OrgUnitKind.DEPARTMENT).order_by(
                "district_id", "order", "id"
            )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(address__icontains=value)
            | Q(enterprise__credit_code__iexact=value.upper())
            | Q(enterprise__name__icontains=value)
        )

    @extend_schema_field(OpenApiTypes.STR)
    def by_sector(self, queryset, name, value):
        return queryset.filter(site_sectors__sector=value).distinct()

    def by_subtype(self, queryset, name, value):
        return queryset.filter(site_sectors__subtype=value).distinct()

    @extend_schema_field(OpenApiTypes.INT)
    def by_department(self, queryset, name, value):
        return queryset.filter(pk__in=Site.objects.supervised_by(value).values("pk"))
