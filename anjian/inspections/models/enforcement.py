"""Escalated supervision (挂牌督办) and enforcement actions (责令停产停业整顿、提请关闭) on a hazard's place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import ClosureDecision, EnforcementKind
from anjian.inspections.models.hazards import Hazard
from anjian.organizations.models import OrgUnit
from anjian.registry.models import Site
from anjian.registry.scoping import SiteLinkedQuerySet


class Escalation(models.Model):
    """挂牌督办: a hazard placed under named supervision (overdue or major). It sets the hazard's deadline
    (a :class:`DeadlineChange` that names it) and keeps none of its own; the safety office lifts it (摘牌) when the
    hazard, verified on site, is closed."""

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
    note = models.TextField(_("note"), blank=True)
    automatic = models.BooleanField(_("by the platform"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_note = models.TextField(_("note on lifting"), blank=True)

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
