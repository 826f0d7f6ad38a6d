"""Campaigns (专项检查) in the API: the read shape, the input of a new campaign, and its progress per street and
department."""

from __future__ import annotations

from rest_framework import serializers

from anjian.inspections.choices import CampaignKind
from anjian.inspections.models import Campaign, ChecklistTemplate
from anjian.organizations.api.serializers import SectorRefSerializer, UnitRefSerializer
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector


class CampaignRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    district = UnitRefSerializer(read_only=True)
    organizer = UnitRefSerializer(read_only=True)
    sectors = SectorRefSerializer(many=True, read_only=True)
    territories = UnitRefSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "district",
            "organizer",
            "sectors",
            "territories",
            "checklist",
            "starts_on",
            "ends_on",
            "deadline",
            "description",
            "created_at",
        ]
        read_only_fields = fields


class CampaignWriteSerializer(serializers.Serializer):
    """What services.create_campaign takes; the period, scope and organiser rules are the service's."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CampaignKind.choices, default=CampaignKind.SPECIAL)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    deadline = serializers.DateField()
    sectors = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), many=True, required=False, default=list
    )
    territories = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), many=True, required=False, default=list
    )
    checklist = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistTemplate.objects.current(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # the schema generator builds it without a request
            self.fields["territories"].child_relation.queryset = OrgUnit.objects.visible_to(request.user).filter(
                kind__in=TERRITORIAL_KINDS
            )


class ProgressRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    in_scope = serializers.IntegerField()
    inspected = serializers.IntegerField()
    rate = serializers.FloatField()
    hazards = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_rate = serializers.FloatField()
    laggard = serializers.BooleanField()


class CampaignProgressSerializer(serializers.Serializer):
    """selectors.campaign_progress: places inspected of those in scope, hazards found and closed, per
    street and per department; a unit below the share of the period elapsed is a laggard."""

    expected_rate = serializers.FloatField()
    in_scope = serializers.IntegerField()
    inspected = serializers.IntegerField()
    hazards = serializers.IntegerField()
    closed = serializers.IntegerField()
    streets = ProgressRowSerializer(many=True)
    departments = ProgressRowSerializer(many=True)
