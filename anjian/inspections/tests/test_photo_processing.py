"""Evidence photos are processed off the request: the request checks and stores the upload, a worker decodes,
re-encodes, thumbnails and hashes it (without a broker, in the same process once the upload commits). A photo
damaged behind a sound structure ends failed and only its uploader is told; running the processing twice gives
one result; a photo not ready shows its status on the pages, in the API and through its own URLs, never a
broken image."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.core.models import Notification
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import evidence, services
from anjian.inspections.choices import AnswerResult, PhotoStage, PhotoStatus
from anjian.inspections.models import Hazard, Photo
from anjian.inspections.services import photos as photo_services
from anjian.inspections.tasks import process_evidence_photo, retry_unfinished_photos
from anjian.inspections.testing import (
    damaged_photo,
    found_hazard,
    loop_place,
    photo,
    process_photos,
    short_checklist,
)

pytestmark = pytest.mark.django_db

PROCESSING_ZH = "处理中"
DAMAGED_ZH = "照片损坏，请重新上传"


def _stored(folder: str) -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / folder
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
    return client


@shared_fixture
def place(cast):
    return loop_place(cast)


@shared_fixture
def checklist(cast):
    return short_checklist(cast)


@shared_fixture
def pending(cast, place, checklist):
    """A hazard whose two photos are not ready: one still processing, one the worker found damaged."""
    inspection = services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)
    answer = services.record_answer(
        actor=cast.street_officer,
        inspection=inspection,
        item=checklist.items.order_by("order").first(),
        result=AnswerResult.NONCOMPLIANT,
        photos=[photo(5), damaged_photo("坏.png")],
    )
    waiting, damaged = answer.photos.order_by("id")
    assert process_evidence_photo(damaged.pk) == PhotoStatus.FAILED
    return {"inspection": inspection, "hazard": answer.hazard, "waiting": waiting, "damaged": damaged}


@pytest.fixture
def inspection(cast, place, checklist):
    return services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)


# --- the request and the processing ----------------------------------------------------------------------------


def test_an_api_post_stores_the_upload_and_the_photo_is_ready_after_the_commit(
    cast, client_for, inspection, checklist, django_capture_on_commit_callbacks
):
    item = checklist.items.order_by("order").first()
    originals = _stored("evidence-originals")
    client = _api(cast.street_officer)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            f"/api/inspections/{inspection.pk}/answers/",
            {"item": item.pk, "result": "compliant", "photos": [photo(1, name="灭火器.jpg")]},
        )
    assert response.status_code == 201
    assert queued  # the processing was queued when the answer committed, not run inside it

    stored = Photo.objects.get()
    assert stored.status == PhotoStatus.READY and stored.attempts == 1 and stored.failure_reason == ""
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 800, 600)
    assert len(stored.phash) == 16 and stored.original_name == "灭火器.jpg"
    # The upload, with its EXIF, is gone once the re-encoded copy is stored.
    assert not stored.original and _stored("evidence-originals") == originals

    read = client.get(f"/api/inspections/{inspection.pk}/").json()
    shown = read["answers"][0]["photos"][0]
    assert (shown["status"], shown["status_display"], shown["failure_reason"]) == ("ready", "已处理", "")
    served = client_for(cast.street_officer).get(shown["thumbnail_url"])
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_the_request_keeps_refusing_what_the_cheap_checks_see(cast, inspection, checklist):
    item = checklist.items.order_by("order").first()
    response = _api(cast.street_officer).post(
        f"/api/inspections/{inspection.pk}/answers/",
        {"item": item.pk, "result": "noncompliant", "photos": [photo(2), SimpleUploadedFile("说明.jpg", b"text")]},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["“说明.jpg”不是照片：只接受 JPEG、PNG 和 WebP 格式的图片。"]
    assert not Photo.objects.exists() and not Hazard.objects.exists()


def test_a_photo_damaged_behind_a_sound_structure_fails_and_only_its_uploader_is_told(
    cast, client_for, inspection, checklist, django_capture_on_commit_callbacks
):
    items = list(checklist.items.order_by("order"))
    data = {"note": "检查完毕"}
    for item, result in zip(items, ["noncompliant", "compliant", "not_applicable"], strict=True):
        data[f"item-{item.pk}-result"] = result
    data[f"photos-{items[0].pk}"] = [damaged_photo("仓库.png")]
    data[f"hazard-{items[0].pk}-location"] = "二号仓库"
    data[f"hazard-{items[0].pk}-grade"] = "general"
    originals = _stored("evidence-originals")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.street_officer).post(
            reverse("inspections:inspection_record", args=[inspection.pk]), data
        )
    # Its structure is sound: the form accepts it, as it does any photo whose pixels it has not decoded.
    assert response.status_code == 302

    hazard = Hazard.objects.get()
    failed = hazard.photos.get()
    assert failed.status == PhotoStatus.FAILED
    assert failed.failure_reason == "“仓库.png”已损坏或不完整，请重新上传照片。"
    assert not failed.original and not failed.file and _stored("evidence-originals") == originals

    told = Notification.objects.filter(kind="inspections.photo_failed")
    assert [(n.recipient_id, n.title, n.url) for n in told] == [
        (
            cast.street_officer.pk,
            f"隐患“{hazard}”的照片“仓库.png”已损坏，请重新上传。",
            reverse("inspections:hazard_detail", args=[hazard.pk]),
        )
    ]
    # Others who see the hazard were told of the hazard, not of its photo.
    assert Notification.objects.filter(kind="inspections.hazard_new", recipient=cast.department_officer).exists()


def test_processing_twice_gives_one_result(cast, inspection, checklist, django_capture_on_commit_callbacks):
    item = checklist.items.order_by("order").first()
    answer = services.record_answer(
        actor=cast.street_officer, inspection=inspection, item=item, result="compliant", photos=[photo(3)]
    )
    queued = answer.photos.get()
    assert queued.status == PhotoStatus.PROCESSING and queued.original and not queued.file and not queued.width

    assert process_evidence_photo(queued.pk) == "ready"
    first = Photo.objects.get(pk=queued.pk)
    files = _stored("evidence")
    assert process_evidence_photo(queued.pk) == "ready"
    again = Photo.objects.get(pk=queued.pk)
    assert (again.file.name, again.thumbnail.name, again.phash, again.attempts) == (
        first.file.name,
        first.thumbnail.name,
        first.phash,
        1,
    )
    assert _stored("evidence") == files

    damaged = photo_services.keep_upload(
        actor=cast.street_officer, checked=evidence.check_photo(damaged_photo()), inspection=inspection
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert process_evidence_photo(damaged.pk) == "failed"
        assert process_evidence_photo(damaged.pk) == "failed"
    assert Notification.objects.filter(kind="inspections.photo_failed").count() == 1
    assert process_evidence_photo(999_999) == "missing"


def test_unfinished_photos_are_queued_again_and_given_up_after_three_starts(cast, inspection):
    def kept(n: int, *, queued_minutes_ago: int, attempts: int = 0) -> Photo:
        kept = photo_services.keep_upload(
            actor=cast.street_officer, checked=evidence.check_photo(photo(n)), inspection=inspection
        )
        Photo.objects.filter(pk=kept.pk).update(
            queued_at=timezone.now() - timedelta(minutes=queued_minutes_ago), attempts=attempts
        )
        return kept

    lost = kept(1, queued_minutes_ago=11)
    hopeless = kept(2, queued_minutes_ago=11, attempts=photo_services.MAX_ATTEMPTS)
    recent = kept(3, queued_minutes_ago=2)

    assert retry_unfinished_photos() == {"requeued": 1, "failed": 1}
    statuses = dict(Photo.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "ready", hopeless.pk: "failed", recent.pk: "processing"}
    assert Photo.objects.get(pk=hopeless.pk).failure_reason == "“p2.jpg”无法处理，请重新上传照片。"
    assert retry_unfinished_photos() == {"requeued": 0, "failed": 0}


def test_verification_refuses_a_rectification_whose_photos_are_all_damaged(cast, place):
    hazard = found_hazard(cast, place, seed=4)
    services.issue_notice(
        actor=cast.street_officer, hazard=hazard, deadline=timezone.localdate(), legal_basis="《安全生产法》"
    )
    services.submit_rectification(
        actor=cast.enterprise, hazard=hazard, description="已整改", photos=[damaged_photo("整改后.png")]
    )
    process_photos()
    assert hazard.photos.get(stage=PhotoStage.AFTER).status == PhotoStatus.FAILED
    with pytest.raises(ValidationError) as refused:
        services.verify(actor=cast.street_officer, hazard=hazard)
    assert refused.value.messages == ["整改后的照片均已损坏：请退回整改，由整改单位重新提交照片。"]
    hazard.refresh_from_db()
    assert hazard.status == "submitted"


# --- a photo not ready, wherever it is shown --------------------------------------------------------------------


def test_the_pages_show_the_status_of_photos_not_ready(cast, client_for, pending, django_assert_max_num_queries):
    client = client_for(cast.department_officer)
    url = reverse("inspections:hazard_detail", args=[pending["hazard"].pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        content = client.get(url).content.decode()
    inspection_page = client.get(reverse("inspections:inspection_detail", args=[pending["inspection"].pk]))
    for page in (content, inspection_page.content.decode()):
        assert 'data-photo-status="processing"' in page and PROCESSING_ZH in page
        assert 'data-photo-status="failed"' in page and DAMAGED_ZH in page
        assert "“坏.png”已损坏或不完整，请重新上传照片。" in page  # the reason, on the failed one
        for shown in (pending["waiting"], pending["damaged"]):
            # No image or link that would break: the status stands where the thumbnail would.
            assert reverse("inspections:photo_thumbnail", args=[shown.pk]) not in page
            assert reverse("inspections:photo_file", args=[shown.pk]) not in page


@pytest.mark.parametrize("view", ["photo_file", "photo_thumbnail"])
def test_the_photo_urls_serve_an_image_of_the_status_within_scope(cast, client_for, pending, view):
    shown = {reverse(f"inspections:{view}", args=[pending["waiting"].pk]): PROCESSING_ZH}
    shown[reverse(f"inspections:{view}", args=[pending["damaged"].pk])] = DAMAGED_ZH
    client = client_for(cast.department_officer)
    for url, text in shown.items():
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert response["Cache-Control"] == "private, no-store"  # the photo itself appears once ready
        assert response["X-Content-Type-Options"] == "nosniff"
        body = response.content.decode()
        assert body.startswith("<svg") and text in body and "坏.png" not in body
    outsider = client_for(cast.other_street_officer)
    assert [outsider.get(url).status_code for url in shown] == [404, 404]
    anonymous = client_for(None)
    for url in shown:
        response = anonymous.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_api_gives_the_status_and_the_reason_of_photos_not_ready(cast, client_for, pending):
    client = _api(cast.department_officer)
    hazard = client.get(f"/api/hazards/{pending['hazard'].pk}/").json()
    inspection = client.get(f"/api/inspections/{pending['inspection'].pk}/").json()
    for photos in (hazard["photos"], inspection["answers"][0]["photos"]):
        by_status = {p["status"]: p for p in photos}
        assert set(by_status) == {"processing", "failed"}
        waiting, damaged = by_status["processing"], by_status["failed"]
        assert (waiting["status_display"], waiting["failure_reason"], waiting["width"]) == (PROCESSING_ZH, "", None)
        assert damaged["status_display"] == "已损坏"
        assert damaged["failure_reason"] == "“坏.png”已损坏或不完整，请重新上传照片。"
        assert resolve(waiting["thumbnail_url"].split("testserver", 1)[-1]).url_name == "photo_thumbnail"
        # The URLs serve an image of the status (in the browser's session), not a broken image.
        assert client_for(cast.department_officer).get(damaged["url"])["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert _api(cast.other_street_officer).get(f"/api/hazards/{pending['hazard'].pk}/").status_code == 404
    assert _api(None).get(f"/api/hazards/{pending['hazard'].pk}/").status_code == 401


def test_the_schema_documents_the_status_of_a_photo(cast):
    schema = _api(cast.street_officer).get("/api/schema/", {"format": "json"}).json()
    photo_schema = schema["components"]["schemas"]["Photo"]["properties"]
    assert photo_schema["status"]["allOf"][0]["$ref"] == "#/components/schemas/PhotoStatusEnum"
    assert schema["components"]["schemas"]["PhotoStatusEnum"]["enum"] == ["processing", "ready", "failed"]
    assert photo_schema["failure_reason"]["type"] == "string"
    assert photo_schema["width"]["nullable"] is True and photo_schema["height"]["nullable"] is True
    assert "not ready" in photo_schema["thumbnail_url"]["description"]
