"""Field inspections (排查/检查): one visit to one place, and its answers to the checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import AnswerResult, HazardSource, InspectionKind, InspectionStatus
from anjian.inspections.models.campaigns import Campaign, InspectionTask
from anjian.inspections.models.checklists import ChecklistItem, ChecklistTemplate
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site
from anjian.registry.scoping import SiteLinkedQuerySet


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
    # How far the recorded position lay from the place's registered coordinates, kept whatever it is: a visit
    # recorded far from the place is shown as such, never refused (the place's coordinates may be the wrong ones).
    distance_m = models.PositiveIntegerField(_("distance from the place (m)"), null=True, blank=True)
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

    @property
    def far_from_site(self) -> bool:
        """The position was recorded further from the place than INSPECTION_DISTANCE_WARNING_METRES."""
        return self.distance_m is not None and self.distance_m > settings.INSPECTION_DISTANCE_WARNING_METRES


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
