"""Evidence photos of inspections, hazards and rectifications, stored under random names."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import PhotoStage
from anjian.inspections.models.hazards import Hazard, Rectification
from anjian.inspections.models.inspections import Inspection, InspectionAnswer


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

    stage = models.CharField(_("stage"), max_length=20, choices=PhotoStage.choices, default=PhotoStage.FINDING)
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
