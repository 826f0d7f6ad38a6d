"""Major hazard installations (重大危险源) per GB 18218-2018 (STANDARDS §3): the catalogue of hazardous substances
with their critical quantities and correction factors, and the identified installations with S, R and level.

A ``MajorHazardSource`` row exists only for a chemical unit whose S = Σ q/Q reaches 1; it is written by
``anjian.risk.installations.identify_sites`` and never typed by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.organizations.models import OrgUnit
from anjian.registry.models import ChemicalUnit, Site
from anjian.registry.scoping import SiteLinkedQuerySet

__all__ = ["HazardousSubstance", "MajorHazardLevel", "MajorHazardSource", "MajorHazardSourceQuerySet"]


class HazardousSubstance(models.Model):
    """One entry of the GB 18218-2018 catalogue: a substance named in Table 1 (with its own Q, and β when it is a
    named toxic gas of Table 3), or a catalogue entry that only records a hazard category (Table 2 Q applies).

    ``beta`` blank means the category's β of Table 4 applies. ``source`` says where each value comes from, so an
    administrator can check it against the standard's text (STANDARDS marks Table 1 values "(check)").
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Other names a register may use for the same substance (液氯 for 氯, 天然气 for 甲烷), separated by 、 or ;.
    aliases = models.TextField(_("aliases"), blank=True)
    cas_number = models.CharField(_("CAS number"), max_length=12, blank=True, db_index=True)
    critical_quantity_t = models.DecimalField(_("critical quantity Q (t)"), max_digits=12, decimal_places=3)
    hazard_category = models.CharField(_("hazard category (GB 18218)"), max_length=10, blank=True)
    beta = models.DecimalField(_("correction factor β"), max_digits=5, decimal_places=2, null=True, blank=True)
    in_table1 = models.BooleanField(_("named in Table 1"), default=True)
    source = models.CharField(_("source of the values"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hazardous substance")
        verbose_name_plural = _("hazardous substances")
        constraints = [
            models.CheckConstraint(condition=Q(critical_quantity_t__gt=0), name="hazardous_substance_q_positive"),
            models.CheckConstraint(
                condition=Q(beta__isnull=True) | Q(beta__gt=0), name="hazardous_substance_beta_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        from anjian.risk.substances import split_aliases

        return split_aliases(self.aliases)


class MajorHazardLevel(models.TextChoices):
    """GB 18218-2018 §4.2.3: 一级 R ≥ 100; 二级 50 ≤ R < 100; 三级 10 ≤ R < 50; 四级 R < 10."""

    FIRST = "1", _("Level 1")
    SECOND = "2", _("Level 2")
    THIRD = "3", _("Level 3")
    FOURTH = "4", _("Level 4")


class MajorHazardSourceQuerySet(SiteLinkedQuerySet):
    """An installation is seen by whoever sees its place (the place's scoping rule, reused)."""


class MajorHazardSource(models.Model):
    """A chemical unit identified as a major hazard installation (GB 18218-2018: S ≥ 1), with its grading
    R = α · Σ β·q/Q and level. Rewritten whenever the unit's inventory changes and nightly."""

    site = models.ForeignKey(
        Site, verbose_name=_("place"), on_delete=models.CASCADE, related_name="major_hazard_sources"
    )
    unit = models.OneToOneField(
        ChemicalUnit, verbose_name=_("chemical unit"), on_delete=models.CASCADE, related_name="major_hazard_source"
    )
    # Copied from the place at identification, so district statistics need no join through the place.
    district = models.ForeignKey(OrgUnit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    s_value = models.DecimalField(_("S (Σ q/Q)"), max_digits=16, decimal_places=4)
    r_value = models.DecimalField(_("R (α·Σ β·q/Q)"), max_digits=16, decimal_places=4)
    alpha = models.DecimalField(_("correction factor α"), max_digits=3, decimal_places=1)
    # Unknown headcount: α = 2.0 is assumed (the conservative choice) and shown as assumed.
    people_within_500m = models.PositiveIntegerField(_("people within 500 m"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=1, choices=MajorHazardLevel.choices)
    identified_at = models.DateTimeField(_("identified at"), default=timezone.now)

    objects = MajorHazardSourceQuerySet.as_manager()

    class Meta:
        ordering = ["level", "-r_value", "id"]
        verbose_name = _("major hazard installation")
        verbose_name_plural = _("major hazard installations")
        indexes = [models.Index(fields=["district", "level"], name="mhs_district_level_idx")]

    def __str__(self) -> str:
        return f"{self.site} / {self.unit} ({self.get_level_display()})"

    @property
    def alpha_assumed(self) -> bool:
        return self.people_within_500m is None
