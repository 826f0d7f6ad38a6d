"""City safety risk assessment (城市安全风险评估): assessment units, their indicators and weights, and the
yearly snapshots of the ranking of districts and of streets.

The method (STANDARDS §2 spirit, the issue's part 6): each indicator is computed from the records per area,
normalised min–max to 0–100 across the compared areas, weighted within its unit; a unit's score is the weighted
sum of its normalised indicators, the overall score the weighted sum of the unit scores. Weights are entered
directly or derived from an AHP pairwise-comparison matrix (:mod:`anjian.risk.ahp`); the derived weights are
stored in the same ``weight`` fields, the matrix is kept beside them so the derivation can be read and redone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel
from anjian.organizations.models import OrgUnit

__all__ = [
    "IndicatorDirection",
    "RiskIndicator",
    "RiskScheme",
    "RiskSnapshot",
    "RiskSnapshotQuerySet",
    "RiskUnit",
    "WeightingMethod",
]


class WeightingMethod(models.TextChoices):
    DIRECT = "direct", _("Entered directly")
    AHP = "ahp", _("Derived by AHP")


class IndicatorDirection(models.TextChoices):
    """Whether a larger value means more risk (deaths) or less (a rectification rate)."""

    POSITIVE = "positive", _("Higher value, higher risk")
    NEGATIVE = "negative", _("Higher value, lower risk")


class RiskScheme(models.Model):
    """The city's assessment scheme: how the unit weights are set (one row per city)."""

    city = models.OneToOneField(OrgUnit, verbose_name=_("city"), on_delete=models.CASCADE, related_name="risk_scheme")
    unit_weighting = models.CharField(
        _("unit weighting"), max_length=10, choices=WeightingMethod.choices, default=WeightingMethod.DIRECT
    )
    # Saaty-scale pairwise comparisons of the units, as entered ("3", "1/5"), in the units' order.
    unit_matrix = models.JSONField(_("AHP matrix of the units"), null=True, blank=True)
    unit_matrix_order = models.JSONField(_("units of the AHP matrix"), null=True, blank=True)
    consistency_ratio = models.DecimalField(
        _("consistency ratio"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk assessment scheme")
        verbose_name_plural = _("risk assessment schemes")

    def __str__(self) -> str:
        return str(self.city)


class RiskUnit(models.Model):
    """An assessment unit (评估单元) of the city, e.g. 人员密集场所单元; its sectors and accident categories
    say which records its indicators count."""

    city = models.ForeignKey(OrgUnit, verbose_name=_("city"), on_delete=models.CASCADE, related_name="risk_units")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4, default=0)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    accident_categories = models.JSONField(_("accident categories"), default=list, blank=True)
    indicator_weighting = models.CharField(
        _("indicator weighting"), max_length=10, choices=WeightingMethod.choices, default=WeightingMethod.DIRECT
    )
    indicator_matrix = models.JSONField(_("AHP matrix of the indicators"), null=True, blank=True)
    indicator_matrix_order = models.JSONField(_("indicators of the AHP matrix"), null=True, blank=True)
    consistency_ratio = models.DecimalField(
        _("consistency ratio"), max_digits=6, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("assessment unit")
        verbose_name_plural = _("assessment units")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="risk_unit_unique_code"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="risk_unit_weight_0_1"),
        ]

    def __str__(self) -> str:
        return self.name


class RiskIndicator(models.Model):
    """One indicator of a unit: which computable indicator (``code``, a key of
    :data:`anjian.risk.city.INDICATORS`), its weight within the unit and its direction. ``sectors``, when
    given, narrows the records to those sectors instead of the unit's (high-rise buildings of a
    public-facilities unit)."""

    unit = models.ForeignKey(
        RiskUnit, verbose_name=_("assessment unit"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("indicator"), max_length=40)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4, default=0)
    direction = models.CharField(
        _("direction"), max_length=10, choices=IndicatorDirection.choices, default=IndicatorDirection.POSITIVE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["unit", "order", "id"]
        verbose_name = _("risk indicator")
        verbose_name_plural = _("risk indicators")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="risk_indicator_weight_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.code}"


class RiskSnapshotQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """The city publishes the ranking of its districts to every district; a district's street ranking is
        its own; a street reads its own rows only (not the other streets' scores)."""
        level = scope.level
        if level is ScopeLevel.CITY:
            return Q(city_id=scope.city_id)
        if level in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT):
            return Q(city_id=scope.city_id, area__kind="district") | Q(district_id=scope.district_id)
        if level is ScopeLevel.TERRITORY:
            return Q(city_id=scope.city_id, area__kind="district") | Q(area_id__in=scope.territory_ids)
        return Q(pk__in=[])


class RiskSnapshot(models.Model):
    """A year's score and rank of one area (a district among the city's, or a street/park among its district's)
    for one unit, or overall when ``unit`` is empty; ``explanation`` keeps the indicators behind the score
    (value, normalised, weight, contribution) so an old year reads as it was computed."""

    year = models.PositiveSmallIntegerField(_("year"))
    city = models.ForeignKey(OrgUnit, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(OrgUnit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="risk_snapshots")
    unit = models.ForeignKey(
        RiskUnit,
        verbose_name=_("assessment unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    of = models.PositiveSmallIntegerField(_("areas compared"))
    explanation = models.JSONField(_("explanation"), default=dict)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RiskSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["year", "unit", "rank"]
        verbose_name = _("risk ranking snapshot")
        verbose_name_plural = _("risk ranking snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "unit"], condition=Q(unit__isnull=False), name="risk_snapshot_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["year", "area"], condition=Q(unit__isnull=True), name="risk_snapshot_unique_overall"
            ),
        ]
        indexes = [models.Index(fields=["city", "year"], name="risk_snapshot_city_year_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.area} {self.unit or ''} {self.score}"
