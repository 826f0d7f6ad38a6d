"""Every write of the hazard loop (STANDARDS §5), one module per topic. Each service takes the acting user first,
runs in one transaction, checks scope and the state transition, writes the timeline event and the audit row, and
sends notifications after commit. Callers import the services from here; the helpers the modules share stay
inside the package (:mod:`.base`)."""

from anjian.inspections.services.campaigns import (
    assign_task,
    campaign_sites,
    create_campaign,
    frequency_days,
    generate_campaign_tasks,
    generate_frequency_tasks,
    level_frequencies,
    update_campaign,
)
from anjian.inspections.services.checklists import (
    checklist_for_inspection,
    checklist_for_site,
    create_checklist,
    ensure_checklists,
    revise_checklist,
)
from anjian.inspections.services.deadlines import DUE_SOON_DAYS, scan_deadlines
from anjian.inspections.services.enforcement import (
    ESCALATION_DAYS,
    MAJOR_DEFAULT_DAYS,
    decide_closure,
    escalate,
    order_suspension,
    request_closure,
)
from anjian.inspections.services.hazards import (
    acknowledge_notice,
    commit_to_deadline,
    enforcing_unit,
    file_plan,
    fix_on_spot,
    issue_notice,
    reject,
    submit_rectification,
    supervising_unit,
    verify,
)
from anjian.inspections.services.inspections import (
    add_hazard,
    cancel_inspection,
    complete_inspection,
    complete_inspection_form,
    record_answer,
    start_inspection,
)
from anjian.inspections.services.photos import files_discarded_on_error, store_photos
from anjian.inspections.services.uploads import (
    KeptUploads,
    claim_kept_uploads,
    discard_kept_uploads,
    expired_kept_message,
    keep_refused_uploads,
)
from anjian.inspections.services.verification import (
    ON_SITE_RADIUS_M,
    distance_to_place,
    lift_supervision,
    verify_on_site,
)

__all__ = [
    "DUE_SOON_DAYS",
    "ESCALATION_DAYS",
    "MAJOR_DEFAULT_DAYS",
    "ON_SITE_RADIUS_M",
    "KeptUploads",
    "acknowledge_notice",
    "add_hazard",
    "assign_task",
    "campaign_sites",
    "cancel_inspection",
    "checklist_for_inspection",
    "checklist_for_site",
    "claim_kept_uploads",
    "commit_to_deadline",
    "complete_inspection",
    "complete_inspection_form",
    "create_campaign",
    "create_checklist",
    "decide_closure",
    "discard_kept_uploads",
    "distance_to_place",
    "enforcing_unit",
    "ensure_checklists",
    "escalate",
    "expired_kept_message",
    "file_plan",
    "files_discarded_on_error",
    "fix_on_spot",
    "frequency_days",
    "generate_campaign_tasks",
    "generate_frequency_tasks",
    "issue_notice",
    "keep_refused_uploads",
    "level_frequencies",
    "lift_supervision",
    "order_suspension",
    "record_answer",
    "reject",
    "request_closure",
    "revise_checklist",
    "scan_deadlines",
    "start_inspection",
    "store_photos",
    "submit_rectification",
    "supervising_unit",
    "update_campaign",
    "verify",
    "verify_on_site",
]
