"""The hazard loop in the API: read shapes (lists flat and cheap, details with their timeline and evidence)
and input shapes that only check types, one module per topic. Every rule of the loop is the services' to enforce,
so a client gets the same Chinese message as the page does.

The views read every shape from here (``from anjian.inspections.api import serializers as s``); the references
to other apps' records (a place, a unit, a sector, a person) are the serializers of the apps that own them."""

from __future__ import annotations

from anjian.inspections.api.serializers.campaigns import (
    CampaignProgressSerializer,
    CampaignRefSerializer,
    CampaignSerializer,
    CampaignWriteSerializer,
    ProgressRowSerializer,
)
from anjian.inspections.api.serializers.checklists import (
    ChecklistItemSerializer,
    ChecklistSerializer,
)
from anjian.inspections.api.serializers.hazard_actions import (
    CommitSerializer,
    DecideSerializer,
    EscalateSerializer,
    FixOnSpotSerializer,
    IssueNoticeSerializer,
    NoteSerializer,
    PlanInputSerializer,
    ReasonSerializer,
    RejectSerializer,
    SubmitSerializer,
    VerifyOnSiteSerializer,
)
from anjian.inspections.api.serializers.hazards import (
    ACTION_SEGMENTS,
    EVENT_LABELS,
    DeadlineChangeSerializer,
    EnforcementSerializer,
    EscalationSerializer,
    HazardDetailSerializer,
    HazardEventSerializer,
    HazardListSerializer,
    NoticeSerializer,
    PlanSerializer,
    RectificationSerializer,
    allowed_actions,
    pending_submitter,
)
from anjian.inspections.api.serializers.inspections import (
    AnswerInputSerializer,
    AnswerSerializer,
    CompleteInspectionSerializer,
    CoordinateField,
    HazardFieldsSerializer,
    InspectionSerializer,
    InspectionStartSerializer,
)
from anjian.inspections.api.serializers.photos import (
    MAX_PHOTOS,
    PhotoSerializer,
    PhotosField,
    absolute_url,
)
from anjian.inspections.api.serializers.tasks import (
    TaskAssignSerializer,
    TaskSerializer,
)

__all__ = [
    "ACTION_SEGMENTS",
    "EVENT_LABELS",
    "MAX_PHOTOS",
    "AnswerInputSerializer",
    "AnswerSerializer",
    "CampaignProgressSerializer",
    "CampaignRefSerializer",
    "CampaignSerializer",
    "CampaignWriteSerializer",
    "ChecklistItemSerializer",
    "ChecklistSerializer",
    "CommitSerializer",
    "CompleteInspectionSerializer",
    "CoordinateField",
    "DeadlineChangeSerializer",
    "DecideSerializer",
    "EnforcementSerializer",
    "EscalateSerializer",
    "EscalationSerializer",
    "FixOnSpotSerializer",
    "HazardDetailSerializer",
    "HazardEventSerializer",
    "HazardFieldsSerializer",
    "HazardListSerializer",
    "InspectionSerializer",
    "InspectionStartSerializer",
    "IssueNoticeSerializer",
    "NoteSerializer",
    "NoticeSerializer",
    "PhotoSerializer",
    "PhotosField",
    "PlanInputSerializer",
    "PlanSerializer",
    "ProgressRowSerializer",
    "ReasonSerializer",
    "RectificationSerializer",
    "RejectSerializer",
    "SubmitSerializer",
    "TaskAssignSerializer",
    "TaskSerializer",
    "VerifyOnSiteSerializer",
    "absolute_url",
    "allowed_actions",
    "pending_submitter",
]
