"""A real Celery worker, over the real Redis broker, processes an evidence photo it receives by id only: the
deployment mode, where the worker is another process (and could be another machine) sharing the database and
the media storage. Without a broker the same task runs in-process once the upload commits (see
test_photo_processing)."""

from __future__ import annotations

import time
from io import BytesIO

import pytest
from PIL import Image

from anjian.accounts.testing import build_cast
from anjian.core.models import Notification
from anjian.core.tests.test_celery_worker import worker  # noqa: F401 - the real worker fixture
from anjian.inspections import evidence, services
from anjian.inspections.choices import PhotoStatus
from anjian.inspections.models import Photo
from anjian.inspections.services import photos
from anjian.inspections.testing import damaged_photo, loop_place, photo, short_checklist
from anjian.organizations.services import ensure_sectors

pytestmark = pytest.mark.worker


def _process(client, queue, process, photo_id: int, timeout=90):
    result = client.send_task(photos.PROCESS_TASK, args=[photo_id], queue=queue)
    deadline = time.monotonic() + timeout
    while not result.ready():
        if process.poll() is not None:
            pytest.fail("the worker died:\n" + (process.stdout.read() if process.stdout else ""))
        if time.monotonic() > deadline:
            pytest.fail("the worker did not answer in time")
        time.sleep(0.2)
    return result.get(timeout=5)


def test_the_worker_processes_a_queued_photo_over_redis(worker):  # noqa: F811
    client, queue, process = worker
    # Transactional tests start from a flushed database: load the reference sectors again.
    ensure_sectors()
    cast = build_cast()
    inspection = services.start_inspection(
        actor=cast.street_officer, site=loop_place(cast), checklist=short_checklist(cast)
    )
    # As the request leaves it: checked, the upload stored, processing (store_photos would also queue it, which
    # without a broker in this process means at once, here).
    queued = photos.keep_upload(
        actor=cast.street_officer, checked=evidence.check_photo(photo(7)), inspection=inspection
    )
    original = queued.original.name
    assert queued.status == PhotoStatus.PROCESSING and queued.original.storage.exists(original)

    assert _process(client, queue, process, queued.pk) == "ready"
    ready = Photo.objects.get(pk=queued.pk)
    assert (ready.status, ready.attempts, ready.content_type, ready.width) == ("ready", 1, "image/jpeg", 800)
    assert len(ready.phash) == 16
    with ready.thumbnail.open("rb") as handle, Image.open(BytesIO(handle.read())) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == evidence.THUMBNAIL_LONG_SIDE
    # The worker deleted the upload, with its EXIF, once its commit was done.
    assert not ready.original and not ready.file.storage.exists(original)

    # Delivered again (acks_late): the photo is ready, the worker leaves it as it is.
    assert _process(client, queue, process, queued.pk) == "ready"
    assert Photo.objects.get(pk=queued.pk).file.name == ready.file.name

    # Damaged behind a sound structure: failed in the worker, and its uploader told from there.
    broken = photos.keep_upload(
        actor=cast.street_officer, checked=evidence.check_photo(damaged_photo("仓库.png")), inspection=inspection
    )
    assert _process(client, queue, process, broken.pk) == "failed"
    broken = Photo.objects.get(pk=broken.pk)
    assert broken.failure_reason == "“仓库.png”已损坏或不完整，请重新上传照片。"
    told = Notification.objects.get(kind="inspections.photo_failed")
    assert told.recipient_id == cast.street_officer.pk and "“仓库.png”已损坏，请重新上传。" in told.title
