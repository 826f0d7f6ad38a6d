"""Photos cost time by their pixels and their number: a photo larger than a phone camera's is refused from its
header before it is decoded, and a request carrying more photos than a field visit needs is refused before any
is decoded — each with a clear message in Chinese and nothing saved, on the page and through the API."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.inspections import evidence, services
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Hazard, InspectionAnswer, Photo
from anjian.inspections.testing import loop_place, photo, short_checklist, zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(cast):
    return short_checklist(cast)


@pytest.fixture
def inspection(cast, checklist):
    return services.start_inspection(actor=cast.street_officer, site=loop_place(cast), checklist=checklist)


def _png(width: int, height: int, name: str = "截图.png") -> SimpleUploadedFile:
    """A real, fully decodable PNG of one colour: a few hundred KB declaring width×height pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def _pixels_message(name: str) -> str:
    with translation.override("zh-hans"):
        return str(evidence.MESSAGES["too_many_pixels"] % {"name": name, "limit_megapixels": 25})


def _evidence_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _nothing_saved(inspection, files_before: set[Path]) -> None:
    assert not Photo.objects.exists() and not InspectionAnswer.objects.exists() and not Hazard.objects.exists()
    assert _evidence_files() == files_before
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_the_cap_is_what_a_phone_camera_produces():
    assert settings.EVIDENCE_MAX_PIXELS == evidence.MAX_PIXELS == 25_000_000
    assert Image.MAX_IMAGE_PIXELS == evidence.MAX_PIXELS  # Pillow's own guard agrees


def test_a_30_megapixel_png_of_a_few_hundred_kb_is_refused_from_its_header_at_once():
    upload = _png(6000, 5000)
    assert upload.size < 400_000
    started = time.monotonic()
    with pytest.raises(evidence.ValidationError) as refused:
        evidence.process_photo(upload)
    # Decoding and resizing 30 million pixels takes a second or more; reading the header takes a millisecond.
    assert time.monotonic() - started < 0.5
    assert refused.value.code == "too_many_pixels"


def test_the_cap_itself_passes_the_header_check():
    # Exactly 25 MP passes the pixel check (this PNG's data then proves too short); one row more does not.
    at_cap = SimpleUploadedFile("a.png", _declaring(5000, 5000), "image/png")
    over = SimpleUploadedFile("b.png", _declaring(5000, 5001), "image/png")
    for upload, code in ((at_cap, "truncated"), (over, "too_many_pixels")):
        with pytest.raises(evidence.ValidationError) as refused:
            evidence.process_photo(upload)
        assert refused.value.code == code


def _declaring(width: int, height: int) -> bytes:
    from anjian.inspections.tests.test_evidence import _png_declaring

    return _png_declaring(width, height)


def test_a_recent_iphones_default_24_megapixel_photo_is_accepted_at_the_stored_size():
    data = evidence.sample_photo(seed=3, label="24MP", size=(5712, 4284))
    stored = evidence.process_photo(SimpleUploadedFile("IMG_0001.jpg", data, "image/jpeg"))
    assert (stored.width, stored.height) == (2560, 1920)
    # Decoded at a quarter of its pixels (JPEG draft), it is the picture a full decode and resize would give.
    with Image.open(io.BytesIO(data)) as full:
        buffer = io.BytesIO()
        full.resize((2560, 1920), Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=95)
    reference = evidence.process_photo(SimpleUploadedFile("ref.jpg", buffer.getvalue(), "image/jpeg"))
    assert evidence_distance(stored.phash, reference.phash) <= 4


def evidence_distance(first: str, second: str) -> int:
    return bin(int(first, 16) ^ int(second, 16)).count("1")


def _form(checklist, photos_per_item: int, photos_per_extra: int) -> dict:
    items = list(checklist.items.order_by("order"))
    data = {"note": "检查完毕"}
    n = 0
    for item in items:
        data[f"item-{item.pk}-result"] = "compliant"
        data[f"photos-{item.pk}"] = [photo(n := n + 1) for _ in range(photos_per_item)]
    for block in (1, 2, 3):
        if photos_per_extra:
            data[f"extra-{block}-title"] = f"额外隐患{block}"
            data[f"extra-{block}-photos"] = [photo(n := n + 1) for _ in range(photos_per_extra)]
    return data


def test_the_field_form_refuses_more_photos_than_one_submission_takes(cast, client_for, inspection, checklist):
    data = _form(checklist, photos_per_item=10, photos_per_extra=10)  # 60 photos, 10 per field
    before = _evidence_files()
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_record", args=[inspection.pk]), data
    )
    assert response.status_code == 200
    message = zh(
        "This submission carries %(count)s photos; at most %(limit)s are accepted at once. Keep the photos "
        "that show the findings best."
    ) % {"count": 60, "limit": 50}
    assert message in response.content.decode()
    _nothing_saved(inspection, before)


def test_the_field_form_refuses_more_than_ten_photos_for_one_item(cast, client_for, inspection, checklist):
    data = _form(checklist, photos_per_item=1, photos_per_extra=0)
    first = checklist.items.order_by("order").first()
    data[f"photos-{first.pk}"] = [photo(100 + n) for n in range(11)]
    before = _evidence_files()
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_record", args=[inspection.pk]), data
    )
    assert response.status_code == 200
    assert zh("Choose at most %(count)s photos at a time.") % {"count": 10} in response.content.decode()
    _nothing_saved(inspection, before)


def test_the_field_form_refuses_an_oversized_png_with_its_name(cast, client_for, inspection, checklist):
    data = _form(checklist, photos_per_item=1, photos_per_extra=0)
    first = checklist.items.order_by("order").first()
    data[f"photos-{first.pk}"] = [_png(6000, 5000, name="全景.png")]
    before = _evidence_files()
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_record", args=[inspection.pk]), data
    )
    assert response.status_code == 200
    assert _pixels_message("全景.png") in response.content.decode()
    _nothing_saved(inspection, before)


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
    return client


def test_the_api_refuses_an_oversized_png_and_too_many_photos(cast, inspection, checklist):
    item = checklist.items.order_by("order").first()
    url = f"/api/inspections/{inspection.pk}/answers/"
    client = _api(cast.street_officer)
    before = _evidence_files()
    response = client.post(url, {"item": item.pk, "result": "noncompliant", "photos": [_png(6000, 5000, "全景.png")]})
    assert response.status_code == 400
    assert _pixels_message("全景.png") in response.content.decode()
    _nothing_saved(inspection, before)

    photos = [photo(n) for n in range(11)]
    response = client.post(url, {"item": item.pk, "result": "noncompliant", "photos": photos})
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["该字段不能超过 10 个元素。"]
    _nothing_saved(inspection, before)


def test_the_service_counts_photos_whatever_the_caller(cast, inspection, checklist):
    """A caller that skips the form's and the serializer's limits (a future page, a script) meets the service's."""
    item = checklist.items.order_by("order").first()
    before = _evidence_files()
    with pytest.raises(evidence.ValidationError) as refused:
        services.record_answer(
            actor=cast.street_officer,
            inspection=inspection,
            item=item,
            result="noncompliant",
            photos=[photo(n) for n in range(11)],
        )
    assert refused.value.message_dict["photos"] == [zh("Choose at most %(count)s photos at a time.") % {"count": 10}]
    _nothing_saved(inspection, before)
