"""Risk grading for API clients: assessments (list, read, record one with its points), the district's
colour bands (read; the safety office changes them), and the places overdue for inspection.

Every queryset starts from what the caller may see, so anything else is 404; writes go through
:mod:`anjian.risk.services` (403 with its message when the caller sees the place but may not assess it, 400
with the messages for bad input)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from anjian.accidents.choices import AccidentType
from anjian.core.scoping import get_visible_or_404
from anjian.inspections import services as inspection_services
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site
from anjian.risk import selectors, services
from anjian.risk.filtersets import AssessmentFilterSet, OverdueSiteFilterSet
from anjian.risk.models import RiskAssessment, RiskPoint
from anjian.risk.standards import RiskMethod


class RiskPointSerializer(serializers.ModelSerializer):
    lec_class = serializers.SerializerMethodField(help_text="LEC danger class code (slight … extreme); null for LS")
    lec_class_label = serializers.SerializerMethodField(help_text="LEC danger class as STANDARDS §2 words it")

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "name",
            "accident_type",
            "controls",
            "method",
            "lec_l",
            "lec_e",
            "lec_c",
            "ls_l",
            "ls_s",
            "score",
            "lec_class",
            "lec_class_label",
            "level",
        ]

    def get_lec_class(self, obj) -> str | None:
        danger = obj.lec_class
        return danger.value if danger else None

    def get_lec_class_label(self, obj) -> str | None:
        danger = obj.lec_class
        return str(danger.label) if danger else None


class RiskAssessmentSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    assessed_by_name = serializers.SerializerMethodField()
    points = RiskPointSerializer(many=True, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "site",
            "site_name",
            "district",
            "assessed_on",
            "assessed_by",
            "assessed_by_name",
            "method_summary",
            "note",
            "level",
            "created_at",
            "points",
        ]

    def get_assessed_by_name(self, obj) -> str:
        return obj.assessed_by.real_name or obj.assessed_by.username


class RiskPointWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    accident_type = serializers.ChoiceField(choices=AccidentType.choices)
    controls = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=RiskMethod.choices)
    lec_l = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    lec_e = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    lec_c = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    ls_l = serializers.IntegerField(required=False, allow_null=True)
    ls_s = serializers.IntegerField(required=False, allow_null=True)


class RiskAssessmentWriteSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    assessed_on = serializers.DateField()
    method_summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    points = RiskPointWriteSerializer(many=True, allow_empty=False)


class RiskAssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Risk assessments of the places in scope, latest first, with their points (LEC: D = L × E × C;
    LS: R = L × S). POST records a new one; older ones are kept."""

    serializer_class = RiskAssessmentSerializer
    filterset_class = AssessmentFilterSet

    def get_queryset(self):
        return selectors.with_points(selectors.assessments_for(self.request.user))

    @extend_schema(request=RiskAssessmentWriteSerializer, responses={201: RiskAssessmentSerializer})
    def create(self, request, *args, **kwargs):
        data = RiskAssessmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        site = get_visible_or_404(Site.objects.all(), request.user, pk=values["site"])
        assessment = services.assess_site(
            actor=request.user,
            site=site,
            assessed_on=values["assessed_on"],
            points=[dict(point) for point in values["points"]],
            method_summary=values["method_summary"],
            note=values["note"],
        )
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class BandsSerializer(serializers.Serializer):
    red = serializers.DecimalField(max_digits=9, decimal_places=2)
    orange = serializers.DecimalField(max_digits=9, decimal_places=2)
    yellow = serializers.DecimalField(max_digits=9, decimal_places=2)


class DistrictBandsSerializer(serializers.Serializer):
    district = serializers.IntegerField(read_only=True)
    district_name = serializers.CharField(read_only=True)
    lec = BandsSerializer()
    ls = BandsSerializer()
    editable = serializers.BooleanField(read_only=True)


DISTRICT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The district's id")


class RiskThresholdViewSet(viewsets.ViewSet):
    """The colour bands in force per district the caller sees (LEC: D above the bound; LS: R at or above).
    PUT /api/risk-thresholds/<district id>/ changes them (the district's safety office)."""

    serializer_class = DistrictBandsSerializer
    lookup_value_regex = r"\d+"

    def _row(self, district, editable_ids) -> dict:
        bands = services.district_bands(district.pk)
        return {
            "district": district.pk,
            "district_name": district.name,
            "lec": bands[RiskMethod.LEC],
            "ls": bands[RiskMethod.LS],
            "editable": district.pk in editable_ids,
        }

    def _find(self, request, pk):
        try:
            return selectors.districts_for(request.user).get(pk=int(pk))
        except (ValueError, TypeError, OrgUnit.DoesNotExist):
            raise Http404 from None

    def _editable_ids(self, request) -> set[int]:
        return set(services.settings_districts(request.user).values_list("pk", flat=True))

    @extend_schema(responses=DistrictBandsSerializer(many=True))
    def list(self, request):
        editable = self._editable_ids(request)
        rows = [self._row(d, editable) for d in selectors.districts_for(request.user)]
        return Response(DistrictBandsSerializer(rows, many=True).data)

    @extend_schema(parameters=[DISTRICT_ID], responses=DistrictBandsSerializer)
    def retrieve(self, request, pk=None):
        district = self._find(request, pk)
        return Response(DistrictBandsSerializer(self._row(district, self._editable_ids(request))).data)

    @extend_schema(parameters=[DISTRICT_ID], request=DistrictBandsSerializer, responses=DistrictBandsSerializer)
    def update(self, request, pk=None):
        district = self._find(request, pk)
        data = DistrictBandsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bands = {method: dict(data.validated_data[method]) for method in RiskMethod.values}
        services.set_band_thresholds(actor=request.user, district=district, bands=bands)
        return Response(DistrictBandsSerializer(self._row(district, self._editable_ids(request))).data)


class OverdueSiteSerializer(serializers.ModelSerializer):
    territory_name = serializers.CharField(source="territory.name", default="", read_only=True)
    last_inspected = serializers.DateTimeField(read_only=True, allow_null=True)
    interval_days = serializers.SerializerMethodField()
    risk_level = serializers.CharField(read_only=True, help_text="red, orange, yellow, blue; empty: not assessed")

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "address",
            "territory",
            "territory_name",
            "risk_level",
            "risk_reason",
            "last_inspected",
            "interval_days",
        ]

    def get_interval_days(self, obj) -> int | None:
        tables = self.context.get("frequency_tables") or {}
        return (tables.get(obj.district_id) or {}).get(obj.risk_level)


class OverdueSiteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Operating places in scope whose last completed inspection is older than the district's frequency for
    their current level, or never inspected; the longest-neglected first."""

    serializer_class = OverdueSiteSerializer
    filterset_class = OverdueSiteFilterSet

    def get_queryset(self):
        return selectors.overdue_sites(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        district_ids = list(selectors.districts_for(self.request.user).values_list("pk", flat=True))
        context["frequency_tables"] = inspection_services.level_frequencies(district_ids)
        return context
