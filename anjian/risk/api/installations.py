"""/api/major-hazard-sources/ (the register of major hazard installations in the caller's scope, GB 18218-2018,
with each line's working on retrieve) and /api/substances/ (the catalogue, city-wide reference data; corrections by the
city administrator through the service, audited). Outside the scope: 404; the three administrators: nothing."""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anjian.core.permissions import is_business
from anjian.core.scoping import REFERENCE_DATA_REFUSAL, edits_city_reference_data
from anjian.risk import installations
from anjian.risk.models import HazardousSubstance, MajorHazardSource


class MajorHazardSourceSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_kind = serializers.CharField(source="unit.kind", read_only=True)
    territory = serializers.IntegerField(source="site.territory_id", read_only=True, allow_null=True)
    territory_name = serializers.SerializerMethodField()
    enterprise_name = serializers.SerializerMethodField()
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    alpha_assumed = serializers.BooleanField(read_only=True)

    class Meta:
        model = MajorHazardSource
        fields = [
            "id",
            "site",
            "site_name",
            "unit",
            "unit_name",
            "unit_kind",
            "district",
            "territory",
            "territory_name",
            "enterprise_name",
            "s_value",
            "r_value",
            "alpha",
            "alpha_assumed",
            "people_within_500m",
            "level",
            "level_display",
            "identified_at",
        ]
        read_only_fields = fields

    def get_territory_name(self, obj) -> str:
        return obj.site.territory.name if obj.site.territory_id else ""

    def get_enterprise_name(self, obj) -> str:
        return obj.site.enterprise.name if obj.site.enterprise_id else ""


class LineSerializer(serializers.Serializer):
    """One inventory line's working: q, Q, q/Q, β, β·q/Q, how Q was found, and why it could not be."""

    substance = serializers.CharField(source="line.substance")
    cas_number = serializers.CharField(source="line.cas_number")
    hazard_category = serializers.CharField(source="category")
    q = serializers.DecimalField(source="line.q", max_digits=12, decimal_places=3)
    critical_q = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    ratio = serializers.DecimalField(source="ratio_decimal", max_digits=20, decimal_places=4)
    beta = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    beta_assumed = serializers.BooleanField()
    weighted = serializers.DecimalField(source="weighted_decimal", max_digits=20, decimal_places=4)
    basis = serializers.CharField()
    matched = serializers.SerializerMethodField()
    identifiable = serializers.BooleanField()
    notes = serializers.ListField(child=serializers.CharField())

    def get_matched(self, obj) -> str:
        return obj.entry.name if obj.entry else ""


class MajorHazardSourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Major hazard installations (units with S ≥ 1) in the caller's scope, with the register's filters
    (``level``, ``territory``, ``enterprise``, ``site``, ``q``). Retrieve adds ``lines``: each inventory line's
    q, Q, q/Q, β and β·q/Q."""

    serializer_class = MajorHazardSourceSerializer
    filterset_class = installations.InstallationFilterSet

    def get_queryset(self):
        return installations.installations_for(self.request.user).order_by("level", "-r_value", "pk")

    def retrieve(self, request, *args, **kwargs):
        source = self.get_object()  # outside the scope: 404
        data = self.get_serializer(source).data
        result = installations.unit_identification(source.unit)
        data["lines"] = LineSerializer(result.lines, many=True).data
        return Response(data)


class SubstanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardousSubstance
        fields = [
            "id",
            "name",
            "aliases",
            "cas_number",
            "critical_quantity_t",
            "hazard_category",
            "beta",
            "in_table1",
            "source",
            "edited_at",
        ]
        read_only_fields = ["id", "name", "in_table1", "edited_at"]
        extra_kwargs = {"critical_quantity_t": {"required": False}}


class SubstanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The GB 18218-2018 catalogue (``q`` searches name, alias and CAS number). PUT/PATCH corrects an entry:
    the city administrator only, since every district shares the catalogue (others read it: 403); the change
    is audited."""

    serializer_class = SubstanceSerializer
    filterset_class = installations.SubstanceFilterSet

    def get_queryset(self):
        if not is_business(self.request.user):
            return HazardousSubstance.objects.none()
        return HazardousSubstance.objects.order_by("name")

    def update(self, request, *args, **kwargs):
        substance = self.get_object()
        if not edits_city_reference_data(request.user):  # refused before its payload is even read
            raise PermissionDenied(REFERENCE_DATA_REFUSAL)
        serializer = self.get_serializer(substance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in installations.SUBSTANCE_FIELDS}
        updated = installations.update_substance(actor=request.user, substance=substance, data=data)
        return Response(self.get_serializer(updated).data)
