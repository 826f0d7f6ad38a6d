"""Forms of the place pages: the place with its sectors and typed facts, its enterprise, its status."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import mobile_validator
from anjian.core.forms import StyledFormMixin
from anjian.core.scoping import ScopeLevel, scope_of
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import access, services
from anjian.registry.choices import ChemicalUnitKind, SiteStatus
from anjian.registry.models import Site
from anjian.registry.standards import HAZARD_CATEGORY_CHOICES, SUBTYPES
from anjian.registry.validators import normalise_credit_code, validate_credit_code


@dataclass(frozen=True)
class FactGroup:
    """A fieldset of typed facts; ``sectors`` are the sectors it belongs to (empty: every place)."""

    key: str
    label: str
    fields: tuple[str, ...]
    sectors: tuple[str, ...] = ()


BASE_FIELDS = ("name", "external_id", "district", "territory", "address")
COORDINATE_FIELDS = ("latitude", "longitude")  # latitude first, as every page shows a position
FACT_GROUPS = (
    FactGroup(
        "building",
        _("Building"),
        (
            "floor_area",
            "floors",
            "building_height",
            "design_occupancy",
            "employees",
            "year_built",
            "structure_type",
            "business_use",
        ),
    ),
    FactGroup(
        "construction",
        _("Construction project"),
        ("construction_permit", "construction_area", "high_risk_workers"),
        ("construction",),
    ),
    FactGroup(
        "fireworks",
        _("Fireworks retail permit"),
        ("fireworks_permit", "permit_valid_from", "permit_valid_to"),
        ("fireworks",),
    ),
    FactGroup("event", _("Large event"), ("event_date", "event_venue", "expected_attendance"), ("large_event",)),
    FactGroup("road", _("Road section"), ("road_name", "km_from", "km_to", "danger_type"), ("road_traffic",)),
)
FACT_FIELDS = tuple(name for group in FACT_GROUPS for name in group.fields)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class SiteForm(StyledFormMixin, forms.ModelForm):
    """The place, its sectors (checkbox + subtype per sector) and its typed facts.

    Nothing is saved here: the view hands ``site_fields()`` and ``sector_pairs()`` to the services.
    """

    district = UnitChoiceField(label=_("District"), queryset=OrgUnit.objects.none())
    territory = UnitChoiceField(label=_("Street or park"), queryset=OrgUnit.objects.none(), required=False)
    sectors = forms.MultipleChoiceField(label=_("Sectors"), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Site
        fields = [*BASE_FIELDS, *COORDINATE_FIELDS, *FACT_FIELDS]
        widgets = {
            "permit_valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "permit_valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }

    def __init__(self, *args, user, **kwargs):
        instance = kwargs.get("instance")
        initial = kwargs.setdefault("initial", {})
        if instance is not None and instance.pk:
            rows = list(instance.site_sectors.all())
            initial.setdefault("sectors", [row.sector_id for row in rows])
            for row in rows:
                initial.setdefault(f"subtype_{row.sector_id}", row.subtype)
        self.user = user
        self.sector_list = list(Sector.objects.order_by("order", "code"))
        districts = access.writable_districts(user)
        if instance is None or not instance.pk:
            only = list(districts[:2])
            if len(only) == 1:
                initial.setdefault("district", only[0].pk)
        # The subtype selects exist before StyledFormMixin styles the widgets.
        self.base_fields = dict(self.base_fields)
        for code, options in SUBTYPES.items():
            self.base_fields[f"subtype_{code}"] = forms.ChoiceField(
                label=_("Subtype"), choices=[("", "—"), *options], required=False
            )
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["territory"].queryset = access.territory_choices(user).select_related("district")
        self.fields["sectors"].choices = [(sector.code, sector.name) for sector in self.sector_list]
        scope = scope_of(user)
        if scope.level is ScopeLevel.TERRITORY:
            self.fields["territory"].required = True
            if not self.instance.pk and len(scope.territory_ids) == 1:
                self.initial.setdefault("territory", next(iter(scope.territory_ids)))

    # --- for the template ----------------------------------------------------------
    def sector_rows(self):
        """One row per sector: its checkbox and, where the sector has subtypes, their select."""
        boxes = {box.data["value"]: box for box in self["sectors"]}
        rows = []
        for sector in self.sector_list:
            subtype = self[f"subtype_{sector.code}"] if sector.code in SUBTYPES else None
            rows.append({"sector": sector, "box": boxes.get(sector.code), "subtype": subtype})
        return rows

    def fact_groups(self):
        return [
            {
                "key": group.key,
                "label": group.label,
                "sectors": " ".join(group.sectors),
                "fields": [self[n] for n in group.fields],
            }
            for group in FACT_GROUPS
        ]

    def base_fields_bound(self):
        return [self[name] for name in BASE_FIELDS]

    def coordinate_fields(self):
        return [self[name] for name in COORDINATE_FIELDS]

    # --- for the services ----------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        codes = cleaned.get("sectors") or []
        previous = None
        if self.instance.pk:
            previous = [row.sector_id for row in self.instance.site_sectors.all()]
        try:
            access.check_stays_in_scope(
                self.user, territory=cleaned.get("territory"), sector_codes=codes, previous_codes=previous
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned

    def site_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in services.SITE_FIELDS}

    def sector_pairs(self) -> list[tuple[str, str]]:
        return [(code, self.cleaned_data.get(f"subtype_{code}") or "") for code in self.cleaned_data["sectors"]]


PERSONAL_FIELDS = ("legal_representative", "principal", "principal_mobile")


class EnterpriseForm(StyledFormMixin, forms.Form):
    """The enterprise of the place, found or created by its credit code (services.upsert_enterprise).

    Without ``personal`` (roles that see personal data masked) the people's names and mobile
    are left out: the form would otherwise show them in clear, and the service keeps them as they are.
    """

    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50, required=False)
    principal = forms.CharField(label=_("Principal responsible person"), max_length=50, required=False)
    principal_mobile = forms.CharField(
        label=_("Principal's mobile"), max_length=11, required=False, validators=[mobile_validator]
    )

    def __init__(self, *args, personal: bool = True, enterprise=None, **kwargs):
        kwargs.setdefault("prefix", "enterprise")
        if enterprise is not None:
            kwargs.setdefault(
                "initial",
                {
                    "credit_code": enterprise.credit_code,
                    "name": enterprise.name,
                    **{field: getattr(enterprise, field) for field in PERSONAL_FIELDS},
                },
            )
        super().__init__(*args, **kwargs)
        self.personal = personal
        if not personal:
            for field in PERSONAL_FIELDS:
                del self.fields[field]

    def clean_credit_code(self):
        value = normalise_credit_code(self.cleaned_data.get("credit_code", "")).upper()
        if value:
            validate_credit_code(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(field) for field in self.fields) and not self.errors:
            if not cleaned.get("credit_code"):
                self.add_error("credit_code", _("Give the enterprise's unified social credit code."))
            if not cleaned.get("name"):
                self.add_error("name", _("Give the enterprise's legal name."))
        return cleaned

    def data_for_service(self) -> dict | None:
        if not self.cleaned_data.get("credit_code"):
            return None
        return {field: self.cleaned_data.get(field, "") for field in self.fields}


class StatusForm(StyledFormMixin, forms.Form):
    """A move of the place's status; only the transitions allowed from its current status are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.STATUS_TRANSITIONS.get(site.status, set())
        self.fields["to_status"].choices = [(value, label) for value, label in SiteStatus.choices if value in allowed]


class ChemicalRowForm(StyledFormMixin, forms.Form):
    """One substance in one production or storage unit; rows sharing a unit name form the unit.

    The people within 500 m belong to the unit (GB 18218 α); give them on any one of its lines."""

    unit_name = forms.CharField(label=_("Unit name"), max_length=100)
    unit_kind = forms.ChoiceField(label=_("Kind"), choices=ChemicalUnitKind.choices)
    people_within_500m = forms.IntegerField(
        label=_("People within 500 m"), required=False, min_value=0, max_value=10_000_000
    )
    substance = forms.CharField(label=_("Substance"), max_length=100)
    cas_number = forms.CharField(label=_("CAS number"), max_length=12, required=False)
    hazard_category = forms.ChoiceField(
        label=_("Hazard category (GB 18218)"),
        required=False,
        choices=[("", "—"), *HAZARD_CATEGORY_CHOICES],
    )
    max_quantity_t = forms.DecimalField(label=_("Maximum quantity (t)"), max_digits=12, decimal_places=3, min_value=0)


ChemicalFormSet = forms.formset_factory(ChemicalRowForm, extra=3, can_delete=True, max_num=500)
