"""The field-work pages: tasks, starting and recording an inspection, the record, checklists — each
tried in scope, out of scope (404), by the three administrators (404) and anonymously (login)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from anjian.core.scoping import REFERENCE_DATA_REFUSAL
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import evidence, services
from anjian.inspections.choices import (
    AnswerResult,
    HazardGrade,
    InspectionKind,
    InspectionStatus,
    PhotoStatus,
    TaskOrigin,
)
from anjian.inspections.models import (
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
)
from anjian.inspections.testing import loop_place, photo, short_checklist, zh

pytestmark = pytest.mark.django_db


@shared_fixture
def place(cast):
    return loop_place(cast)


@shared_fixture
def checklist(cast):
    return short_checklist(cast)


@shared_fixture
def inspection(cast, place, checklist):
    return services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)


@shared_fixture
def task(cast, place):
    return InspectionTask.objects.create(
        site=place,
        origin=TaskOrigin.MANUAL,
        assignee_unit=cast.street,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )


def _admins(cast):
    return [cast.system_admin, cast.security_admin, cast.audit_admin]


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- scope matrix ------------------------------------------------------------------------------


LIST_PAGES = ["inspections:task_list", "inspections:inspection_list", "inspections:checklist_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_it_serves_the_list_pages_to_business_users_only(cast, client_for, name):
    url = reverse(name)
    for user in (cast.street_officer, cast.department_officer, cast.safety_officer, cast.leader, cast.enterprise):
        assert client_for(user).get(url).status_code == 200, user
    for user in _admins(cast):
        assert client_for(user).get(url).status_code == 404, user
    _assert_login_redirect(client_for(None).get(url))


def test_it_scopes_the_inspection_pages(cast, client_for, place, inspection):
    urls = [
        reverse("inspections:inspection_detail", args=[inspection.pk]),
        reverse("inspections:inspection_record", args=[inspection.pk]),
        reverse("inspections:inspection_start") + f"?site={place.pk}",
    ]
    for url in urls:
        assert client_for(cast.street_officer).get(url).status_code == 200, url
        assert client_for(cast.other_street_officer).get(url).status_code == 404, url
        assert client_for(cast.far_safety_officer).get(url).status_code == 404, url
        for user in _admins(cast):
            assert client_for(user).get(url).status_code == 404, (url, user)
        _assert_login_redirect(client_for(None).get(url))
    listing = client_for(cast.other_street_officer).get(reverse("inspections:inspection_list"))
    assert place.name not in listing.content.decode()
    assert (
        place.name in client_for(cast.department_officer).get(reverse("inspections:inspection_list")).content.decode()
    )


def test_it_404s_a_task_out_of_scope(cast, client_for, task):
    url = reverse("inspections:inspection_start") + f"?task={task.pk}"
    assert client_for(cast.street_officer).get(url).status_code == 200
    assert client_for(cast.other_street_officer).get(url).status_code == 404
    assign = reverse("inspections:task_assign", args=[task.pk])
    assert client_for(cast.other_street_officer).post(assign, {"assignee": ""}).status_code == 404
    assert client_for(cast.system_admin).post(assign, {"assignee": ""}).status_code == 404
    _assert_login_redirect(client_for(None).post(assign, {"assignee": ""}))
    assert client_for(cast.street_officer).get(reverse("inspections:inspection_start") + "?task=abc").status_code == 404


# --- tasks --------------------------------------------------------------------------------------


def test_it_lists_my_tasks_with_an_overdue_badge_and_a_start_button(cast, client_for, task, place):
    page = client_for(cast.street_officer).get(reverse("inspections:task_list"))
    body = page.content.decode()
    assert place.name in body
    assert zh("Overdue") in body
    assert f"{reverse('inspections:inspection_start')}?task={task.pk}" in body
    # Another street does not have it, neither mine nor in all.
    other = client_for(cast.other_street_officer)
    assert place.name not in other.get(reverse("inspections:task_list")).content.decode()
    assert place.name not in other.get(reverse("inspections:task_list") + "?view=all").content.decode()


def test_it_switches_to_every_task_in_scope(cast, client_for, task, place):
    task.assignee_unit = cast.emergency
    task.save()
    client = client_for(cast.street_officer)
    assert place.name not in client.get(reverse("inspections:task_list")).content.decode()  # not mine
    every = client.get(reverse("inspections:task_list") + "?view=all&overdue=true")
    assert place.name in every.content.decode()  # but in my street


def test_it_assigns_a_task_to_an_inspector_of_the_unit(cast, client_for, task):
    client = client_for(cast.street_officer)
    due = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("inspections:task_assign", args=[task.pk]), {"assignee": cast.street_officer.pk, "due_on": due}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee == cast.street_officer
    assert task.due_on == due
    # Someone of another unit is refused with the message, nothing changes.
    response = client.post(
        reverse("inspections:task_assign", args=[task.pk]), {"assignee": cast.inspector.pk}, follow=True
    )
    task.refresh_from_db()
    assert task.assignee == cast.street_officer
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_it_shows_an_enterprise_only_its_own_self_inspection_tasks(cast, client_for, task, place):
    own = InspectionTask.objects.create(
        site=place, origin=TaskOrigin.MANUAL, assignee_unit=cast.district, assignee=cast.enterprise, due_on=task.due_on
    )
    page = client_for(cast.enterprise).get(reverse("inspections:task_list") + "?view=all")
    assert [t.pk for t in page.context["tasks"]] == [own.pk]


# --- starting an inspection ---------------------------------------------------------------------------


def test_it_starts_a_supervision_inspection_from_a_task(cast, client_for, task, checklist):
    client = client_for(cast.street_officer)
    url = reverse("inspections:inspection_start") + f"?task={task.pk}"
    page = client.get(url)
    assert page.context["form"].fields["checklist"].initial == checklist.pk  # the place's sector's checklist
    response = client.post(
        url,
        {
            "kind": "supervision",
            "checklist": checklist.pk,
            "latitude": "30.150000",
            "longitude": "120.150000",
            "accuracy": "12",
        },
    )
    inspection = Inspection.objects.get(task=task)
    assert response.status_code == 302
    assert response.url == reverse("inspections:inspection_record", args=[inspection.pk])
    assert inspection.kind == InspectionKind.SUPERVISION
    assert (str(inspection.latitude), inspection.position_accuracy) == ("30.150000", 12)
    # Starting again goes to the same inspection.
    assert client.get(url).url == reverse("inspections:inspection_record", args=[inspection.pk])


def test_it_refuses_an_enforcement_inspection_without_two_certified_officers(cast, client_for, place, checklist):
    cast.department_officer.enforcement_certificate = "执法证0001"
    cast.department_officer.save()
    client = client_for(cast.department_officer)
    url = reverse("inspections:inspection_start") + f"?site={place.pk}"
    alone = client.post(url, {"kind": "enforcement", "checklist": checklist.pk})
    assert alone.status_code == 200
    assert alone.context["form"].errors["co_inspectors"]
    uncertified = client.post(
        url, {"kind": "enforcement", "checklist": checklist.pk, "co_inspectors": [cast.inspector.pk]}
    )
    assert uncertified.status_code == 200
    expected = zh("A law-enforcement inspection needs at least two officers with a valid certificate.")
    assert expected in uncertified.content.decode()
    assert not Inspection.objects.exists()
    cast.inspector.enforcement_certificate = "执法证0002"
    cast.inspector.save()
    done = client.post(url, {"kind": "enforcement", "checklist": checklist.pk, "co_inspectors": [cast.inspector.pk]})
    assert done.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.kind == InspectionKind.ENFORCEMENT
    assert set(inspection.inspectors.all()) == {cast.department_officer, cast.inspector}


def test_it_offers_co_inspectors_of_the_own_unit_only(cast, client_for, place):
    page = client_for(cast.department_officer).get(reverse("inspections:inspection_start") + f"?site={place.pk}")
    assert list(page.context["form"].fields["co_inspectors"].queryset) == [cast.inspector]


def test_it_starts_a_self_inspection_for_an_enterprise_account(cast, client_for, place, checklist):
    client = client_for(cast.enterprise)
    url = reverse("inspections:inspection_start") + f"?site={place.pk}"
    assert "kind" not in client.get(url).context["form"].fields
    response = client.post(url, {"kind": "supervision", "checklist": checklist.pk})
    assert response.status_code == 302
    assert Inspection.objects.get().kind == InspectionKind.SELF


def test_it_tells_a_read_only_leader_it_cannot_inspect(cast, client_for, place, checklist):
    client = client_for(cast.leader)
    url = reverse("inspections:inspection_start") + f"?site={place.pk}"
    assert client.get(url).context["allowed"] is False
    assert client.post(url, {"kind": "supervision", "checklist": checklist.pk}).status_code == 200
    assert not Inspection.objects.exists()


# --- the field record ---------------------------------------------------------------------------------


def _answers(checklist, *, results, photos=None, hazard=None):
    """POST data of the record page: ``results`` per item in order; ``photos`` {index: [uploads]}."""
    items = list(checklist.items.all())
    data = {"note": "检查完毕"}
    for index, (item, result) in enumerate(zip(items, results, strict=True)):
        data[f"item-{item.pk}-result"] = result
        data[f"item-{item.pk}-note"] = f"说明{index}"
        if photos and index in photos:
            data[f"photos-{item.pk}"] = photos[index]
        for key, value in (hazard or {}).get(index, {}).items():
            data[f"hazard-{item.pk}-{key}"] = value
    return items, data


def test_it_records_the_inspection_and_opens_a_major_hazard_from_a_criterion_item(
    cast, client_for, inspection, checklist, django_capture_on_commit_callbacks
):
    client = client_for(cast.street_officer)
    page = client.get(reverse("inspections:inspection_record", args=[inspection.pk]))
    body = page.content.decode()
    assert 'accept="image/*" capture="environment" multiple' in body
    assert zh("Major hazard criterion") in body
    items, data = _answers(
        checklist,
        results=["compliant", "noncompliant", "not_applicable"],
        photos={0: [photo(1)], 1: [photo(2)]},
        hazard={1: {"location": "二号仓库", "grade": "general"}},
    )
    # The commit queues the photos' processing; without a broker it runs at once, in this process.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:inspection_record", args=[inspection.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("inspections:inspection_detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    assert set(Photo.objects.values_list("status", flat=True)) == {PhotoStatus.READY}
    hazard = Hazard.objects.get()
    assert hazard.grade == HazardGrade.MAJOR  # the criterion decides, not the form
    assert hazard.title == items[1].criterion_text == "未按国家标准分区分类储存危险化学品"
    assert hazard.location == "二号仓库"
    assert hazard.criteria_edition == "安监总管三〔2017〕121号"
    assert hazard.photos.count() == 1
    assert InspectionAnswer.objects.filter(inspection=inspection).count() == 3
    detail = client.get(response.url)
    assert hazard.number in detail.content.decode()
    assert reverse("inspections:photo_thumbnail", args=[hazard.photos.get().pk]) in detail.content.decode()
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in detail.content.decode()
    messages = [str(m) for m in detail.context["messages"]]
    assert any(hazard.number in m for m in messages)


def test_it_opens_a_general_hazard_with_the_grade_chosen_and_extra_hazards(cast, client_for, inspection, checklist):
    client = client_for(cast.street_officer)
    _items, data = _answers(
        checklist,
        results=["noncompliant", "compliant", "compliant"],
        photos={0: [photo(3)], 2: [photo(4)]},
        hazard={0: {"title": "二楼安全出口锁闭", "grade": "general", "nature": "unsafe_condition"}},
    )
    data.update({"extra-1-title": "配电箱前堆放杂物", "extra-1-location": "一楼", "extra-1-grade": "general"})
    data["extra-1-photos"] = [photo(5)]
    response = client.post(reverse("inspections:inspection_record", args=[inspection.pk]), data)
    assert response.status_code == 302, response.context and response.context["record"].top_errors
    titles = sorted(Hazard.objects.values_list("title", "grade"))
    assert titles == [("二楼安全出口锁闭", "general"), ("配电箱前堆放杂物", "general")]
    assert Hazard.objects.get(title="二楼安全出口锁闭").nature == "unsafe_condition"


def test_it_refuses_a_text_file_named_jpg_and_keeps_what_was_typed(cast, client_for, inspection, checklist):
    client = client_for(cast.street_officer)
    fake = SimpleUploadedFile("现场.jpg", b"this is not a photo at all", content_type="image/jpeg")
    items, data = _answers(
        checklist,
        results=["compliant", "noncompliant", "compliant"],
        photos={1: [fake], 2: [photo(6)]},
        hazard={1: {"location": "东墙角"}},
    )
    response = client.post(reverse("inspections:inspection_record", args=[inspection.pk]), data)
    assert response.status_code == 200
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        evidence.process_photo(SimpleUploadedFile("现场.jpg", b"this is not a photo at all", "image/jpeg"))
    body = response.content.decode()
    for message in refused.value.messages:
        assert message in body
    record = response.context["record"]
    assert record.rows[1].errors  # next to the item
    assert record.rows[1].hazard.location == "东墙角"
    assert record.rows[0].result == "compliant" and record.rows[0].note == "说明0"
    assert f'id="item-{items[1].pk}-noncompliant" value="noncompliant" autocomplete="off" data-result checked' in body
    # The real photo waits for the next attempt, the text file does not (anjian/inspections/services/uploads.py).
    assert [row.original_name for row in record.rows[2].kept] == ["p6.jpg"]
    assert record.rows[1].kept == []
    assert 'data-testid="kept-notice"' in body
    assert not Hazard.objects.exists()
    assert not InspectionAnswer.objects.exists()
    assert not Photo.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_it_shows_a_missing_answer_and_a_missing_photo_next_to_their_items(cast, client_for, inspection, checklist):
    client = client_for(cast.street_officer)
    _items, data = _answers(checklist, results=["compliant", "", "compliant"])  # item 3 needs a photo
    response = client.post(reverse("inspections:inspection_record", args=[inspection.pk]), data)
    assert response.status_code == 200
    record = response.context["record"]
    assert [bool(row.errors) for row in record.rows] == [False, True, True]
    assert not InspectionAnswer.objects.exists()


def test_it_requires_a_written_reason_for_grading_major_by_judgement(cast, client_for, inspection, checklist):
    client = client_for(cast.street_officer)
    _items, data = _answers(
        checklist,
        results=["noncompliant", "compliant", "compliant"],
        photos={0: [photo(7)], 2: [photo(8)]},
        hazard={0: {"grade": "major"}},
    )
    response = client.post(reverse("inspections:inspection_record", args=[inspection.pk]), data)
    assert response.status_code == 200
    assert zh("Give the written reason for grading this hazard major.") in response.content.decode()
    assert not Hazard.objects.exists()


def test_it_lets_only_the_inspectors_record(cast, client_for, inspection):
    url = reverse("inspections:inspection_record", args=[inspection.pk])
    # The safety office sees the inspection but is not one of its inspectors.
    response = client_for(cast.safety_officer).get(url)
    assert response.status_code == 403
    assert zh("Only the inspectors of this inspection can record it.") in response.content.decode()
    assert client_for(cast.safety_officer).post(url, {"note": "x"}).status_code == 403
    assert (
        client_for(cast.safety_officer).get(reverse("inspections:inspection_detail", args=[inspection.pk])).status_code
        == 200
    )


def test_it_sends_a_completed_inspection_to_its_record(cast, client_for, inspection, checklist):
    services.complete_inspection_form(
        actor=cast.street_officer,
        inspection=inspection,
        answers=[
            {"item_id": item.pk, "result": AnswerResult.NOT_APPLICABLE, "note": ""} for item in checklist.items.all()
        ],
    )
    url = reverse("inspections:inspection_record", args=[inspection.pk])
    response = client_for(cast.street_officer).get(url)
    assert response.status_code == 302
    assert response.url == reverse("inspections:inspection_detail", args=[inspection.pk])


def test_it_filters_the_inspection_list(cast, client_for, place, inspection):
    client = client_for(cast.safety_officer)
    url = reverse("inspections:inspection_list")
    assert [i.pk for i in client.get(url + "?kind=supervision").context["page_obj"]] == [inspection.pk]
    assert list(client.get(url + "?kind=enforcement").context["page_obj"]) == []
    assert list(client.get(url + "?self_inspection=true").context["page_obj"]) == []
    assert [i.pk for i in client.get(url + f"?territory={cast.street.pk}").context["page_obj"]] == [inspection.pk]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert list(client.get(url + f"?started_after={tomorrow}").context["page_obj"]) == []
    assert client.get(url + "?started_after=not-a-date").status_code == 200


def test_it_shows_the_position_on_a_small_map(cast, client_for, place, checklist):
    inspection = services.start_inspection(
        actor=cast.street_officer, site=place, checklist=checklist, latitude="30.15", longitude="120.15", accuracy=20
    )
    page = client_for(cast.street_officer).get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    body = page.content.decode()
    assert 'id="inspection-map"' in body
    assert 'id="inspection-map-data"' in body
    assert "leaflet-1.9.4/leaflet." in body


# --- checklists ---------------------------------------------------------------------------------------


def test_it_lists_current_checklists_with_item_and_criterion_counts(cast, client_for, checklist):
    page = client_for(cast.street_officer).get(reverse("inspections:checklist_list"))
    row = next(t for t in page.context["templates"] if t.pk == checklist.pk)
    assert (row.item_count, row.major_count) == (3, 1)
    for user in _admins(cast):
        assert client_for(user).get(reverse("inspections:checklist_detail", args=[checklist.pk])).status_code == 404
    _assert_login_redirect(client_for(None).get(reverse("inspections:checklist_detail", args=[checklist.pk])))


def _revision_data(template, *, name, rows, extra=0):
    data = {
        "name": name,
        "description": "",
        "items-TOTAL_FORMS": str(len(rows) + extra),
        "items-INITIAL_FORMS": str(template.items.count()),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "300",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
    return data


def test_it_revises_a_checklist_into_a_new_version_and_old_inspections_keep_theirs(
    cast, client_for, place, checklist, inspection
):
    url = reverse("inspections:checklist_revise", args=[checklist.pk])
    client = client_for(cast.city_admin)  # city-wide reference data: the districts read it
    page = client.get(url)
    assert page.status_code == 200
    items = list(checklist.items.all())
    rows = [
        {"text": items[0].text, "legal_basis": items[0].legal_basis},
        {"text": items[1].text, "DELETE": "on"},  # removed
        {"text": items[2].text, "photo_required": "on"},
        {"text": "新增：消防控制室有人值守", "section": "消防"},
    ]
    response = client.post(url, _revision_data(checklist, name="简短检查表（修订）", rows=rows))
    new = ChecklistTemplate.objects.get(code=checklist.code, is_current=True)
    assert response.status_code == 302
    assert response.url == reverse("inspections:checklist_detail", args=[new.pk])
    assert new.version == 2 and new.name == "简短检查表（修订）"
    assert list(new.items.values_list("text", flat=True)) == [items[0].text, items[2].text, "新增：消防控制室有人值守"]
    checklist.refresh_from_db()
    assert not checklist.is_current
    inspection.refresh_from_db()
    assert inspection.checklist_id == checklist.pk  # the old inspection keeps version 1
    assert checklist.items.count() == 3
    old_page = client.get(reverse("inspections:checklist_detail", args=[checklist.pk]))
    assert old_page.context["template"].pk == checklist.pk
    assert 'data-testid="past-version"' in old_page.content.decode()
    assert [v.version for v in old_page.context["versions"]] == [2, 1]
    # The old record still shows its own items.
    record = client_for(cast.street_officer).get(reverse("inspections:inspection_record", args=[inspection.pk]))
    assert [row.item.pk for row in record.context["record"].rows] == [i.pk for i in items]
    # A past version cannot be revised: the page sends to the current one.
    assert client_for(cast.city_admin).get(url).url == reverse("inspections:checklist_revise", args=[new.pk])


@pytest.mark.parametrize(
    "member", ["safety_officer", "far_safety_officer", "street_officer", "department_officer", "leader"]
)
def test_a_district_user_reads_a_checklist_but_is_refused_its_revision(cast, client_for, checklist, member):
    client = client_for(getattr(cast, member))
    detail = client.get(reverse("inspections:checklist_detail", args=[checklist.pk]))
    assert detail.status_code == 200
    url = reverse("inspections:checklist_revise", args=[checklist.pk])
    assert 'data-testid="checklist-revise"' not in detail.content.decode()
    assert client.get(url).status_code == 403
    rows = [{"text": "改过的检查项"}]
    response = client.post(url, _revision_data(checklist, name="区里改的", rows=rows))
    assert response.status_code == 403
    assert zh(REFERENCE_DATA_REFUSAL) in response.content.decode()
    assert ChecklistTemplate.objects.filter(code=checklist.code).count() == 1


def test_it_refuses_an_empty_revision_with_the_message(cast, client_for, checklist):
    client = client_for(cast.city_admin)
    url = reverse("inspections:checklist_revise", args=[checklist.pk])
    rows = [{"text": i.text, "DELETE": "on"} for i in checklist.items.all()]
    response = client.post(url, _revision_data(checklist, name="空", rows=rows))
    assert response.status_code == 200
    assert zh("A checklist needs at least one item.") in response.content.decode()
    assert ChecklistTemplate.objects.filter(code=checklist.code).count() == 1


# --- navigation ---------------------------------------------------------------------------------------


def test_it_shows_the_field_pages_in_the_navigation(cast, client_for):
    keys = lambda user: [i["key"] for i in client_for(user).get(reverse("inspections:task_list")).context["nav_items"]]  # noqa: E731
    street = keys(cast.street_officer)
    assert {"tasks", "inspections", "campaigns", "checklists"} <= set(street)
    enterprise = keys(cast.enterprise)
    assert {"tasks", "inspections"} <= set(enterprise)
    assert not {"campaigns", "checklists"} & set(enterprise)


# --- query counts -------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_lists_tasks_and_inspections_in_a_constant_number_of_queries(cast, client_for, checklist):
    from anjian.registry.testing import make_site

    client = client_for(cast.street_officer)
    urls = [
        reverse("inspections:task_list"),
        reverse("inspections:task_list") + "?view=all",
        reverse("inspections:inspection_list"),
    ]

    def add(n):
        site = make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name=f"场所{n}")
        InspectionTask.objects.create(
            site=site, origin=TaskOrigin.MANUAL, assignee_unit=cast.street, due_on=timezone.localdate()
        )
        services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)

    add(0)
    before = [_queries(client, url) for url in urls]
    for n in range(1, 6):
        add(n)
    assert [_queries(client, url) for url in urls] == before


def test_it_answers_bad_input_without_a_server_error(cast, client_for, checklist, inspection, task):
    client = client_for(cast.safety_officer)
    for url in [
        reverse("inspections:task_list") + "?view=all&campaign=abc&overdue=maybe&page=zz",
        reverse("inspections:inspection_list") + "?kind=zzz&territory=abc&started_before=2026-13-45",
        reverse("inspections:inspection_start") + "?site=abc",
        reverse("inspections:inspection_start"),
    ]:
        assert client.get(url).status_code in (200, 302, 404), url
    editor = client_for(cast.city_admin)
    assert editor.get(reverse("inspections:checklist_revise", args=[checklist.pk]) + "?more=9999").status_code == 200
    garbage = {"name": "x", "items-TOTAL_FORMS": "abc", "items-INITIAL_FORMS": "-1"}
    response = editor.post(reverse("inspections:checklist_revise", args=[checklist.pk]), garbage)
    assert response.status_code == 200
    assert ChecklistTemplate.objects.filter(code=checklist.code).count() == 1
    assign = client.post(reverse("inspections:task_assign", args=[task.pk]), {"assignee": "abc", "due_on": "x"})
    assert assign.status_code == 302
    officer = client_for(cast.street_officer)
    record = officer.post(
        reverse("inspections:inspection_record", args=[inspection.pk]),
        {"latitude": "abc", "longitude": "1e999", "accuracy": "-5", "extra-1-grade": "weird", "item-0-result": "x"},
    )
    assert record.status_code == 200
