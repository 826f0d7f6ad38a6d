"""Evidence photos: every upload is checked by content, re-encoded and stored with its thumbnail, and a
refused form deletes what it stored. Any photo the loop keeps goes through :func:`store_photos`."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from anjian.inspections import evidence
from anjian.inspections.choices import PhotoStage
from anjian.inspections.models import Photo

_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("anjian_stored_files", default=None)


@contextlib.contextmanager
def files_discarded_on_error():
    """Files are not part of the database transaction: when the block fails, delete the photos it stored,
    so a refused form leaves no orphan files behind in the storage."""
    saved: list = []
    token = _stored_files.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            with contextlib.suppress(OSError):  # best effort: the database row is gone either way
                storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def store_photos(*, actor, uploads: Sequence, stage: str = PhotoStage.FINDING, **owners) -> list[Photo]:
    """Check every upload by content first (nothing is stored if one is refused), then store them
    re-encoded with their thumbnails. ``owners`` are the inspection/answer/hazard/rectification.

    At most ``evidence.MAX_PHOTOS_AT_ONCE`` at a time, counted before any is decoded: every path (page, API)
    goes through here, so none can make one request decode an album."""
    if len(uploads) > evidence.MAX_PHOTOS_AT_ONCE:
        raise ValidationError(
            {"photos": _("Choose at most %(count)s photos at a time.") % {"count": evidence.MAX_PHOTOS_AT_ONCE}},
            code="too_many",
        )
    processed = []
    try:
        for upload in uploads:
            processed.append(evidence.process_photo(upload))
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    photos = []
    for item in processed:
        photo = Photo(
            stage=stage,
            content_type=item.content_type,
            width=item.width,
            height=item.height,
            sha256=item.sha256,
            phash=item.phash,
            original_name=(item.original_name or "")[:200],
            original_size=item.original_size,
            taken_at=item.taken_at,
            latitude=item.latitude,
            longitude=item.longitude,
            uploaded_by=actor,
            **owners,
        )
        photo.file.save(f"photo.{item.extension}", ContentFile(item.content), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(item.thumbnail), save=False)
        tracker = _stored_files.get()
        if tracker is not None:
            tracker += [(photo.file.storage, photo.file.name), (photo.thumbnail.storage, photo.thumbnail.name)]
        photo.save()
        photos.append(photo)
    return photos
