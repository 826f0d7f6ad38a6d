"""Evidence photos of inspections, hazards and rectifications, stored under random names.

A photo is accepted in the request after the cheap checks (size, content, header pixels, structure) and its
upload is kept as ``original``; a worker decodes it, stores the re-encoded ``file`` and ``thumbnail`` with the
metadata read from it, and deletes the original (it carries EXIF, GPS and whatever else the phone wrote). Until
then the photo is ``processing``; a photo the decoder refuses is ``failed`` with its reason. Only a ``ready``
photo has a file to serve."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import PhotoStage, PhotoStatus
from anjian.inspections.models.hazards import Hazard, Rectification
from anjian.inspections.models.inspections import Inspection, InspectionAnswer


def evidence_path(instance, filename: str) -> str:
    # Random names: the original file name is user input and is kept only as metadata.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def original_path(instance, filename: str) -> str:
    # Kept apart from what is served: an upload waiting for its worker, never sent to a browser.
    return f"evidence-originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A photo is served only to users who may see its hazard (or, before a hazard, its inspection)."""
        hazards = Hazard.objects.visible_to(user).values("pk")
        inspections = Inspection.objects.visible_to(user).values("pk")
        return self.filter(Q(hazard_id__in=hazards) | Q(hazard__isnull=True, inspection_id__in=inspections))


class Photo(models.Model):
    """An evidence photo, re-encoded by a worker after upload; EXIF time and position kept as metadata only.

    ``file``, ``thumbnail``, ``content_type``, ``width``, ``height``, ``phash`` and the EXIF fields are filled when
    the photo becomes ``ready``; ``sha256`` and the original's name and size are known at upload."""

    stage = models.CharField(_("stage"), max_length=20, choices=PhotoStage.choices, default=PhotoStage.FINDING)
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    answer = models.ForeignKey(InspectionAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    status = models.CharField(_("status"), max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PROCESSING)
    # Why the worker refused the photo, in the platform's language, naming the file.
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    original = models.FileField(_("original upload"), upload_to=original_path, max_length=200, blank=True)
    # When the processing was last queued, and how many times a worker started it: a photo whose message was
    # lost is queued again, one that never finishes is marked failed (services.photos.retry_unfinished_photos).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=evidence_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=32, db_index=True, blank=True)
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
        indexes = [
            # The periodic retry looks only at unfinished photos: a small partial index, whatever the archive.
            models.Index(
                fields=["queued_at"], name="inspections_photo_unfinished", condition=Q(status=PhotoStatus.PROCESSING)
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_ready(self) -> bool:
        return self.status == PhotoStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == PhotoStatus.FAILED
