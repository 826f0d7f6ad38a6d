from rest_framework import serializers

from anjian.accounts.models import User


class UserSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True, default="")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "mobile",
            "email",
            "title",
            "org_unit",
            "org_unit_name",
            "role",
            "role_display",
            "is_active",
            "must_change_password",
            "last_login",
        ]
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[A-Za-z0-9_.\-]{3,30}$")
    real_name = serializers.CharField(max_length=50)
    org_unit = serializers.IntegerField()
    mobile = serializers.CharField(max_length=11, required=False, allow_blank=True)
    title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class UserCreatedSerializer(UserSerializer):
    initial_password = serializers.CharField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "initial_password"]


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[("", ""), *list(User._meta.get_field("role").choices)])


class ScopeSerializer(serializers.Serializer):
    level = serializers.CharField()
    city_id = serializers.IntegerField(allow_null=True)
    district_id = serializers.IntegerField(allow_null=True)
    org_unit_id = serializers.IntegerField(allow_null=True)
    sector_codes = serializers.ListField(child=serializers.CharField())
    territory_ids = serializers.ListField(child=serializers.IntegerField())
    read_only = serializers.BooleanField()


class MeSerializer(UserSerializer):
    scope = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "scope"]

    def get_scope(self, obj) -> dict:
        scope = obj.scope
        return ScopeSerializer(
            {
                "level": str(scope.level),
                "city_id": scope.city_id,
                "district_id": scope.district_id,
                "org_unit_id": scope.org_unit_id,
                "sector_codes": sorted(scope.sector_codes),
                "territory_ids": sorted(scope.territory_ids),
                "read_only": scope.read_only,
            }
        ).data


# How the records of other apps name a person: the real name, never the login.
class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="real_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields
