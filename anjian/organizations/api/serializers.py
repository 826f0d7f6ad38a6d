from rest_framework import serializers

from anjian.organizations.geo import validate_boundary
from anjian.organizations.models import OrgUnit, Sector


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name", "name_en", "order", "enforcing_department_type"]
        read_only_fields = fields


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "code",
            "parent",
            "city",
            "district",
            "department_type",
            "population",
            "boundary",
            "phone",
            "address",
            "order",
            "is_active",
            "sectors",
        ]
        read_only_fields = ["city", "district", "sectors"]

    def validate_boundary(self, value):
        validate_boundary(value)
        return value


class OrgUnitUpdateSerializer(OrgUnitSerializer):
    class Meta(OrgUnitSerializer.Meta):
        read_only_fields = ["city", "district", "sectors", "kind"]


class MandatesSerializer(serializers.Serializer):
    sectors = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)


# How the records of other apps name a unit and a sector: no more than who it is.
class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]
        read_only_fields = fields


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]
        read_only_fields = fields
