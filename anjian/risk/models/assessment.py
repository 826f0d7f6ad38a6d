"""Risk assessment of a place (风险分级管控, STANDARDS §2): the assessment with its risk points graded by
LEC or LS, the district's colour bands, and nothing else. The place's current (dynamic) level is written
to ``Site.risk_level`` by :mod:`anjian.risk.levels`.

A new assessment never replaces an old one: the history stays, and the latest (by ``assessed_on``, then id)
is the current one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accidents.choices import AccidentType
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import RiskLevel
from anjian.registry.models import Site
from anjian.registry.scoping import SiteLinkedQuerySet
from anjian.risk import standards
from anjian.risk.standards import LecClass, RiskMethod, lec_class

__all__ = ["RiskAssessment", "RiskBandThreshold", "RiskMethod", "RiskPoint"]


class RiskAssessmentQuerySet(SiteLinkedQuerySet):
    """An assessment is visible to whoever sees its place (the registry's rules)."""

    def latest_first(self):
        return self.order_by("-assessed_on", "-id")


class RiskAssessment(models.Model):
    """One assessment of a place: its risk points, each graded by LEC or LS; the assessment's level is the
    worst point's (STANDARDS §2). Kept for ever; the latest is the place's assessed level."""

    site = models.ForeignKey(Site, verbose_name=_("place"), on_delete=models.CASCADE, related_name="risk_assessments")
    # Copied from the place so district tables and the set-based recompute need no join.
    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    method_summary = models.CharField(_("method"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    level = models.CharField(_("assessed level"), max_length=10, choices=RiskLevel.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        indexes = [
            models.Index(fields=["site", "assessed_on", "id"], name="risk_assess_site_latest_idx"),
            models.Index(fields=["district", "level"], name="risk_assess_district_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.assessed_on:%Y-%m-%d}"


class RiskPointQuerySet(SiteLinkedQuerySet):
    site_field = "assessment__site"


class RiskPoint(models.Model):
    """A risk point (风险点) of an assessment: an activity or installation, its GB 6441 accident type, the
    controls in place, and its grading: D = L × E × C (LEC) or R = L × S (LS), coloured by the district's
    bands."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("activity or installation"), max_length=200)
    accident_type = models.CharField(_("accident type"), max_length=30, choices=AccidentType.choices)
    controls = models.TextField(_("existing control measures"), blank=True)
    method = models.CharField(_("method"), max_length=5, choices=RiskMethod.choices)
    lec_l = models.DecimalField(
        _("L (likelihood)"), max_digits=4, decimal_places=1, choices=standards.LEC_LIKELIHOOD, null=True, blank=True
    )
    lec_e = models.DecimalField(
        _("E (exposure)"), max_digits=4, decimal_places=1, choices=standards.LEC_EXPOSURE, null=True, blank=True
    )
    lec_c = models.DecimalField(
        _("C (consequence)"), max_digits=4, decimal_places=1, choices=standards.LEC_CONSEQUENCE, null=True, blank=True
    )
    ls_l = models.PositiveSmallIntegerField(_("L (likelihood)"), choices=standards.LS_LIKELIHOOD, null=True, blank=True)
    ls_s = models.PositiveSmallIntegerField(_("S (severity)"), choices=standards.LS_SEVERITY, null=True, blank=True)
    # D (LEC) or R (LS); computed by the service, never typed.
    score = models.DecimalField(_("score (D or R)"), max_digits=9, decimal_places=2)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)

    objects = RiskPointQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_id", "id"]
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")

    def __str__(self) -> str:
        return self.name

    @property
    def lec_class(self) -> LecClass | None:
        """The LEC danger class of the score (稍有危险 … 极其危险); None for a risk-matrix point."""
        return lec_class(self.score) if self.method == RiskMethod.LEC and self.score is not None else None

    @property
    def factors_display(self) -> str:
        if self.method == RiskMethod.LEC:
            return f"L={self.lec_l.normalize():f} E={self.lec_e.normalize():f} C={self.lec_c.normalize():f}"
        return f"L={self.ls_l} S={self.ls_s}"


class RiskBandThreshold(models.Model):
    """One lower bound of a colour band for one method in one district (STANDARDS §2: provinces differ, so
    the safety office edits them). Missing rows fall back to :data:`anjian.risk.standards.DEFAULT_BANDS`.
    LEC bounds are exceeded (D > bound), LS bounds reached (R ≥ bound)."""

    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("method"), max_length=5, choices=RiskMethod.choices)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    lower_bound = models.DecimalField(
        _("lower bound"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["district_id", "method", "-lower_bound"]
        verbose_name = _("risk band threshold")
        verbose_name_plural = _("risk band thresholds")
        constraints = [
            models.UniqueConstraint(fields=["district", "method", "level"], name="risk_band_unique"),
            models.CheckConstraint(condition=Q(level__in=list(standards.BANDED_LEVELS)), name="risk_band_banded_level"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.method} {self.level} {self.lower_bound}"
