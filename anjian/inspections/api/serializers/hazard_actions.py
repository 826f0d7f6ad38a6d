"""The inputs of the hazard workflow's steps and of a closure decision in the API. They only check types: a field
the service requires is optional here, so that a missing one gets the service's own message."""

from __future__ import annotations

import decimal

from rest_framework import serializers

from anjian.inspections.api.serializers.inspections import CoordinateField
from anjian.inspections.api.serializers.photos import PhotosField


class FixOnSpotSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    photos = PhotosField()


class IssueNoticeSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    requirements = serializers.CharField(required=False, allow_blank=True, default="")


class CommitSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifyOnSiteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photos = PhotosField()
    latitude = CoordinateField(90)
    longitude = CoordinateField(180)
    accuracy = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True, default=None)


class PlanInputSerializer(serializers.Serializer):
    objectives = serializers.CharField(required=False, allow_blank=True, default="")
    methods = serializers.CharField(required=False, allow_blank=True, default="")
    funds_and_materials = serializers.CharField(required=False, allow_blank=True, default="")
    organisation = serializers.CharField(required=False, allow_blank=True, default="")
    timeline = serializers.CharField(required=False, allow_blank=True, default="")
    safety_measures = serializers.CharField(required=False, allow_blank=True, default="")
    funds = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)


class SubmitSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=decimal.Decimal(0), required=False, allow_null=True, default=None
    )
    photos = PhotosField()


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class EscalateSerializer(serializers.Serializer):
    official = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    new_deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The hazard's deadline from now on (the supervision keeps no deadline of its own).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
