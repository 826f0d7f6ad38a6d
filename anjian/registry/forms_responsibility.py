"""Forms of who answers for a place: closing gaps, raising and deciding disputes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledFormMixin
from anjian.organizations.choices import TERRITORIAL_KINDS, OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site

RESPONSIBLE_KINDS = (OrgUnitKind.DEPARTMENT, *TERRITORIAL_KINDS)


class UnitChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Choose a unit from the list.")}

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


def district_units(district_id: int, kinds=RESPONSIBLE_KINDS):
    """The active units of a district that can answer for a place, in the district's order."""
    return OrgUnit.objects.filter(district_id=district_id, kind__in=kinds, is_active=True).order_by(
        "kind", "order", "id"
    )


def sector_choices(site: Site) -> list[tuple[str, str]]:
    return [(row.sector_id, str(row.sector)) for row in site.site_sectors.select_related("sector")]


class AssignDepartmentForm(StyledFormMixin, forms.Form):
    """The safety office names the department that answers for one sector of a place."""

    sector = forms.ChoiceField(label=_("Sector"))
    department = UnitChoiceField(label=_("Department"), queryset=OrgUnit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sector_choices(site)
        self.fields["department"].queryset = district_units(site.district_id, kinds=[OrgUnitKind.DEPARTMENT])


class AssignTerritoryForm(StyledFormMixin, forms.Form):
    """The safety office puts a place under a street or park (属地管理)."""

    territory = UnitChoiceField(label=_("Street or park"), queryset=OrgUnit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = district_units(site.district_id, kinds=TERRITORIAL_KINDS)


class DisputeForm(StyledFormMixin, forms.Form):
    """A unit says a place is not its responsibility, and may say whose it is."""

    reason = forms.CharField(
        label=_("Why your unit is not responsible"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sector = forms.ChoiceField(label=_("Sector concerned"), required=False)
    proposed_unit = UnitChoiceField(
        label=_("Unit it should be"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Not proposed")
    )

    def __init__(self, *args, site: Site, own_unit_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("The whole place")), *sector_choices(site)]
        self.fields["proposed_unit"].queryset = district_units(site.district_id).exclude(pk=own_unit_id)


class DecideDisputeForm(StyledFormMixin, forms.Form):
    """The safety office names the responsible unit and writes down why."""

    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    decision = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = district_units(site.district_id)
