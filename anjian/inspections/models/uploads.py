"""Photos chosen on a form that was refused, kept for their owner so the form can be sent again without choosing
them once more (a browser never refills a file input)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def provisional_path(instance, filename: str) -> str:
    # Random names, apart from the evidence: nothing here has been checked beyond its first bytes.
    return f"provisional/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ProvisionalUploadQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A kept photo is its owner's alone, and only until it expires: nobody else reads or claims it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user, expires_at__gt=timezone.now())


class ProvisionalUpload(models.Model):
    """A photo of a refused form, named in the re-shown form by its random token. Never served, never listed to
    anyone else; it becomes evidence only when the form is accepted (through services.store_photos) and is
    deleted then, or when it expires (PROVISIONAL_UPLOAD_HOURS)."""

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=provisional_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = ProvisionalUploadQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kept photo")
        verbose_name_plural = _("kept photos")

    def __str__(self) -> str:
        return self.original_name or self.token
