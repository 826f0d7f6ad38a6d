"""Places in the API: a read shape (nested sectors, masked enterprise, chemical units) and a write shape
that only validates; every write goes through the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.accounts.models import mobile_validator
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry import access, masking, services
from anjian.registry.forms import BASE_FIELDS, COORDINATE_FIELDS, FACT_FIELDS
from anjian.registry.models import ChemicalInventory, ChemicalUnit, Enterprise, Site, SiteSector
from anjian.registry.validators import normalise_credit_code, validate_credit_code


class SiteSectorSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="sector_id", read_only=True)
    name = serializers.CharField(source="sector.name", read_only=True)
    subtype_label = serializers.CharField(read_only=True)

    class Meta:
        model = SiteSector
        fields = ["code", "name", "subtype", "subtype_label"]


class EnterpriseSerializer(serializers.ModelSerializer):
    """The enterprise as the caller may read it: people's names and mobile masked per registry.masking. It is
    only ever nested in a place the caller sees, so the caller sees the enterprise too (Enterprise.objects
    .visible_to); a place is never linked to an enterprise its author could not see (services.upsert_enterprise).
    """

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "legal_representative", "principal", "principal_mobile"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        data.update(masking.enterprise_contacts(instance, getattr(request, "user", None)))
        return data


class ChemicalInventorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ChemicalInventory
        fields = ["id", "substance", "cas_number", "max_quantity_t"]


class ChemicalUnitSerializer(serializers.ModelSerializer):
    inventory = ChemicalInventorySerializer(many=True, read_only=True)

    class Meta:
        model = ChemicalUnit
        fields = ["id", "name", "kind", "inventory"]


class SiteSerializer(serializers.ModelSerializer):
    """A place as read: its sectors, its enterprise (masked as on the page) and its chemical units."""

    enterprise = EnterpriseSerializer(read_only=True, allow_null=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    territory_name = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    sectors = SiteSectorSerializer(source="site_sectors", many=True, read_only=True)
    chemical_units = ChemicalUnitSerializer(many=True, read_only=True)

    class Meta:
        model = Site
        fields = [
            "id",
            *BASE_FIELDS,
            "district_name",
            "territory_name",
            *COORDINATE_FIELDS,
            "status",
            "status_display",
            "risk_level",
            "risk_reason",
            "enterprise",
            "sectors",
            *FACT_FIELDS,
            "chemical_units",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_territory_name(self, site: Site) -> str | None:
        return site.territory.name if site.territory_id else None


class SectorInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    subtype = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class EnterpriseInputSerializer(serializers.Serializer):
    """Found by credit code and updated, or created (services.upsert_enterprise)."""

    credit_code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200, required=False)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    principal = serializers.CharField(max_length=50, required=False, allow_blank=True)
    principal_mobile = serializers.CharField(
        max_length=11, required=False, allow_blank=True, validators=[mobile_validator]
    )

    def validate_credit_code(self, value: str) -> str:
        value = normalise_credit_code(value).upper()
        try:
            validate_credit_code(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value

    def validate(self, attrs):
        # The name may be left out for an enterprise the caller sees; for any other code, stored out of reach or
        # unknown, the same answer, so leaving it out tells nothing of what is stored.
        request = self.context.get("request")
        known = Enterprise.objects.visible_to(getattr(request, "user", None)).filter(credit_code=attrs["credit_code"])
        if not attrs.get("name") and not known.exists():
            raise serializers.ValidationError({"name": _("Give the enterprise's legal name.")})
        return attrs


class SiteWriteSerializer(serializers.ModelSerializer):
    """What a client sends to register or change a place. Its status changes through /status/ only."""

    district = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), required=False)
    territory = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), required=False, allow_null=True)
    sectors = SectorInputSerializer(many=True)
    enterprise = EnterpriseInputSerializer(required=False, allow_null=True)

    class Meta:
        model = Site
        fields = [*BASE_FIELDS, *COORDINATE_FIELDS, *FACT_FIELDS, "sectors", "enterprise"]
        # The district may be left out (it is the caller's own, filled in by validate()): the external id's
        # uniqueness in the district is checked by the service, with the same words as the form and the import.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator instantiates it without a request
            return
        user = request.user
        self.fields["district"].queryset = access.writable_districts(user)
        self.fields["territory"].queryset = access.territory_choices(user)

    def validate_sectors(self, value):
        if not value:
            raise serializers.ValidationError(_("A place belongs to at least one sector."))
        if any("code" not in item for item in value):
            # A partial update does not make a nested sector's code optional: every sector names its code.
            raise serializers.ValidationError(serializers.Field.default_error_messages["required"])
        codes = [item["code"] for item in value]
        known = set(Sector.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(_("Unknown sector: %(codes)s.") % {"codes": "、".join(unknown)})
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        site = self.instance
        if site is None and "district" not in attrs:
            districts = list(access.writable_districts(user)[:2])
            if len(districts) != 1:
                raise serializers.ValidationError({"district": _("Choose the district.")})
            attrs["district"] = districts[0]
        territory = attrs["territory"] if "territory" in attrs else getattr(site, "territory", None)
        previous = [row.sector_id for row in site.site_sectors.all()] if site is not None else None
        codes = [item["code"] for item in attrs["sectors"]] if "sectors" in attrs else previous
        try:
            access.check_stays_in_scope(user, territory=territory, sector_codes=codes or [], previous_codes=previous)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.create_site / update_site."""
        data = dict(self.validated_data)
        sectors = data.pop("sectors", None)
        enterprise = data.pop("enterprise", None)
        return {
            "fields": {name: value for name, value in data.items() if name in services.SITE_FIELDS},
            "sectors": [(item["code"], item.get("subtype", "")) for item in sectors] if sectors is not None else None,
            "enterprise": dict(enterprise) if enterprise else None,
        }


class StatusChangeSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Site._meta.get_field("status").choices)
    reason = serializers.CharField(max_length=300)


# How the records of other apps (inspections, hazards, accidents) name a place.
class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name"]
        read_only_fields = fields
