"""The hazard loop in the API: read shapes (lists flat and cheap, details with their timeline and evidence)
and input shapes that only check types. Every rule of the loop is the services' to enforce, so a client
gets the same Chinese message as the page does."""

from __future__ import annotations

import decimal

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.accounts.choices import Role
from anjian.accounts.models import User
from anjian.core.scoping import scope_of
from anjian.inspections import evidence
from anjian.inspections.choices import (
    AnswerResult,
    CampaignKind,
    HazardGrade,
    HazardNature,
    InspectionKind,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
)
from anjian.inspections.workflow import HAZARD_ACTIONS, TRANSITIONS, available_actions
from anjian.organizations.choices import TERRITORIAL_KINDS
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site

# One request buffers every upload while each is checked by content: a field visit sends a few, not an album.
MAX_PHOTOS = evidence.MAX_PHOTOS_AT_ONCE

# The URL segment of each hazard action (POST /api/hazards/<id>/<segment>/), as listed in ``actions``.
ACTION_SEGMENTS = {name: step.url_segment for name, step in HAZARD_ACTIONS.items()}

# What each timeline entry says happened (HazardEvent.action), worded as on the hazard's page.
EVENT_LABELS = {
    "reported": _("Reported"),
    "fix_on_spot": _("Fixed on the spot"),
    "issue_notice": _("Rectification notice issued"),
    "commit": _("Committed to rectify by a deadline"),
    "acknowledge": _("Notice acknowledged"),
    "plan_filed": _("Rectification plan filed"),
    "submit": _("Rectification submitted for verification"),
    "verify": _("Verified and closed"),
    "reject": _("Rectification rejected"),
    "escalated": _("Placed under escalated supervision"),
    "overdue": _("Deadline passed: overdue"),
    "suspension_ordered": _("Suspension of operations ordered"),
    "closure_requested": _("Closure of the place requested"),
    "closure_decided": _("Closure request decided"),
    "close_with_site": _("Closed with the place"),
}


def pending_submitter():
    """The submitter of the rectification awaiting verification, as an annotation: nobody verifies their
    own work, and a list must know it without a query per hazard."""
    return Subquery(
        Rectification.objects.filter(hazard=OuterRef("pk"), result=RectificationResult.PENDING)
        .order_by("-submitted_at", "-id")
        .values("submitted_by")[:1]
    )


def allowed_actions(user, hazard: Hazard) -> list[str]:
    """What this user may do with this hazard now, as the URL segments of the actions
    (workflow.available_actions on data already loaded: no query per row)."""
    names = available_actions(
        user, hazard, pending_submitter_id=getattr(hazard, "pending_submitter_id", None), site_actions=None
    )
    return [ACTION_SEGMENTS[name] for name in names if name in ACTION_SEGMENTS]


def _absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- small references ---------------------------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]
        read_only_fields = fields


class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name"]
        read_only_fields = fields


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="real_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class CampaignRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name"]
        read_only_fields = fields


class PhotoSerializer(serializers.ModelSerializer):
    """An evidence photo: served only through the scoped photo views, never from /media/."""

    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Photo
        fields = [
            "id",
            "stage",
            "stage_display",
            "url",
            "thumbnail_url",
            "content_type",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded_at",
            "answer",
            "rectification",
        ]
        read_only_fields = fields

    def get_url(self, photo: Photo) -> str:
        return _absolute(self.context, reverse("inspections:photo_file", args=[photo.pk]))

    def get_thumbnail_url(self, photo: Photo) -> str:
        return _absolute(self.context, reverse("inspections:photo_thumbnail", args=[photo.pk]))


# --- checklists -----------------------------------------------------------------------------------


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


# --- campaigns --------------------------------------------------------------------------------------


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


# --- tasks ----------------------------------------------------------------------------------------------


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


# --- inspections -------------------------------------------------------------------------------------


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
            attrs["kind"] = InspectionKind.SELF if user.role == Role.ENTERPRISE else InspectionKind.SUPERVISION
        return attrs


def _possible_inspectors(user):
    """Whom a user may name as fellow inspectors: officers of the same district (an enforcement inspection
    often pairs a street with a department), or, for an enterprise account, the accounts of its enterprises.
    The service checks each person again."""
    active = User.objects.filter(is_active=True)
    if user.role == Role.ENTERPRISE:
        return active.filter(enterprises__accounts=user).distinct()
    district_id = scope_of(user).district_id
    if district_id is None:
        return User.objects.filter(pk=user.pk)
    return active.exclude(role=Role.ENTERPRISE).filter(org_unit__district_id=district_id)


class PhotosField(serializers.ListField):
    """Several files under the same multipart key "photos"; each is checked by content by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(child=serializers.FileField(), max_length=MAX_PHOTOS, **kwargs)


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


# --- hazards -------------------------------------------------------------------------------------------------


class HazardListSerializer(serializers.ModelSerializer):
    site = PlaceRefSerializer(read_only=True)
    street = UnitRefSerializer(source="site.territory", read_only=True, allow_null=True)
    sector = SectorRefSerializer(read_only=True, allow_null=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    escalated = serializers.BooleanField(source="is_escalated", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "title",
            "site",
            "street",
            "sector",
            "grade",
            "grade_display",
            "status",
            "status_display",
            "deadline",
            "is_overdue",
            "escalated",
            "self_reported",
            "reported_at",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(ACTION_SEGMENTS.values()))))
    def get_actions(self, hazard: Hazard) -> list[str]:
        return allowed_actions(self.context["request"].user, hazard)


class HazardEventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    from_status_display = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status_display = serializers.CharField(source="get_to_status_display", read_only=True)
    actor = PersonSerializer(read_only=True, allow_null=True)
    actor_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = HazardEvent
        fields = [
            "id",
            "action",
            "label",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "actor",
            "actor_unit",
            "at",
            "note",
            "data",
        ]
        read_only_fields = fields

    def get_label(self, event: HazardEvent) -> str:
        if event.action in EVENT_LABELS:
            return str(EVENT_LABELS[event.action])
        transition = TRANSITIONS.get(event.action)
        return str(transition.label) if transition is not None else event.action


class NoticeSerializer(serializers.ModelSerializer):
    issuing_unit = UnitRefSerializer(read_only=True)
    issued_by = PersonSerializer(read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = RectificationNotice
        fields = [
            "id",
            "number",
            "issuing_unit",
            "issued_by",
            "issued_at",
            "deadline",
            "legal_basis",
            "requirements",
            "document_url",
        ]
        read_only_fields = fields

    def get_document_url(self, notice: RectificationNotice) -> str:
        return _absolute(self.context, reverse("inspections:notice_docx", args=[notice.hazard_id]))


class PlanSerializer(serializers.ModelSerializer):
    filed_by = PersonSerializer(read_only=True)

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "objectives",
            "methods",
            "funds_and_materials",
            "organisation",
            "timeline",
            "safety_measures",
            "funds",
            "filed_by",
            "filed_at",
        ]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer):
    submitted_by = PersonSerializer(read_only=True)
    reviewed_by = PersonSerializer(read_only=True, allow_null=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "on_the_spot",
            "description",
            "cost",
            "submitted_by",
            "submitted_at",
            "result",
            "result_display",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "photos",
        ]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    supervising_unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "reason",
            "reason_display",
            "supervising_unit",
            "responsible_official",
            "previous_deadline",
            "new_deadline",
            "note",
            "automatic",
            "created_at",
        ]
        read_only_fields = fields


class EnforcementSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    site = PlaceRefSerializer(read_only=True)
    hazard = serializers.PrimaryKeyRelatedField(read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, allow_null=True)
    issued_by = PersonSerializer(read_only=True)
    issuing_unit = UnitRefSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "site",
            "hazard",
            "hazard_number",
            "reason",
            "issued_by",
            "issuing_unit",
            "issued_at",
            "decision",
            "decision_display",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class HazardDetailSerializer(HazardListSerializer):
    """A hazard with everything its page shows: the timeline, the evidence, the notice, plans,
    rectifications, escalations and enforcement."""

    district = UnitRefSerializer(read_only=True)
    campaign = CampaignRefSerializer(read_only=True, allow_null=True)
    nature_display = serializers.CharField(source="get_nature_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    handling_display = serializers.CharField(source="get_handling_display", read_only=True)
    criterion_label = serializers.CharField(read_only=True)
    reported_by = PersonSerializer(read_only=True)
    reporting_unit = UnitRefSerializer(read_only=True, allow_null=True)
    verified_by = PersonSerializer(read_only=True, allow_null=True)
    notice = serializers.SerializerMethodField()
    events = HazardEventSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    plans = PlanSerializer(many=True, read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)
    enforcement_actions = EnforcementSerializer(many=True, read_only=True)

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "district",
            "campaign",
            "inspection",
            "checklist_item",
            "description",
            "location",
            "major_reason",
            "criteria_document",
            "criteria_edition",
            "criteria_number",
            "criterion_label",
            "legal_basis",
            "nature",
            "nature_display",
            "source",
            "source_display",
            "handling",
            "handling_display",
            "original_deadline",
            "rejection_count",
            "escalated_at",
            "closed_at",
            "reported_by",
            "reporting_unit",
            "verified_by",
            "notice",
            "events",
            "photos",
            "plans",
            "rectifications",
            "escalations",
            "enforcement_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(NoticeSerializer(allow_null=True))
    def get_notice(self, hazard: Hazard) -> dict | None:
        try:
            notice = hazard.notice
        except RectificationNotice.DoesNotExist:
            return None
        return NoticeSerializer(notice, context=self.context).data


# --- hazard actions: inputs ------------------------------------------------------------------------------
# Fields the service requires are optional here, so that a missing one gets the service's own message.


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
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
