"""Hazards (隐患) and their rectification: the hazard, its timeline, its notice, plan and rectifications."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopeLevel
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    DeadlineReason,
    Handling,
    HazardGrade,
    HazardNature,
    HazardSource,
    HazardStatus,
)
from anjian.inspections.models.campaigns import Campaign
from anjian.inspections.models.checklists import ChecklistItem
from anjian.inspections.models.inspections import Inspection, InspectionAnswer
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site
from anjian.registry.scoping import SiteLinkedQuerySet, site_scope_q


class HazardQuerySet(SiteLinkedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """A hazard keeps its place's district, so the district and city scopes use the hazard's own indexed
        column (with 100,000 hazards, going through the place's district sorted them all before the page)."""
        if scope.level is ScopeLevel.DISTRICT:
            return Q(district_id=scope.district_id)
        if scope.level is ScopeLevel.CITY:
            return Q(district__city_id=scope.city_id)
        return site_scope_q(scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """Past the deadline and still owed by the place (STANDARDS §5: 逾期)."""
        today = today or timezone.localdate()
        return self.filter(status__in=DEADLINE_STATUSES, deadline__lt=today)


def overdue_q(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=DEADLINE_STATUSES, deadline__lt=today)


def under_supervision_q() -> Q:
    """Under escalated supervision now (挂牌督办 hung and not yet lifted)."""
    return Q(escalated_at__isnull=False, supervision_lifted_at__isnull=True)


class Hazard(models.Model):
    """A concrete defect found at a place (事故隐患), graded general or major (STANDARDS §5).

    Its status moves only through :data:`anjian.inspections.workflow.TRANSITIONS`; every move is a
    :class:`HazardEvent` (the timeline) and an audit row.
    """

    number = models.CharField(_("number"), max_length=30, unique=True, null=True, blank=True)
    site = models.ForeignKey(Site, verbose_name=_("place"), on_delete=models.PROTECT, related_name="hazards")
    # Kept from the place (a place never changes district) so district lists need no join.
    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazards"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    answer = models.OneToOneField(
        InspectionAnswer, null=True, blank=True, on_delete=models.PROTECT, related_name="hazard"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, verbose_name=_("check"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazards"
    )
    title = models.CharField(_("hazard"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location at the place"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=HazardGrade.choices, default=HazardGrade.GENERAL)
    major_reason = models.TextField(_("reason for grading major"), blank=True)
    criteria_document = models.CharField(_("major hazard criteria"), max_length=200, blank=True)
    criteria_edition = models.CharField(_("edition"), max_length=60, blank=True)
    criteria_number = models.CharField(_("item number"), max_length=30, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    nature = models.CharField(_("nature"), max_length=20, choices=HazardNature.choices, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices)
    self_reported = models.BooleanField(_("self-reported by the enterprise"), default=False)
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.REPORTED)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reporting_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("reporting unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    rejection_count = models.PositiveSmallIntegerField(_("failed verifications"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # 摘牌: when the safety office lifted the escalated supervision (with the closing of the hazard).
    supervision_lifted_at = models.DateTimeField(_("escalated supervision lifted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [
            models.Index(fields=["district", "-reported_at", "-id"], name="hazard_district_reported_idx"),
            models.Index(fields=["site", "status"], name="hazard_site_status_idx"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
            models.Index(fields=["campaign", "status"], name="hazard_campaign_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or ''} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_major(self) -> bool:
        return self.grade == HazardGrade.MAJOR

    @property
    def is_overdue(self) -> bool:
        return self.status in DEADLINE_STATUSES and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def is_escalated(self) -> bool:
        """Under escalated supervision now: hung (挂牌) and not yet lifted (摘牌)."""
        return self.escalated_at is not None and self.supervision_lifted_at is None

    @property
    def criterion_label(self) -> str:
        if not self.criteria_document:
            return ""
        return f"《{self.criteria_document}》（{self.criteria_edition}）{self.criteria_number}"


class HazardEvent(models.Model):
    """One step of a hazard's timeline, as users read it (the audit log keeps the tamper-evident copy)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=HazardStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.action}"


class DeadlineChange(models.Model):
    """One change of a hazard's rectification deadline: the hazard holds the one current deadline, this is its
    history (old, new, who, why, when). A notice, an enterprise's commitment, escalated supervision (挂牌督办) and a
    rejected rectification each set the hazard's deadline through here; none keeps a deadline of its own."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="deadline_changes")
    previous = models.DateField(_("previous deadline"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    reason = models.CharField(_("reason"), max_length=20, choices=DeadlineReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    escalation = models.ForeignKey(
        "inspections.Escalation", null=True, blank=True, on_delete=models.CASCADE, related_name="deadline_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_by_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")

    def __str__(self) -> str:
        return f"{self.hazard_id}: {self.previous or '—'} → {self.deadline}"


class RectificationNotice(models.Model):
    """整改通知书: a numbered order to rectify by a deadline, with its legal basis. 责令限期整改 is an enforcement act,
    so the notice is issued in the name of the department with legal power over the hazard's sector
    (``enforcing_unit``, Sector.enforcing_department_type), whoever typed it (``issuing_unit``); the unit supervising
    the hazard (挂牌督办) when it was issued appears on it as 督办."""

    hazard = models.OneToOneField(Hazard, on_delete=models.PROTECT, related_name="notice")
    number = models.CharField(_("number"), max_length=60, unique=True)
    issuing_unit = models.ForeignKey(OrgUnit, verbose_name=_("issuing unit"), on_delete=models.PROTECT)
    enforcing_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enforcing department"), on_delete=models.PROTECT, related_name="+"
    )
    supervising_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("supervising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    deadline = models.DateField(_("deadline"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    requirements = models.TextField(_("requirements"), blank=True)

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")

    def __str__(self) -> str:
        return self.number


class RectificationPlan(models.Model):
    """The plan a major hazard needs (STANDARDS §5: six elements and the funds)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="plans")
    objectives = models.TextField(_("objectives and tasks"))
    methods = models.TextField(_("methods and measures"))
    funds_and_materials = models.TextField(_("funds and materials"))
    organisation = models.TextField(_("organisation and people"))
    timeline = models.TextField(_("time limits and requirements"))
    safety_measures = models.TextField(_("safety measures and emergency plan"))
    funds = models.DecimalField(_("funds (CNY)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")

    def __str__(self) -> str:
        return f"{self.hazard} · {self.filed_at:%Y-%m-%d}"


class RectificationResult(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Rectification(models.Model):
    """What was done about a hazard (on the spot or by the deadline), with after-photos, and its verification."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="rectifications")
    on_the_spot = models.BooleanField(_("fixed on the spot"), default=False)
    description = models.TextField(_("what was done"))
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    result = models.CharField(
        _("result"), max_length=20, choices=RectificationResult.choices, default=RectificationResult.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    review_note = models.TextField(_("verification note"), blank=True)
    # Where the verifier stood (a major hazard is verified on site): the phone's position and its distance to the
    # place's point, when the place has one.
    review_latitude = models.DecimalField(
        _("latitude at verification"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    review_longitude = models.DecimalField(
        _("longitude at verification"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    review_accuracy = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    review_distance = models.PositiveIntegerField(_("distance to the place (m)"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.hazard} · {self.get_result_display()}"
