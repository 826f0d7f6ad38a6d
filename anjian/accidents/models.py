"""Accident records (事故): where, what, the casualties and loss, and the grade computed from them
(STANDARDS §4). Casualty corrections keep their history and re-grade the accident."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accidents import standards
from anjian.accidents.choices import AccidentCategory, AccidentGrade, AccidentType
from anjian.core.scoping import Scope, ScopedQuerySet, ScopeLevel
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site

_NOTHING = Q(pk__in=[])


class AccidentQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        """An accident carries its own district, street and sector (it may have no registered place):
        the city and district see theirs, a street its territory, a department its sectors, an
        enterprise the accidents at its own places."""
        level = scope.level
        if level is ScopeLevel.CITY:
            return Q(district__city_id=scope.city_id)
        if level is ScopeLevel.DISTRICT:
            return Q(district_id=scope.district_id)
        if level is ScopeLevel.TERRITORY:
            return Q(territory_id__in=scope.territory_ids)
        if level is ScopeLevel.DEPARTMENT:
            return Q(district_id=scope.district_id, sector_id__in=scope.sector_codes)
        if level is ScopeLevel.ENTERPRISE:
            return Q(site_id__in=Site.objects.for_scope(scope).values("pk"))
        return _NOTHING

    def with_list_columns(self):
        """What a row of the list, the export and the API shows, joined once (no query per row)."""
        return self.select_related("district", "territory", "site", "sector", "investigation")


class Accident(models.Model):
    """One accident. Its grade is computed from deaths, serious injuries and direct loss, never typed."""

    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey(
        OrgUnit, verbose_name=_("street or park"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="accidents"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="accidents"
    )
    category = models.CharField(_("category"), max_length=30, choices=AccidentCategory.choices)
    accident_type = models.CharField(_("accident type"), max_length=30, choices=AccidentType.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_at = models.DateTimeField(_("reported at"))
    late_report = models.BooleanField(_("reported late"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(_("serious injuries"), default=0)
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    direct_loss = models.DecimalField(
        _("direct economic loss (CNY)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    summary = models.TextField(_("summary"))
    grade = models.CharField(_("grade"), max_length=30, choices=AccidentGrade.choices, default=AccidentGrade.ORDINARY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        indexes = [
            models.Index(fields=["district", "category", "occurred_at"], name="accident_district_cat_idx"),
            models.Index(fields=["territory", "occurred_at"], name="accident_territory_idx"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d} {self.get_category_display()} {self.address}".strip()

    @property
    def injuries(self) -> int:
        """受伤人数 of the four indices: serious and minor injuries together."""
        return self.serious_injuries + self.minor_injuries

    @property
    def kept_apart(self) -> bool:
        """Simple-procedure road traffic accidents stay out of the district's statistics (STANDARDS §4)."""
        return self.category == AccidentCategory.ROAD_TRAFFIC_SIMPLE

    @property
    def correction_closes_at(self) -> datetime.datetime:
        """End of the window in which casualties may still change (条例 第十三条: 30 days, 7 for road and fire)."""
        return self.occurred_at + datetime.timedelta(days=standards.correction_days(self.category))

    @property
    def correction_open(self) -> bool:
        return timezone.now() <= self.correction_closes_at


class CasualtyCorrection(models.Model):
    """A later change of the casualty numbers or the loss (条例 第十三条), kept with the grade before and after."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="corrections")
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    grade_before = models.CharField(_("grade before"), max_length=30, choices=AccidentGrade.choices)
    grade_after = models.CharField(_("grade after"), max_length=30, choices=AccidentGrade.choices)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("casualty correction")
        verbose_name_plural = _("casualty corrections")

    def __str__(self) -> str:
        return f"{self.accident_id} · {self.corrected_at:%Y-%m-%d}"


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    CLOSED = "closed", _("Investigation closed")


class InvestigationQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope) -> Q:
        return Q(accident_id__in=Accident.objects.for_scope(scope).values("pk"))


class Investigation(models.Model):
    """The investigation of an accident under 四不放过 (STANDARDS §4): it closes only when the cause is
    established, the responsible persons handled, the corrective measures done and the people educated.
    Deadline 60 days from the accident, extended once by at most 60 days (条例 第二十九条)."""

    accident = models.OneToOneField(Accident, on_delete=models.PROTECT, related_name="investigation")
    status = models.CharField(
        _("status"), max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    lead_unit = models.ForeignKey(OrgUnit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    team = models.TextField(_("investigation team"))
    deadline = models.DateField(_("deadline"))
    extended_by_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # 1. 原因未查清不放过: the report that establishes the cause.
    cause = models.TextField(_("cause established"), blank=True)
    cause_report = models.CharField(_("investigation report (number or title)"), max_length=200, blank=True)
    cause_done_at = models.DateTimeField(_("cause established at"), null=True, blank=True)
    # 2. 责任人员未处理不放过: see the Accountability records.
    persons_done_at = models.DateTimeField(_("responsible persons handled at"), null=True, blank=True)
    # 3. 整改措施未落实不放过: see the CorrectiveMeasure records (linked to hazards or tasks of the hazard loop).
    measures_done_at = models.DateTimeField(_("corrective measures done at"), null=True, blank=True)
    # 4. 有关人员未受到教育不放过: see the EducationRecord records.
    education_done_at = models.DateTimeField(_("people educated at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")

    def __str__(self) -> str:
        return str(self.accident)

    @property
    def is_open(self) -> bool:
        return self.status == InvestigationStatus.OPEN

    @property
    def age_days(self) -> int:
        """Days since the accident: the 60-day deadline runs from the accident, not from the opening."""
        return (timezone.localdate() - timezone.localtime(self.accident.occurred_at).date()).days

    @property
    def days_left(self) -> int:
        """Days until the deadline; negative once it has passed."""
        return (self.deadline - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_left < 0


class Accountability(models.Model):
    """问责: a sanction decided against a responsible person or unit, as evidence of the second closure."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="accountabilities")
    person = models.CharField(_("person or unit"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    sanction = models.CharField(_("sanction"), max_length=200)
    decided_by = models.CharField(_("decided by"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("accountability action")
        verbose_name_plural = _("accountability actions")

    def __str__(self) -> str:
        return f"{self.person} · {self.sanction}"


class CorrectiveMeasure(models.Model):
    """A corrective measure of the third closure, done when its linked hazard is verified or its task done."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("measure"))
    hazard = models.ForeignKey(
        "inspections.Hazard",
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("inspection task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("corrective measure")
        verbose_name_plural = _("corrective measures")

    def __str__(self) -> str:
        return self.description[:60]


class EducationRecord(models.Model):
    """Training or warning education held after the accident, as evidence of the fourth closure."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="education")
    held_on = models.DateField(_("held on"))
    subject = models.CharField(_("subject"), max_length=200)
    audience = models.CharField(_("audience"), max_length=200)
    attendees = models.PositiveIntegerField(_("attendees"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("education record")
        verbose_name_plural = _("education records")

    def __str__(self) -> str:
        return self.subject
