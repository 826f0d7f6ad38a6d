"""Checklists (检查表) and their items, versioned: an inspection keeps the version it was made with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import HazardNature
from anjian.organizations.models import Sector


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
    # A finding (不符合) always needs a photo; this flag asks for one even when the item is compliant, for items
    # whose evidence is a document or sign on site (a licence, an inspection mark, a posted notice).
    photo_required = models.BooleanField(_("evidence photo even when compliant"), default=False)
    nature = models.CharField(_("nature"), max_length=20, choices=HazardNature.choices, blank=True)
    criteria_document = models.CharField(_("major hazard criteria"), max_length=200, blank=True)
    criteria_edition = models.CharField(_("edition"), max_length=60, blank=True)
    criteria_number = models.CharField(_("item number"), max_length=30, blank=True)
    # The text states the requirement (符合 = compliant); the criterion's own wording names the violation.
    criterion_text = models.CharField(_("wording of the criterion"), max_length=300, blank=True)

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
    def hazard_title(self) -> str:
        """What a 不符合 answer records: the criterion's wording for a major criterion, else the item's text."""
        return self.criterion_text or self.text

    @property
    def criterion_label(self) -> str:
        if not self.criteria_document:
            return ""
        return f"《{self.criteria_document}》（{self.criteria_edition}）{self.criteria_number}"
