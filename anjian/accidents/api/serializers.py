"""The accident records and their investigations in the API: read shapes (lists flat and cheap, details with
their corrections and evidence) and input shapes that only check types. Every rule is the services' to
enforce, so a client gets the same Chinese message as the page does. The grade is never an input."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.accidents import services
from anjian.accidents.choices import AccidentCategory, AccidentType
from anjian.accidents.filtersets import territories_for
from anjian.accidents.models import (
    Accident,
    Accountability,
    CasualtyCorrection,
    CorrectiveMeasure,
    EducationRecord,
    Investigation,
)
from anjian.inspections.models import Hazard, InspectionTask
from anjian.organizations.api.serializers import SectorRefSerializer, UnitRefSerializer
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.api.serializers import PlaceRefSerializer
from anjian.registry.models import Site


class InvestigationRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Investigation
        fields = ["id", "status", "status_display", "deadline"]
        read_only_fields = fields


# --- accidents --------------------------------------------------------------------------------------------


class AccidentSerializer(serializers.ModelSerializer):
    district = UnitRefSerializer(read_only=True)
    territory = UnitRefSerializer(read_only=True)
    site = PlaceRefSerializer(read_only=True)
    sector = SectorRefSerializer(read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    accident_type_display = serializers.CharField(source="get_accident_type_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    injuries = serializers.IntegerField(read_only=True)
    kept_apart = serializers.BooleanField(read_only=True)
    correction_open = serializers.BooleanField(read_only=True)
    correction_closes_at = serializers.DateTimeField(read_only=True)
    investigation = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Accident
        fields = [
            "id",
            "url",
            "district",
            "territory",
            "site",
            "sector",
            "category",
            "category_display",
            "kept_apart",
            "accident_type",
            "accident_type_display",
            "occurred_at",
            "reported_at",
            "late_report",
            "address",
            "longitude",
            "latitude",
            "deaths",
            "serious_injuries",
            "minor_injuries",
            "injuries",
            "missing",
            "direct_loss",
            "grade",
            "grade_display",
            "summary",
            "correction_open",
            "correction_closes_at",
            "investigation",
            "created_at",
        ]
        read_only_fields = fields

    def get_investigation(self, accident: Accident) -> dict | None:
        investigation = getattr(accident, "investigation", None)
        return InvestigationRefSerializer(investigation).data if investigation is not None else None

    def get_url(self, accident: Accident) -> str:
        url = reverse("accidents:accident_detail", args=[accident.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CorrectionSerializer(serializers.ModelSerializer):
    corrected_by = serializers.CharField(source="corrected_by.real_name", read_only=True)
    grade_before_display = serializers.CharField(source="get_grade_before_display", read_only=True)
    grade_after_display = serializers.CharField(source="get_grade_after_display", read_only=True)

    class Meta:
        model = CasualtyCorrection
        fields = [
            "id",
            "before",
            "after",
            "grade_before",
            "grade_before_display",
            "grade_after",
            "grade_after_display",
            "reason",
            "corrected_by",
            "corrected_at",
        ]
        read_only_fields = fields


class AccidentDetailSerializer(AccidentSerializer):
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(AccidentSerializer.Meta):
        fields = [*AccidentSerializer.Meta.fields, "corrections"]
        read_only_fields = fields


def _people(**kwargs):
    return serializers.IntegerField(min_value=0, max_value=services.MAX_PEOPLE, **kwargs)


def _loss(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, max_value=services.MAX_LOSS, **kwargs)


class AccidentWriteSerializer(serializers.Serializer):
    """What services.record_accident takes: a place of the registry (its id) or an address with a street."""

    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), required=False, allow_null=True)
    territory = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), required=False, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=AccidentCategory.choices)
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)
    accident_type = serializers.ChoiceField(choices=AccidentType.choices)
    occurred_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField()
    summary = serializers.CharField(max_length=5000)
    deaths = _people(default=0)
    serious_injuries = _people(default=0)
    minor_injuries = _people(default=0)
    missing = _people(default=0)
    direct_loss = _loss(default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = Site.objects.visible_to(request.user).select_related("district", "territory")
            self.fields["territory"].queryset = territories_for(request.user).select_related("district")

    def validate(self, attrs):
        user = self.context["request"].user
        district = services.district_of(actor=user, site=attrs.get("site"), territory=attrs.get("territory"))
        if district is None:
            raise serializers.ValidationError({"territory": [_("Choose the street or park where it happened.")]})
        attrs["district"] = district
        return attrs


class CorrectInputSerializer(serializers.Serializer):
    """The numbers that change (the others keep theirs) and the reason."""

    deaths = _people(required=False)
    serious_injuries = _people(required=False)
    minor_injuries = _people(required=False)
    missing = _people(required=False)
    direct_loss = _loss(required=False)
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class OpenInvestigationSerializer(serializers.Serializer):
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    team = serializers.CharField(max_length=2000, allow_blank=True)


# --- investigations ------------------------------------------------------------------------------------


class AccountabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Accountability
        fields = ["id", "person", "position", "sanction", "decided_by", "decided_on", "recorded_at"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None)
    hazard_status = serializers.CharField(source="hazard.status", read_only=True, default=None)
    task_status = serializers.CharField(source="task.status", read_only=True, default=None)

    class Meta:
        model = CorrectiveMeasure
        fields = [
            "id",
            "description",
            "hazard",
            "hazard_number",
            "hazard_status",
            "task",
            "task_status",
            "recorded_at",
        ]
        read_only_fields = fields


class EducationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EducationRecord
        fields = ["id", "held_on", "subject", "audience", "attendees", "recorded_at"]
        read_only_fields = fields


class InvestigationSerializer(serializers.ModelSerializer):
    accident = serializers.PrimaryKeyRelatedField(read_only=True)
    accident_summary = serializers.CharField(source="accident.summary", read_only=True)
    occurred_at = serializers.DateTimeField(source="accident.occurred_at", read_only=True)
    lead_unit = UnitRefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    age_days = serializers.IntegerField(read_only=True)
    days_left = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "id",
            "accident",
            "accident_summary",
            "occurred_at",
            "status",
            "status_display",
            "lead_unit",
            "team",
            "deadline",
            "extended_by_days",
            "extension_reason",
            "age_days",
            "days_left",
            "is_overdue",
            "cause_done_at",
            "persons_done_at",
            "measures_done_at",
            "education_done_at",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


class InvestigationDetailSerializer(InvestigationSerializer):
    closures = serializers.SerializerMethodField()
    accountabilities = AccountabilitySerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    education = EducationSerializer(many=True, read_only=True)

    class Meta(InvestigationSerializer.Meta):
        fields = [
            *InvestigationSerializer.Meta.fields,
            "cause",
            "cause_report",
            "closures",
            "accountabilities",
            "measures",
            "education",
        ]
        read_only_fields = fields

    def get_closures(self, investigation: Investigation) -> list[dict]:
        """The four closures of 四不放过: done (marked), evidence recorded, or open."""
        missing = services.open_closures(investigation)
        return [
            {
                "name": name,
                "label": str(services.CLOSURE_TITLES[name]),
                "done_at": getattr(investigation, services.CLOSURE_FIELDS[name]),
                "evidence_ready": name not in missing,
            }
            for name in services.CLOSURES
        ]


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=services.MAX_EXTENSION_DAYS)
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class CauseSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=5000, allow_blank=True)
    report = serializers.CharField(max_length=200, allow_blank=True)


class PersonsEvidenceSerializer(serializers.Serializer):
    person = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    sanction = serializers.CharField(max_length=200)
    decided_by = serializers.CharField(max_length=100)
    decided_on = serializers.DateField()


class MeasuresEvidenceSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    hazard = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.none(), required=False, allow_null=True)
    task = serializers.PrimaryKeyRelatedField(queryset=InspectionTask.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A hazard or task the caller cannot see does not exist for them.
            self.fields["hazard"].queryset = Hazard.objects.visible_to(request.user)
            self.fields["task"].queryset = InspectionTask.objects.visible_to(request.user)


class EducationEvidenceSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    subject = serializers.CharField(max_length=200)
    audience = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1, max_value=services.MAX_PEOPLE)


EVIDENCE_SERIALIZERS = {
    "persons": PersonsEvidenceSerializer,
    "measures": MeasuresEvidenceSerializer,
    "education": EducationEvidenceSerializer,
}


class EvidenceKindSerializer(serializers.Serializer):
    """The kind of evidence, then the fields of that kind (see PersonsEvidence, MeasuresEvidence,
    EducationEvidence)."""

    kind = serializers.ChoiceField(
        choices=[
            ("persons", _("Accountability action")),
            ("measures", _("Corrective measure")),
            ("education", _("Education record")),
        ]
    )


class MarkSerializer(serializers.Serializer):
    closure = serializers.ChoiceField(choices=[(name, services.CLOSURE_TITLES[name]) for name in services.CLOSURES])
