"""A refused form keeps the photos chosen on it: the enterprise's rectification refused for want of the major
hazard's plan, a fix on the spot without its description, the field form with an item unanswered. A kept photo is
its owner's only, expires, and becomes evidence (and stops being kept) when a form is accepted."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard, Photo, ProvisionalUpload
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist, zh

pytestmark = pytest.mark.django_db

PLAN = {
    "objectives": "消除混存",
    "methods": "分区分类",
    "funds_and_materials": "货架",
    "organisation": "安全科",
    "timeline": "30日",
    "safety_measures": "应急预案",
    "funds": "50000",
}


@shared_fixture
def place(cast):
    return loop_place(cast)


@shared_fixture
def major(cast, place):
    """A major hazard whose notice the enterprise has acknowledged: it may submit, once its plan is filed."""
    hazard = found_hazard(cast, place, major=True, seed=2)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    services.issue_notice(actor=cast.safety_officer, hazard=hazard, deadline=deadline, legal_basis="121号文")
    services.acknowledge_notice(actor=cast.enterprise, hazard=hazard)
    return hazard


def _action(hazard, name: str) -> str:
    return reverse("inspections:hazard_action", args=[hazard.pk, name])


def _kept_form(response):
    return next(form for form in response.context["action_forms"] if form.multipart and form.kept_uploads)


def _stored_names() -> set[str]:
    return {row.file.name for row in ProvisionalUpload.objects.all()}


def test_a_refused_rectification_keeps_its_photo_for_the_next_attempt(cast, client_for, major):
    enterprise = client_for(cast.enterprise)
    refused = enterprise.post(
        _action(major, "submit"), {"description": "已分区储存", "photos": [photo(21, name="整改后.jpg")]}
    )
    assert refused.status_code == 200
    body = refused.content.decode()
    assert zh("A major hazard needs its rectification plan (six elements and funds) first.") in body
    kept = ProvisionalUpload.objects.get()
    assert (kept.owner_id, kept.original_name) == (cast.enterprise.pk, "整改后.jpg")
    assert _kept_form(refused).kept_uploads == [kept]
    assert f'name="kept_photos" value="{kept.token}" checked' in body and "整改后.jpg" in body
    stored = kept.file.name
    assert kept.file.storage.exists(stored)

    assert enterprise.post(_action(major, "plan"), PLAN).status_code == 302
    # The second attempt sends the kept photo only: nothing is chosen again.
    done = enterprise.post(_action(major, "submit"), {"description": "已分区储存", "kept_photos": [kept.token]})
    assert done.status_code == 302
    major.refresh_from_db()
    assert major.status == HazardStatus.SUBMITTED
    rectification = major.rectifications.get()
    assert [p.original_name for p in rectification.photos.all()] == ["整改后.jpg"]
    assert not ProvisionalUpload.objects.exists()
    assert not kept.file.storage.exists(stored)


def test_a_kept_photo_and_a_new_one_go_together(cast, client_for, place):
    hazard = found_hazard(cast, place, seed=3)
    officer = client_for(cast.street_officer)
    refused = officer.post(_action(hazard, "fix_on_spot"), {"description": "", "photos": [photo(22)]})
    assert refused.status_code == 200
    token = ProvisionalUpload.objects.get().token
    done = officer.post(
        _action(hazard, "fix_on_spot"), {"description": "当场清理", "kept_photos": [token], "photos": [photo(23)]}
    )
    assert done.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).photos.filter(stage="after").count() == 2
    assert not ProvisionalUpload.objects.exists()


def test_an_unticked_kept_photo_is_left_out_and_goes_when_it_expires(cast, client_for, place):
    hazard = found_hazard(cast, place, seed=4)
    officer = client_for(cast.street_officer)
    officer.post(_action(hazard, "fix_on_spot"), {"description": "", "photos": [photo(24)]})
    unticked = ProvisionalUpload.objects.get()
    done = officer.post(_action(hazard, "fix_on_spot"), {"description": "当场清理", "photos": [photo(25)]})
    assert done.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).photos.filter(stage="after").count() == 1
    # Left out, it stays kept until it expires; the next keeping sweeps it away.
    assert ProvisionalUpload.objects.filter(pk=unticked.pk).exists()
    ProvisionalUpload.objects.filter(pk=unticked.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    name = unticked.file.name
    services.keep_refused_uploads(actor=cast.street_officer, uploads=[photo(26)])
    assert not ProvisionalUpload.objects.filter(pk=unticked.pk).exists()
    assert not unticked.file.storage.exists(name)


# --- scope: a kept photo is its owner's alone -----------------------------------------------------------


def test_nobody_else_can_use_or_see_a_kept_photo(cast, client_for, major):
    client_for(cast.enterprise).post(
        _action(major, "submit"), {"description": "已分区储存", "photos": [photo(27, name="企业照片.jpg")]}
    )
    kept = ProvisionalUpload.objects.get()
    # An officer who may act on the hazard posts the enterprise's token with a fix: it brings nothing.
    hazard = found_hazard(cast, major.site, seed=5)
    officer = client_for(cast.street_officer)
    response = officer.post(_action(hazard, "fix_on_spot"), {"description": "当场清理", "kept_photos": [kept.token]})
    assert response.status_code == 200
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED
    body = response.content.decode()
    assert "企业照片.jpg" not in body and kept.token not in body
    assert zh("A hazard fixed on the spot needs a photo after the fix.") in body
    # Out of scope the hazard itself is a 404; anonymous is sent to log in; the kept photo stays its owner's.
    assert (
        client_for(cast.other_street_officer)
        .post(_action(major, "submit"), {"description": "x", "kept_photos": [kept.token]})
        .status_code
        == 404
    )
    anonymous = client_for(None).post(_action(major, "submit"), {"description": "x", "kept_photos": [kept.token]})
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous.url
    assert ProvisionalUpload.objects.filter(pk=kept.pk, owner=cast.enterprise).exists()
    assert not Photo.objects.filter(original_name="企业照片.jpg").exists()
    assert list(ProvisionalUpload.objects.owned_by(cast.street_officer)) == []
    assert list(ProvisionalUpload.objects.owned_by(cast.enterprise)) == [kept]


def test_an_expired_kept_photo_brings_nothing_and_the_form_says_so(cast, client_for, major):
    enterprise = client_for(cast.enterprise)
    enterprise.post(_action(major, "submit"), {"description": "已分区储存", "photos": [photo(28)]})
    kept = ProvisionalUpload.objects.get()
    ProvisionalUpload.objects.filter(pk=kept.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert enterprise.post(_action(major, "plan"), PLAN).status_code == 302
    response = enterprise.post(_action(major, "submit"), {"description": "已分区储存", "kept_photos": [kept.token]})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert services.expired_kept_message(1) in messages
    assert Hazard.objects.get(pk=major.pk).status != HazardStatus.SUBMITTED


def test_only_photos_are_kept_and_within_the_allowance(cast, monkeypatch):
    text = SimpleUploadedFile("notes.jpg", b"not a photo at all", "image/jpeg")
    empty = SimpleUploadedFile("empty.jpg", b"", "image/jpeg")
    kept = services.keep_refused_uploads(actor=cast.street_officer, uploads=[text, empty, photo(29)])
    assert [row.original_name for row in kept] == ["p29.jpg"]
    monkeypatch.setattr("anjian.inspections.services.uploads.MAX_KEPT_PER_USER", 2)
    more = services.keep_refused_uploads(actor=cast.street_officer, uploads=[photo(30), photo(31)])
    assert len(more) == 1
    assert services.keep_refused_uploads(actor=None, uploads=[photo(32)]) == []


# --- the field form -------------------------------------------------------------------------------------


@shared_fixture
def inspection(cast, place):
    checklist = short_checklist(cast, code="kept-field")
    return services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)


def test_the_field_form_keeps_the_photos_of_a_refused_submission(cast, client_for, inspection):
    items = list(inspection.checklist.items.all())
    url = reverse("inspections:inspection_record", args=[inspection.pk])
    client = client_for(cast.street_officer)
    first = {
        f"item-{items[0].pk}-result": "noncompliant",
        f"hazard-{items[0].pk}-grade": "general",
        f"photos-{items[0].pk}": [photo(33, name="通道堆物.jpg")],
        "extra-1-title": "配电箱前堆放杂物",
        "extra-1-grade": "general",
        "extra-1-photos": [photo(34, name="配电箱.jpg")],
    }
    refused = client.post(url, first)  # items 2 and 3 unanswered
    assert refused.status_code == 200
    record = refused.context["record"]
    by_item = {row.item.pk: row for row in record.rows}
    assert [row.original_name for row in by_item[items[0].pk].kept] == ["通道堆物.jpg"]
    assert [row.original_name for row in record.extras[0].kept] == ["配电箱.jpg"]
    body = refused.content.decode()
    assert 'data-testid="kept-notice"' in body
    tokens = {row.original_name: row.token for row in ProvisionalUpload.objects.all()}
    assert f'name="kept-{items[0].pk}" value="{tokens["通道堆物.jpg"]}"' in body
    assert f'name="extra-1-kept" value="{tokens["配电箱.jpg"]}"' in body
    # Another inspector of the unit cannot borrow them: the page they get does not show them.
    second = {
        f"item-{items[0].pk}-result": "noncompliant",
        f"hazard-{items[0].pk}-grade": "general",
        f"kept-{items[0].pk}": tokens["通道堆物.jpg"],
        f"item-{items[1].pk}-result": "not_applicable",
        f"item-{items[2].pk}-result": "not_applicable",
        "extra-1-title": "配电箱前堆放杂物",
        "extra-1-grade": "general",
        "extra-1-kept": tokens["配电箱.jpg"],
    }
    done = client.post(url, second)
    assert done.status_code == 302
    names = sorted(Photo.objects.filter(inspection=inspection).values_list("original_name", flat=True))
    assert names == ["通道堆物.jpg", "配电箱.jpg"]
    assert not ProvisionalUpload.objects.exists()


def test_the_field_form_ignores_someone_elses_kept_photo(cast, client_for, inspection):
    kept = services.keep_refused_uploads(actor=cast.enterprise, uploads=[photo(35, name="别人的.jpg")])[0]
    items = list(inspection.checklist.items.all())
    data = {f"item-{item.pk}-result": "not_applicable" for item in items}
    data.update({f"item-{items[0].pk}-result": "noncompliant", f"kept-{items[0].pk}": kept.token})
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_record", args=[inspection.pk]), data
    )
    assert response.status_code == 200
    assert "别人的.jpg" not in response.content.decode()
    assert not Photo.objects.filter(original_name="别人的.jpg").exists()
    assert ProvisionalUpload.objects.filter(pk=kept.pk).exists()


def test_an_extra_hazard_block_with_only_someone_elses_photo_is_left_empty(cast, client_for, inspection):
    kept = services.keep_refused_uploads(actor=cast.enterprise, uploads=[photo(36, name="别人的.jpg")])[0]
    data = {f"item-{item.pk}-result": "not_applicable" for item in inspection.checklist.items.all()}
    data["extra-1-kept"] = kept.token
    url = reverse("inspections:inspection_record", args=[inspection.pk])
    response = client_for(cast.street_officer).post(url, data)
    assert response.status_code == 302
    assert not Hazard.objects.filter(inspection=inspection).exists()
    assert ProvisionalUpload.objects.filter(pk=kept.pk, owner=cast.enterprise).exists()
