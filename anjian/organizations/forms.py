import json

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import StyledFormMixin
from anjian.organizations.choices import DepartmentType, OrgUnitKind
from anjian.organizations.geo import validate_boundary
from anjian.organizations.models import OrgUnit, Sector


class BoundaryField(forms.JSONField):
    """A GeoJSON geometry typed or pasted as text."""

    default_error_messages = {"invalid": _("The boundary is not valid JSON.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
        super().__init__(**kwargs)
        self.validators.append(validate_boundary)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return super().prepare_value(value)


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class OrgUnitForm(StyledFormMixin, forms.ModelForm):
    parent = ParentChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none(), required=False)
    boundary = BoundaryField(label=_("Boundary (GeoJSON)"), required=False)

    class Meta:
        model = OrgUnit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "code",
            "department_type",
            "population",
            "boundary",
            "phone",
            "address",
            "order",
            "is_active",
        ]

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            parents.filter(kind__in=[OrgUnitKind.CITY, OrgUnitKind.DISTRICT])
            if parents is not None
            else OrgUnit.objects.none()
        )
        if self.instance.pk:
            self.fields["kind"].disabled = True


class MandateForm(StyledFormMixin, forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Supervised sectors"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class EnforcingDepartmentForm(StyledFormMixin, forms.Form):
    """The department type that issues the rectification notices of a sector (责令限期整改)."""

    enforcing_department_type = forms.ChoiceField(
        label=_("Enforcing department"),
        choices=[("", _("Choose…")), *DepartmentType.choices],
        error_messages={"required": _("Choose a department type.")},
        help_text=_(
            "The rectification notice of a hazard of this sector is issued in the name of this department of the "
            "hazard's district; the safety office appears on it as the supervising unit when the hazard is under "
            "escalated supervision."
        ),
    )
