"""Checklists in the API: a checklist version with its items, read only."""

from __future__ import annotations

from rest_framework import serializers

from anjian.inspections.models import ChecklistItem, ChecklistTemplate
from anjian.organizations.api.serializers import SectorRefSerializer


class ChecklistItemSerializer(serializers.ModelSerializer):
    is_major_criterion = serializers.BooleanField(read_only=True)
    criterion_label = serializers.CharField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "order",
            "section",
            "text",
            "legal_basis",
            "photo_required",
            "nature",
            "is_major_criterion",
            "criteria_document",
            "criteria_edition",
            "criteria_number",
            "criterion_text",
            "criterion_label",
        ]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    sector = SectorRefSerializer(read_only=True, allow_null=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "version", "is_current", "name", "sector", "description", "created_at", "items"]
        read_only_fields = fields
