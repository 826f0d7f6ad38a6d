"""Inspection tasks in the API: the read shape and the input that assigns a task to an inspector."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.accounts.api.serializers import PersonSerializer
from anjian.accounts.models import User
from anjian.inspections.api.serializers.campaigns import CampaignRefSerializer
from anjian.inspections.models import Inspection, InspectionTask
from anjian.organizations.api.serializers import UnitRefSerializer
from anjian.registry.api.serializers import PlaceRefSerializer


class TaskSerializer(serializers.ModelSerializer):
    site = PlaceRefSerializer(read_only=True)
    street = UnitRefSerializer(source="site.territory", read_only=True, allow_null=True)
    campaign = CampaignRefSerializer(read_only=True, allow_null=True)
    origin_display = serializers.CharField(source="get_origin_display", read_only=True)
    assignee_unit = UnitRefSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    inspection = serializers.SerializerMethodField()

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "site",
            "street",
            "campaign",
            "origin",
            "origin_display",
            "checklist",
            "assignee_unit",
            "assignee",
            "due_on",
            "status",
            "status_display",
            "is_overdue",
            "note",
            "created_at",
            "completed_at",
            "inspection",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_inspection(self, task: InspectionTask) -> int | None:
        try:
            return task.inspection.pk
        except Inspection.DoesNotExist:
            return None


class TaskAssignSerializer(serializers.Serializer):
    """An inspector of the task's unit, or null to give the task back to the unit; optionally a new due date."""

    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["assignee"].queryset = User.objects.visible_to(request.user).filter(is_active=True)
