"""The hazard closed loop (隐患排查治理闭环, STANDARDS §5): checklists, campaigns, tasks, inspections,
evidence photos, hazards and their rectification, escalation and enforcement, one module per topic.

Every record that hangs off a place is scoped through its place
(:class:`anjian.registry.scoping.SiteLinkedQuerySet`), so a street officer sees the inspections and hazards of
its territory, a department those of the places it supervises, an enterprise account those of its own places.
"""

from anjian.inspections.models.campaigns import Campaign, InspectionFrequency, InspectionTask
from anjian.inspections.models.checklists import ChecklistItem, ChecklistTemplate
from anjian.inspections.models.enforcement import EnforcementAction, Escalation
from anjian.inspections.models.evidence import Photo, evidence_path
from anjian.inspections.models.hazards import (
    DeadlineChange,
    Hazard,
    HazardEvent,
    Rectification,
    RectificationNotice,
    RectificationPlan,
    RectificationResult,
    overdue_q,
    under_supervision_q,
)
from anjian.inspections.models.inspections import Inspection, InspectionAnswer
from anjian.inspections.models.uploads import ProvisionalUpload

__all__ = [
    "Campaign",
    "ChecklistItem",
    "ChecklistTemplate",
    "DeadlineChange",
    "EnforcementAction",
    "Escalation",
    "Hazard",
    "HazardEvent",
    "Inspection",
    "InspectionAnswer",
    "InspectionFrequency",
    "InspectionTask",
    "Photo",
    "ProvisionalUpload",
    "Rectification",
    "RectificationNotice",
    "RectificationPlan",
    "RectificationResult",
    "evidence_path",
    "overdue_q",
    "under_supervision_q",
]
