"""The hazard closed loop (隐患排查治理闭环, STANDARDS §5): checklists, campaigns, tasks, inspections,
evidence photos, hazards and their rectification, escalation and enforcement.

Every record that hangs off a place is scoped through its place (:class:`SiteLinkedQuerySet`), so a
street officer sees the inspections and hazards of its territory, a department those of the places it
supervises, an enterprise account those of its own places.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    AnswerResult,
    CampaignKind,
    ClosureDecision,
    EnforcementKind,
    Handling,
    HazardGrade,
    HazardNature,
    HazardSource,
    HazardStatus,
    InspectionKind,
    InspectionStatus,
    PhotoStage,
    TaskOrigin,
    TaskStatus,
)
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.choices import RiskLevel
from anjian.registry.models import Site

_NOTHING = Q(pk__in=[])


def site_scope_q(scope: Scope, site_field: str = "site") -> Q:
    """The places of a scope, as a filter on a model that points at a place.

    City, district and territory follow plain joins; department and enterprise scopes cross
    to-many relations (mandates, enterprise accounts) and are applied as a subquery of places.
    """
    level = scope.level
    if level is ScopeLevel.CITY:
        return Q(**{f"{site_field}__district__city_id": scope.city_id})
    if level is ScopeLevel.DISTRICT:
        return Q(**{f"{site_field}__district_id": scope.district_id})
    if level is ScopeLevel.TERRITORY:
        return Q(**{f"{site_field}__territory_id__in": scope.territory_ids})
    if level in (ScopeLevel.DEPARTMENT, ScopeLevel.ENTERPRISE):
        return Q(**{f"{site_field}_id__in": Site.objects.for_scope(scope).values("pk")})
    return _NOTHING


class SiteLinkedQuerySet(ScopedQuerySet):
    """Records of a place are visible to whoever sees the place."""

    def scope_q(self, scope: Scope) -> Q:
        return site_scope_q(scope)


# --- checklists ------------------------------------------------------------------------


class ChecklistTemplateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def visible_to(self, user):
        """Checklists are reference data of the whole platform: every business user reads them."""
        scope = getattr(user, "scope", None) if getattr(user, "is_authenticated", False) else None
        if scope is None or scope.sees_nothing:
            return self.none()
        return self.all()


class ChecklistTemplate(models.Model):
    """A checklist (检查表) for a sector. Editing one makes a new version; inspections keep theirs."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=120)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="checklists"
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["sector__order", "code", "-version"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="checklist_code_version_unique"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="checklist_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"


class ChecklistItem(models.Model):
    """One check of a checklist; a major-criterion item makes what it finds a major hazard."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=60, blank=True)
    text = models.CharField(_("check"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    photo_required = models.BooleanField(_("photo required"), default=False)
    nature = models.CharField(_("nature"), max_length=20, choices=HazardNature.choices, blank=True)
    criteria_document = models.CharField(_("major hazard criteria"), max_length=200, blank=True)
    criteria_edition = models.CharField(_("edition"), max_length=60, blank=True)
    criteria_number = models.CharField(_("item number"), max_length=30, blank=True)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text

    @property
    def is_major_criterion(self) -> bool:
        return bool(self.criteria_document)

    @property
    def criterion_label(self) -> str:
        if not self.criteria_document:
            return ""
        return f"《{self.criteria_document}》（{self.criteria_edition}）{self.criteria_number}"


# --- campaigns and tasks -------------------------------------------------------------------


class CampaignQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """A campaign concerns its whole district: every government unit of the district reads it."""
        if scope.level is ScopeLevel.CITY:
            return Q(district__city_id=scope.city_id)
        if scope.level in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT, ScopeLevel.TERRITORY):
            return Q(district_id=scope.district_id)
        return _NOTHING

    def editable_by(self, user):
        """The safety office runs the district's campaigns; a department runs the ones it organised."""
        scope = getattr(user, "scope", None)
        if scope is None or scope.read_only or scope.sees_nothing or not user.is_active:
            return self.none()
        if scope.level is ScopeLevel.CITY:
            return self.filter(district__city_id=scope.city_id)
        if scope.level is ScopeLevel.DISTRICT:
            return self.filter(district_id=scope.district_id)
        if scope.level is ScopeLevel.DEPARTMENT:
            return self.filter(organizer_id=scope.org_unit_id)
        return self.none()


class Campaign(models.Model):
    """A time-boxed drive (专项整治、大检查、季节性、节假日前) over sectors and territory."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.SPECIAL)
    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    organizer = models.ForeignKey(
        OrgUnit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="organized_campaigns"
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="campaigns")
    territories = models.ManyToManyField(
        OrgUnit, verbose_name=_("streets and parks"), blank=True, related_name="campaigns"
    )
    checklist = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("inspections end on"))
    deadline = models.DateField(_("rectification deadline"))
    description = models.TextField(_("requirements"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_order",
                violation_error_message=_("The inspections cannot end before they start."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")),
                name="campaign_deadline_order",
                violation_error_message=_("The rectification deadline cannot come before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskQuerySet(SiteLinkedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """Tasks of the places in scope, plus whatever was assigned to the user's unit or to the user.
        An enterprise account sees only its own self-inspection tasks, never the government's plan."""
        if scope.level is ScopeLevel.ENTERPRISE:
            return Q(assignee_id=scope.user_id)
        if scope.sees_nothing:
            return _NOTHING
        return site_scope_q(scope) | Q(assignee_unit_id=scope.org_unit_id) | Q(assignee_id=scope.user_id)

    def open(self):
        return self.filter(status=TaskStatus.OPEN)


class InspectionTask(models.Model):
    """An inspection to do at one place by a due date, from a campaign or the place's frequency."""

    site = models.ForeignKey(Site, verbose_name=_("place"), on_delete=models.PROTECT, related_name="inspection_tasks")
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=TaskOrigin.choices)
    checklist = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), null=True, blank=True, on_delete=models.PROTECT
    )
    assignee_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="inspection_tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "site"], condition=Q(campaign__isnull=False), name="task_one_per_campaign_site"
            ),
            # The frequency job plans one open routine inspection per place at a time.
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(origin="frequency", status="open"),
                name="task_one_open_frequency_per_site",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee_unit", "status", "due_on"], name="task_unit_status_due_idx"),
            models.Index(fields=["site", "status"], name="task_site_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.due_on:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < timezone.localdate()


# --- inspections ---------------------------------------------------------------------------


class Inspection(models.Model):
    """One visit to one place (排查/检查): who, when, where (GPS), what each check found."""

    site = models.ForeignKey(Site, verbose_name=_("place"), on_delete=models.PROTECT, related_name="inspections")
    task = models.OneToOneField(
        InspectionTask,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.IN_PROGRESS
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("inspecting unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="inspections_made"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    position_accuracy = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = SiteLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["site", "started_at"], name="inspection_site_started_idx")]

    def __str__(self) -> str:
        return f"{self.site} · {timezone.localtime(self.started_at):%Y-%m-%d}"

    @property
    def self_reported(self) -> bool:
        return self.kind == InspectionKind.SELF


class InspectionAnswer(models.Model):
    """The answer to one checklist item: 符合 / 不符合 / 不适用, with a note."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("check"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=AnswerResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["item__order", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_one_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


# --- hazards --------------------------------------------------------------------------------


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
        return self.escalated_at is not None

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


class RectificationNotice(models.Model):
    """整改通知书: a numbered order to rectify by a deadline, with its legal basis."""

    hazard = models.OneToOneField(Hazard, on_delete=models.PROTECT, related_name="notice")
    number = models.CharField(_("number"), max_length=60, unique=True)
    issuing_unit = models.ForeignKey(OrgUnit, verbose_name=_("issuing unit"), on_delete=models.PROTECT)
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

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.hazard} · {self.get_result_display()}"


class Escalation(models.Model):
    """挂牌督办: a hazard placed under named supervision with a new deadline (overdue or major)."""

    class Reason(models.TextChoices):
        MAJOR = "major", _("Major hazard")
        OVERDUE = "overdue", _("Rectification overdue")
        OTHER = "other", _("Decided by the supervisor")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="escalations")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    supervising_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("supervising unit"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_official = models.CharField(_("named responsible official"), max_length=100)
    previous_deadline = models.DateField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"))
    note = models.TextField(_("note"), blank=True)
    automatic = models.BooleanField(_("by the platform"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("escalated supervision")
        verbose_name_plural = _("escalated supervisions")

    def __str__(self) -> str:
        return f"{self.hazard} · {self.responsible_official}"


class EnforcementAction(models.Model):
    """Enforcement against a place that refuses or fails rectification: a suspension order, then a
    closure request decided by the safety office on behalf of the district government."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="enforcement_actions")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="enforcement_actions")
    kind = models.CharField(_("kind"), max_length=20, choices=EnforcementKind.choices)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    reason = models.TextField(_("reason"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issuing_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=20, choices=ClosureDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = SiteLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.site}"


# --- evidence ---------------------------------------------------------------------------------


def evidence_path(instance, filename: str) -> str:
    # Random names: the original file name is user input and is kept only as metadata.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A photo is served only to users who may see its hazard (or, before a hazard, its inspection)."""
        hazards = Hazard.objects.visible_to(user).values("pk")
        inspections = Inspection.objects.visible_to(user).values("pk")
        return self.filter(Q(hazard_id__in=hazards) | Q(hazard__isnull=True, inspection_id__in=inspections))


class Photo(models.Model):
    """An evidence photo, re-encoded on upload; EXIF time and position kept as metadata only."""

    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.FINDING)
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    answer = models.ForeignKey(InspectionAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=evidence_path, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=32, db_index=True)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    original_size = models.PositiveIntegerField(_("original size"), default=0)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name or self.file.name


# --- inspection frequency by risk level ---------------------------------------------------------


class InspectionFrequency(models.Model):
    """How often a place of a given current risk level is inspected in one district (STANDARDS §2: red at
    least monthly, orange quarterly, yellow half-yearly, blue yearly). Edited by the safety office; a district
    without rows uses :data:`anjian.inspections.standards.LEVEL_FREQUENCY_DAYS`."""

    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    days = models.PositiveSmallIntegerField(
        _("days between inspections"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["district_id", "days"]
        verbose_name = _("inspection frequency")
        verbose_name_plural = _("inspection frequencies")
        constraints = [
            models.UniqueConstraint(fields=["district", "level"], name="inspection_frequency_unique"),
            models.CheckConstraint(
                condition=Q(level__in=["red", "orange", "yellow", "blue"]), name="inspection_frequency_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.level} {self.days}"
