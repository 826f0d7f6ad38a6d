"""Filters of the hazard, task and inspection lists — one class per list serves the page, the export and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import BooleanFilter, StyledFilterSet
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    HazardGrade,
    HazardSource,
    HazardStatus,
    TaskStatus,
)
from anjian.inspections.models import Campaign, ChecklistTemplate, Hazard, InspectionTask, under_supervision_q
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site

YES_NO = (("true", _("Yes")), ("false", _("No")))


class HazardFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Number, hazard or place"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HazardStatus.choices, empty_label=_("All"))
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=(
            ("open", _("Not yet closed")),
            ("to_verify", _("Awaiting verification")),
            ("to_lift", _("Awaiting the lifting of escalated supervision")),
            ("closed", _("Closed")),
        ),
        method="by_state",
        empty_label=_("All"),
    )
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=HazardGrade.choices, empty_label=_("All"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=HazardSource.choices, empty_label=_("All"))
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"),
        queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS),
        field_name="site__territory",
        empty_label=_("All"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Supervising department"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT),
        method="by_department",
        empty_label=_("All"),
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.all(), empty_label=_("All")
    )
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="by_overdue", empty_label=_("All"))
    escalated = django_filters.ChoiceFilter(
        label=_("Escalated"), choices=YES_NO, method="by_escalated", empty_label=_("All")
    )
    self_reported = django_filters.ChoiceFilter(
        label=_("Self-reported"), choices=YES_NO, method="by_self_reported", empty_label=_("All")
    )
    site = django_filters.NumberFilter(label=_("Place"), field_name="site_id")
    reported_after = django_filters.DateFilter(
        label=_("Reported from"), field_name="reported_at__date", lookup_expr="gte"
    )
    reported_before = django_filters.DateFilter(
        label=_("Reported until"), field_name="reported_at__date", lookup_expr="lte"
    )

    class Meta:
        model = Hazard
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None)
        if user is not None:
            # Only what the user can see is offered (nothing outside scope leaks through a <select>).
            units = OrgUnit.objects.visible_to(user)
            self.filters["territory"].queryset = units.filter(kind__in=TERRITORIAL_KINDS).order_by(
                "district_id", "order", "id"
            )
            self.filters["department"].queryset = units.filter(kind=OrgUnitKind.DEPARTMENT).order_by(
                "district_id", "order", "id"
            )
            self.filters["campaign"].queryset = Campaign.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value) | Q(site__name__icontains=value))

    def by_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "to_verify":
            return queryset.filter(status__in=(HazardStatus.SUBMITTED, HazardStatus.FIXED_ON_SPOT))
        if value == "to_lift":
            return queryset.filter(status=HazardStatus.VERIFIED_ON_SITE)
        return queryset.exclude(status__in=OPEN_STATUSES)

    @extend_schema_field(OpenApiTypes.INT)
    def by_department(self, queryset, name, value):
        codes = list(value.mandates.values_list("sector_id", flat=True))
        return queryset.filter(site_id__in=Site.objects.supervised_by(value, codes).values("pk"))

    def by_overdue(self, queryset, name, value):
        q = Q(status__in=DEADLINE_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(q) if value == "true" else queryset.exclude(q)

    def by_escalated(self, queryset, name, value):
        """Under escalated supervision now (hung and not lifted)."""
        return queryset.filter(under_supervision_q()) if value == "true" else queryset.exclude(under_supervision_q())

    def by_self_reported(self, queryset, name, value):
        return queryset.filter(self_reported=value == "true")


class TaskFilterSet(StyledFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices, empty_label=_("All"))
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.all(), empty_label=_("All")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Street or park"),
        queryset=OrgUnit.objects.filter(kind__in=TERRITORIAL_KINDS),
        field_name="site__territory",
        empty_label=_("All"),
    )
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="by_overdue", empty_label=_("All"))
    mine = django_filters.ChoiceFilter(label=_("Mine"), choices=YES_NO, method="by_mine", empty_label=_("All"))

    class Meta:
        model = InspectionTask
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user or getattr(request, "user", None)
        if self.user is not None:
            self.filters["territory"].queryset = OrgUnit.objects.visible_to(self.user).filter(
                kind__in=TERRITORIAL_KINDS
            )
            self.filters["campaign"].queryset = Campaign.objects.visible_to(self.user)

    def by_overdue(self, queryset, name, value):
        q = Q(status=TaskStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(q) if value == "true" else queryset.exclude(q)

    def by_mine(self, queryset, name, value):
        if value != "true" or self.user is None:
            return queryset
        return queryset.filter(
            Q(assignee_id=self.user.pk) | Q(assignee__isnull=True, assignee_unit_id=self.user.org_unit_id)
        )


class ChecklistFilterSet(StyledFilterSet):
    """Filters of /api/checklists/: the current versions, or with ``?all=true`` every version."""

    all = BooleanFilter(label=_("Every version, not only the current"), method="by_version")

    class Meta:
        model = ChecklistTemplate
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Without ?all=true only the current versions: the default, so not a filter method (those run only
        # for a value given).
        return queryset if self.form.cleaned_data.get("all") else queryset.current()

    def by_version(self, queryset, name, value):
        return queryset
