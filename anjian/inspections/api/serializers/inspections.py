"""Field inspections in the API: an inspection with its answers and photos, and the inputs that start one, answer
an item, report a hazard found on the visit and complete it."""

from __future__ import annotations

import decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.accounts.api.serializers import PersonSerializer
from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core.permissions import is_enterprise
from anjian.core.scoping import scope_of
from anjian.inspections.api.serializers.campaigns import CampaignRefSerializer
from anjian.inspections.api.serializers.photos import PhotoSerializer, PhotosField
from anjian.inspections.choices import AnswerResult, HazardGrade, HazardNature, InspectionKind
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionTask,
)
from anjian.organizations.api.serializers import UnitRefSerializer
from anjian.registry.api.serializers import PlaceRefSerializer
from anjian.registry.models import Site


class CoordinateField(serializers.DecimalField):
    """A phone reports its position with a dozen decimals; six (about 0.1 m) are kept, not refused."""

    def __init__(self, limit: int, **kwargs):
        super().__init__(
            max_digits=9,
            decimal_places=6,
            min_value=decimal.Decimal(-limit),
            max_value=decimal.Decimal(limit),
            required=False,
            allow_null=True,
            default=None,
            **kwargs,
        )

    def validate_precision(self, value):
        return super().validate_precision(value.quantize(decimal.Decimal("0.000001"), rounding=decimal.ROUND_HALF_UP))


class AnswerSerializer(serializers.ModelSerializer):
    item_text = serializers.CharField(source="item.text", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)
    hazard = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionAnswer
        fields = ["id", "item", "item_text", "result", "result_display", "note", "hazard", "photos"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_hazard(self, answer: InspectionAnswer) -> int | None:
        try:
            return answer.hazard.pk
        except Hazard.DoesNotExist:
            return None


class InspectionSerializer(serializers.ModelSerializer):
    site = PlaceRefSerializer(read_only=True)
    street = UnitRefSerializer(source="site.territory", read_only=True, allow_null=True)
    campaign = CampaignRefSerializer(read_only=True, allow_null=True)
    checklist_name = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    org_unit = UnitRefSerializer(read_only=True)
    inspectors = PersonSerializer(many=True, read_only=True)
    created_by = PersonSerializer(read_only=True)
    hazard_count = serializers.IntegerField(read_only=True)
    hazards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "site",
            "street",
            "task",
            "campaign",
            "checklist",
            "checklist_name",
            "kind",
            "kind_display",
            "source",
            "source_display",
            "status",
            "status_display",
            "org_unit",
            "inspectors",
            "created_by",
            "started_at",
            "ended_at",
            "latitude",
            "longitude",
            "position_accuracy",
            "distance_m",
            "note",
            "hazard_count",
            "hazards",
            "answers",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checklist_name(self, inspection: Inspection) -> str | None:
        return str(inspection.checklist) if inspection.checklist_id else None


class InspectionStartSerializer(serializers.Serializer):
    """What services.start_inspection takes. The kind defaults to a self-inspection for an enterprise
    account and a supervision inspection otherwise; the current version of the checklist is used."""

    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none())
    kind = serializers.ChoiceField(choices=InspectionKind.choices, required=False)
    checklist = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistTemplate.objects.all(), required=False, allow_null=True, default=None
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=InspectionTask.objects.none(), required=False, allow_null=True, default=None
    )
    inspectors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, required=False, default=list
    )
    latitude = CoordinateField(90)
    longitude = CoordinateField(180)
    accuracy = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        user = request.user
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.fields["task"].queryset = InspectionTask.objects.visible_to(user)
        self.fields["inspectors"].child_relation.queryset = _possible_inspectors(user)

    def validate(self, attrs):
        if "kind" not in attrs:
            user = self.context["request"].user
            attrs["kind"] = InspectionKind.SELF if is_enterprise(user) else InspectionKind.SUPERVISION
        return attrs


def _possible_inspectors(user):
    """Whom a user may name as fellow inspectors: officers of the same district (an enforcement inspection
    often pairs a street with a department), or, for an enterprise account, the accounts of its enterprises.
    The service checks each person again."""
    active = User.objects.filter(is_active=True)
    if is_enterprise(user):
        return active.filter(enterprises__accounts=user).distinct()
    district_id = scope_of(user).district_id
    if district_id is None:
        return User.objects.filter(pk=user.pk)
    return active.exclude(role=Role.ENTERPRISE).filter(org_unit__district_id=district_id)


class HazardFieldsSerializer(serializers.Serializer):
    """A hazard as the inspector describes it; the title defaults to the item's text for a 不符合 answer."""

    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.ChoiceField(choices=HazardGrade.choices, required=False, allow_blank=True, default="")
    major_reason = serializers.CharField(required=False, allow_blank=True, default="")
    nature = serializers.ChoiceField(choices=HazardNature.choices, required=False, allow_blank=True, default="")
    photos = PhotosField()

    HAZARD_FIELDS = ("title", "location", "description", "grade", "major_reason", "nature")

    def hazard_fields(self) -> dict:
        return {name: self.validated_data[name] for name in self.HAZARD_FIELDS}


class AnswerInputSerializer(HazardFieldsSerializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())
    result = serializers.ChoiceField(choices=AnswerResult.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CompleteInspectionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = CoordinateField(90)
    longitude = CoordinateField(180)
    accuracy = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True, default=None)
