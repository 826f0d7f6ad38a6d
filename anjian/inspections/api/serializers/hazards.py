"""Hazards in the API: the list row with the actions the caller may take now, and the detail with its timeline,
evidence, notice, plans, rectifications, escalations and enforcement."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anjian.accounts.api.serializers import PersonSerializer
from anjian.inspections.api.serializers.campaigns import CampaignRefSerializer
from anjian.inspections.api.serializers.photos import PhotoSerializer, absolute_url
from anjian.inspections.models import (
    DeadlineChange,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
)
from anjian.inspections.workflow import HAZARD_ACTIONS, TRANSITIONS, available_actions
from anjian.organizations.api.serializers import SectorRefSerializer, UnitRefSerializer
from anjian.registry.api.serializers import PlaceRefSerializer

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
    "verify_on_site": _("Verified on site"),
    "lift_supervision": _("Escalated supervision lifted: closed"),
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
    enforcing_unit = UnitRefSerializer(read_only=True)
    supervising_unit = UnitRefSerializer(read_only=True, allow_null=True)
    issued_by = PersonSerializer(read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = RectificationNotice
        fields = [
            "id",
            "number",
            "enforcing_unit",
            "supervising_unit",
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
        return absolute_url(self.context, reverse("inspections:notice_docx", args=[notice.hazard_id]))


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
            "review_latitude",
            "review_longitude",
            "review_accuracy",
            "review_distance",
            "photos",
        ]
        read_only_fields = fields


class DeadlineChangeSerializer(serializers.ModelSerializer):
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    changed_by = PersonSerializer(read_only=True, allow_null=True)
    changed_by_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DeadlineChange
        fields = [
            "id",
            "previous",
            "deadline",
            "reason",
            "reason_display",
            "note",
            "escalation",
            "changed_by",
            "changed_by_unit",
            "changed_at",
        ]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    supervising_unit = UnitRefSerializer(read_only=True)
    lifted_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "reason",
            "reason_display",
            "supervising_unit",
            "responsible_official",
            "note",
            "automatic",
            "created_at",
            "lifted_at",
            "lifted_by",
            "lift_note",
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
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)
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
            "supervision_lifted_at",
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
            "deadline_changes",
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
