"""Choices of the hazard loop (STANDARDS §5; GLOSSARY.md names)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardGrade(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class HazardNature(models.TextChoices):
    """管理分类 (STANDARDS §5)."""

    UNSAFE_ACT = "unsafe_act", _("Unsafe act of people")
    UNSAFE_CONDITION = "unsafe_condition", _("Unsafe condition of things")
    MANAGEMENT = "management", _("Management defect")
    ENVIRONMENT = "environment", _("Environmental factor")


class HazardSource(models.TextChoices):
    """来源 (STANDARDS §5)."""

    ROUTINE = "routine", _("Routine inspection")
    COMPREHENSIVE = "comprehensive", _("Comprehensive inspection")
    SPECIAL = "special", _("Special inspection")
    SEASONAL = "seasonal", _("Seasonal inspection")
    HOLIDAY = "holiday", _("Pre-holiday inspection")
    ACCIDENT_ANALOGY = "accident_analogy", _("Inspection by accident analogy")
    RESUMPTION = "resumption", _("Inspection before resuming work")
    EXPERT = "expert", _("Expert diagnosis")
    PUBLIC_REPORT = "public_report", _("Public report")
    SELF_INSPECTION = "self_inspection", _("Enterprise self-inspection")
    SUPERVISION = "supervision", _("Supervision by a higher authority")


class Handling(models.TextChoices):
    ON_SPOT = "on_spot", _("Fixed on the spot")
    DEADLINE = "deadline", _("Rectification by a deadline")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    FIXED_ON_SPOT = "fixed_on_spot", _("Fixed on the spot, awaiting verification")
    NOTICE_ISSUED = "notice_issued", _("Rectification notice issued")
    RECTIFYING = "rectifying", _("Rectifying")
    SUBMITTED = "submitted", _("Submitted for verification")
    # A hazard under escalated supervision (every major hazard is) is verified on site by the supervising
    # department, then closed when the safety office lifts the supervision (摘牌).
    VERIFIED_ON_SITE = "verified_on_site", _("Verified on site, awaiting the lifting of escalated supervision")
    VERIFIED = "verified", _("Verified and closed")
    CLOSED_WITH_SITE = "closed_with_site", _("Closed with the place")


# The states in which a hazard is still open (not closed by verification or by closing the place).
OPEN_STATUSES = (
    HazardStatus.REPORTED,
    HazardStatus.FIXED_ON_SPOT,
    HazardStatus.NOTICE_ISSUED,
    HazardStatus.RECTIFYING,
    HazardStatus.SUBMITTED,
    HazardStatus.VERIFIED_ON_SITE,
)
# The states in which the place owes work by a deadline: only these can become overdue.
DEADLINE_STATUSES = (HazardStatus.NOTICE_ISSUED, HazardStatus.RECTIFYING)
CLOSED_STATUSES = (HazardStatus.VERIFIED, HazardStatus.CLOSED_WITH_SITE)


class DeadlineReason(models.TextChoices):
    """Why a hazard's deadline changed (its history, :class:`anjian.inspections.models.DeadlineChange`)."""

    NOTICE = "notice", _("Rectification notice")
    COMMITMENT = "commitment", _("Committed by the enterprise")
    ESCALATION = "escalation", _("Escalated supervision")
    REJECTION = "rejection", _("Rectification rejected")


class AnswerResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NONCOMPLIANT = "noncompliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision inspection")
    ENFORCEMENT = "enforcement", _("Law-enforcement inspection")
    SELF = "self", _("Enterprise self-inspection")


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class CampaignKind(models.TextChoices):
    SPECIAL = "special", _("Special rectification campaign")
    GENERAL = "general", _("General inspection")
    SEASONAL = "seasonal", _("Seasonal inspection")
    HOLIDAY = "holiday", _("Pre-holiday inspection")


# The source a hazard found in a campaign's inspection carries.
CAMPAIGN_SOURCE = {
    CampaignKind.SPECIAL: HazardSource.SPECIAL,
    CampaignKind.GENERAL: HazardSource.COMPREHENSIVE,
    CampaignKind.SEASONAL: HazardSource.SEASONAL,
    CampaignKind.HOLIDAY: HazardSource.HOLIDAY,
}


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskOrigin(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    FREQUENCY = "frequency", _("Inspection frequency")
    MANUAL = "manual", _("Assigned by hand")


class PhotoStage(models.TextChoices):
    FINDING = "finding", _("When found")
    AFTER = "after", _("After rectification")
    VERIFICATION = "verification", _("At the on-site verification")


class PhotoStatus(models.TextChoices):
    """An evidence photo is checked cheaply in the request and decoded, re-encoded and hashed by a worker."""

    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Damaged")


class EnforcementKind(models.TextChoices):
    SUSPENSION = "suspension", _("Order to suspend operations for rectification")
    CLOSURE = "closure", _("Request to close the place")


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Closure approved")
    REJECTED = "rejected", _("Closure rejected")
