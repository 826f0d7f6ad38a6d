"""Evidence photos: every upload is checked in the request, stored as it came, and processed by a worker
(decoded, re-encoded without metadata, thumbnailed, hashed); a refused form deletes what it stored. Any photo
the loop keeps goes through :func:`store_photos`.

Why a worker: decoding costs time by pixels, about a second for a large photo, and a form post may carry
fifty. The request keeps the checks that must answer the uploader at once (size, count, format by content,
pixels from the header, structure), so a non-image or an over-cap photo is still refused in the form with
nothing saved. What only a full decode finds (damaged pixel data behind a sound structure) marks the photo
failed and tells its uploader.

The processing is idempotent: a photo that is no longer ``processing`` is left alone, and two runs of the same
photo at once give one result (the second finds it done under the row lock and drops its own files).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Sequence
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.core import notifications
from anjian.inspections import evidence
from anjian.inspections.choices import PhotoStage, PhotoStatus
from anjian.inspections.models import Photo

logger = logging.getLogger(__name__)

# The Celery task that processes one photo by id (anjian/inspections/tasks.py, registered at start-up by the
# app's ready()); queued by name because the tasks module imports these services.
PROCESS_TASK = "anjian.inspections.tasks.process_evidence_photo"
# A photo still processing this long after it was queued lost its message (a broker restarted) or its worker
# (killed): it is queued again. A worker takes about a second per photo, so this is a long backlog.
REQUEUE_AFTER = timedelta(minutes=10)
# Started this many times without finishing (each start killed its worker, or failed unexpectedly): given up,
# marked failed, and the uploader is told, instead of "processing" forever.
MAX_ATTEMPTS = 3
# Photos queued again (or given up) by one periodic run: a broker outage's backlog drains over a few runs.
REQUEUE_BATCH = 500

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
    """Check every upload first (nothing is stored if one is refused), then store each as it came, marked
    processing, and queue its processing when the transaction commits. ``owners`` are the
    inspection/answer/hazard/rectification.

    At most ``evidence.MAX_PHOTOS_AT_ONCE`` at a time, counted before any is read: every path (page, API)
    goes through here, so none can make one request read an album."""
    if len(uploads) > evidence.MAX_PHOTOS_AT_ONCE:
        raise ValidationError(
            {"photos": _("Choose at most %(count)s photos at a time.") % {"count": evidence.MAX_PHOTOS_AT_ONCE}},
            code="too_many",
        )
    checked = []
    try:
        for upload in uploads:
            checked.append(evidence.check_photo(upload))
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    photos = [keep_upload(actor=actor, checked=item, stage=stage, **owners) for item in checked]
    ids = [photo.pk for photo in photos]
    # After the commit: a worker must find the row, and a refused form must queue nothing. Robust: the upload is
    # committed whatever happens to the queueing (a broker down); the periodic retry queues it again.
    transaction.on_commit(lambda: queue_processing(ids), robust=True)
    return photos


def keep_upload(*, actor, checked: evidence.CheckedPhoto, stage: str = PhotoStage.FINDING, **owners) -> Photo:
    """Store a checked upload as it came, as a photo waiting for its processing (``store_photos`` then queues
    it after the commit)."""
    photo = Photo(
        stage=stage,
        status=PhotoStatus.PROCESSING,
        sha256=checked.sha256,
        original_name=checked.name[:200],
        original_size=len(checked.data),
        uploaded_by=actor,
        queued_at=timezone.now(),
        **owners,
    )
    photo.original.save(f"original.{checked.extension}", ContentFile(checked.data), save=False)
    _track(photo.original)
    photo.save()
    return photo


def _track(field_file) -> None:
    tracker = _stored_files.get()
    if tracker is not None:
        tracker.append((field_file.storage, field_file.name))


def queue_processing(photo_ids: Sequence[int]) -> None:
    """Queue the processing of each photo (run at once, in this process, without a broker). A photo that cannot be
    queued (the broker is down) or, run at once, fails unexpectedly is logged and stays processing: the periodic
    retry takes it again, and the other photos go on."""
    task = current_app.tasks[PROCESS_TASK]
    for pk in photo_ids:
        try:
            task.delay(pk)
        except Exception:
            logger.exception("photo %s: processing failed to start", pk)


def process_stored_photo(*, photo_id: int) -> str:
    """Decode, re-encode, thumbnail and hash one stored upload, and mark it ready (or failed, telling its
    uploader); return the photo's status afterwards ("missing" for a deleted photo).

    A photo that is not processing is left alone. The decoding runs outside any transaction and lock; the result
    is written under the row lock only if the photo is still processing, so a second run at once writes nothing.
    The stored messages are in the platform's language, as a worker writes them, also when this runs in a request.
    """
    with translation.override(settings.LANGUAGE_CODE):
        started = Photo.objects.filter(pk=photo_id, status=PhotoStatus.PROCESSING).update(attempts=F("attempts") + 1)
        if not started:
            return _status_of(photo_id)
        photo = Photo.objects.filter(pk=photo_id).first()
        if photo is None:  # deleted meanwhile (its inspection cancelled and removed)
            return "missing"
        try:
            data = _read_original(photo)
            processed = evidence.render_photo(evidence.check_photo(ContentFile(data), name=photo.original_name))
        except ValidationError as refused:
            return _fail(photo_id, reason=refused.messages[0])
        except FileNotFoundError:
            return _fail(photo_id, reason=_damaged(photo))
        return _finish(photo_id, processed)


def _status_of(photo_id: int) -> str:
    return Photo.objects.filter(pk=photo_id).values_list("status", flat=True).first() or "missing"


def _read_original(photo: Photo) -> bytes:
    if not photo.original:
        raise FileNotFoundError(photo.pk)
    with photo.original.open("rb") as handle:
        return handle.read(evidence.MAX_PHOTO_BYTES + 1)


def _damaged(photo: Photo) -> str:
    return str(evidence.MESSAGES["truncated"] % {"name": photo.original_name or "photo"})


def _finish(photo_id: int, processed: evidence.ProcessedPhoto) -> str:
    written: list = []
    try:
        with transaction.atomic():
            photo = Photo.objects.select_for_update().filter(pk=photo_id, status=PhotoStatus.PROCESSING).first()
            if photo is None:  # finished by another run meanwhile, or deleted
                return _status_of(photo_id)
            photo.file.save(f"photo.{processed.extension}", ContentFile(processed.content), save=False)
            written.append((photo.file.storage, photo.file.name))
            photo.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
            written.append((photo.thumbnail.storage, photo.thumbnail.name))
            photo.status = PhotoStatus.READY
            photo.content_type = processed.content_type
            photo.width, photo.height = processed.width, processed.height
            photo.phash = processed.phash
            photo.taken_at = processed.taken_at
            photo.latitude, photo.longitude = processed.latitude, processed.longitude
            _drop_original(photo)
            photo.save()
        written.clear()  # committed: the files are the photo's
    finally:
        for storage, name in written:  # the row was not updated: its new files belong to nobody
            with contextlib.suppress(OSError):
                storage.delete(name)
    return PhotoStatus.READY


def _drop_original(photo: Photo) -> None:
    """The upload carries EXIF, GPS and whatever else the phone wrote: deleted once the photo is processed,
    after the commit (a rolled-back run still needs it)."""
    if photo.original:
        storage, name = photo.original.storage, photo.original.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    photo.original = ""


def _fail(photo_id: int, *, reason: str) -> str:
    """Mark a processing photo failed with its reason and tell its uploader, about the hazard (or inspection) it
    belongs to, if they may still see it."""
    with transaction.atomic():
        photo = (
            Photo.objects.select_for_update(of=("self",))
            .select_related("hazard", "inspection__site")
            .filter(pk=photo_id, status=PhotoStatus.PROCESSING)
            .first()
        )
        if photo is None:
            return _status_of(photo_id)
        photo.status = PhotoStatus.FAILED
        photo.failure_reason = reason[: Photo._meta.get_field("failure_reason").max_length]
        _drop_original(photo)
        photo.save()
        _tell_uploader(photo)
    return PhotoStatus.FAILED


def _tell_uploader(photo: Photo) -> None:
    name = photo.original_name or _("photo")
    if photo.hazard_id:
        url = reverse("inspections:hazard_detail", args=[photo.hazard_id])
        title = _("The photo “%(name)s” of hazard “%(hazard)s” is damaged; upload it again.") % {
            "name": name,
            "hazard": str(photo.hazard)[:60],
        }
    elif photo.inspection_id:
        inspection = photo.inspection
        url = reverse("inspections:inspection_detail", args=[inspection.pk])
        title = _("The photo “%(name)s” of the inspection of %(site)s on %(date)s is damaged; upload it again.") % {
            "name": name,
            "site": inspection.site.name[:60],
            "date": timezone.localtime(inspection.started_at).date().isoformat(),
        }
    else:
        return
    notifications.tell(
        "inspections.photo_failed",
        about=photo,
        title=title,
        url=url,
        key=f"photo:{photo.pk}:failed",
    )


def retry_unfinished_photos(*, now=None) -> dict[str, int]:
    """Periodic: photos still processing ``REQUEUE_AFTER`` after they were queued are queued again (their message
    or their worker was lost), or, once started ``MAX_ATTEMPTS`` times, marked failed with their uploader told."""
    now = now or timezone.now()
    unfinished = Photo.objects.filter(status=PhotoStatus.PROCESSING, queued_at__lt=now - REQUEUE_AFTER)
    failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        exhausted = unfinished.filter(attempts__gte=MAX_ATTEMPTS).order_by("queued_at")
        for pk, name in list(exhausted.values_list("pk", "original_name")[:REQUEUE_BATCH]):
            reason = _("“%(name)s” could not be processed; upload the photo again.") % {"name": name or _("photo")}
            failed += _fail(pk, reason=reason) == PhotoStatus.FAILED
    again = list(
        unfinished.filter(attempts__lt=MAX_ATTEMPTS).order_by("queued_at").values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    Photo.objects.filter(pk__in=again, status=PhotoStatus.PROCESSING).update(queued_at=now)
    queue_processing(again)
    return {"requeued": len(again), "failed": failed}
