import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core.filters import StyledFilterSet


class UserFilterSet(StyledFilterSet):
    """Filters of the user list page and of /api/users/."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("All roles"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="by_status",
        empty_label=_("All"),
        choices=[("active", _("Active")), ("inactive", _("Disabled")), ("norole", _("No role"))],
    )

    class Meta:
        model = User
        fields = ["q", "role", "status", "org_unit"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(real_name__icontains=value)
            | Q(mobile__icontains=value)
            | Q(org_unit__name__icontains=value)
        )

    def by_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "inactive":
            return queryset.filter(is_active=False)
        if value == "norole":
            return queryset.filter(role="")
        return queryset
