"""Campaigns (专项整治、大检查), inspection tasks, and the district's inspection frequency by risk level."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel
from anjian.inspections.choices import CampaignKind, TaskOrigin, TaskStatus
from anjian.inspections.models.checklists import ChecklistTemplate
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.choices import RiskLevel
from anjian.registry.models import Site
from anjian.registry.scoping import SiteLinkedQuerySet, site_scope_q

_NOTHING = Q(pk__in=[])


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
