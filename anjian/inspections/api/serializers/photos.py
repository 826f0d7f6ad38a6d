"""Evidence photos in the API: a photo as read (served only through its scoped views) and several photos sent
under one multipart key."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from anjian.inspections import evidence
from anjian.inspections.models import Photo

# One request buffers every upload while each is checked by content: a field visit sends a few, not an album.
MAX_PHOTOS = evidence.MAX_PHOTOS_AT_ONCE


def absolute_url(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


class PhotoSerializer(serializers.ModelSerializer):
    """An evidence photo: served only through the scoped photo views, never from /media/.

    A photo is processed by a worker after upload: until ``status`` is ``ready`` its URLs serve an image saying
    "处理中" (processing) or "照片损坏，请重新上传" (damaged), and its size, type and EXIF fields are empty."""

    url = serializers.SerializerMethodField(
        help_text="The photo; while it is not ready, an SVG image showing its status instead."
    )
    thumbnail_url = serializers.SerializerMethodField(
        help_text="A JPEG at most 320 pixels on its long side; while the photo is not ready, an SVG image showing "
        "its status instead."
    )
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Photo
        fields = [
            "id",
            "stage",
            "stage_display",
            "status",
            "status_display",
            "failure_reason",
            "url",
            "thumbnail_url",
            "content_type",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded_at",
            "answer",
            "rectification",
        ]
        read_only_fields = fields

    def get_url(self, photo: Photo) -> str:
        return absolute_url(self.context, reverse("inspections:photo_file", args=[photo.pk]))

    def get_thumbnail_url(self, photo: Photo) -> str:
        return absolute_url(self.context, reverse("inspections:photo_thumbnail", args=[photo.pk]))


class PhotosField(serializers.ListField):
    """Several files under the same multipart key "photos"; each is checked by content by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(child=serializers.FileField(), max_length=MAX_PHOTOS, **kwargs)
