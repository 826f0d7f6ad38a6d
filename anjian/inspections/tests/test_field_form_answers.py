"""The field form asks for photos where a finding is recorded or the item's evidence is a document or sign, and its
"其余项目均符合" action answers every remaining item 符合, one answer per item, with the audit keeping which."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.models import AuditEntry
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.choices import AnswerResult, InspectionStatus
from anjian.inspections.models import Hazard, Inspection, InspectionAnswer
from anjian.inspections.testing import loop_place, photo, zh

pytestmark = pytest.mark.django_db

ITEMS = [
    {"text": "疏散通道、安全出口畅通", "legal_basis": "《中华人民共和国消防法》第二十八条"},
    {"text": "灭火器在有效期内", "legal_basis": "《中华人民共和国消防法》第十六条"},
    {"text": "电气线路穿管保护", "legal_basis": "《中华人民共和国消防法》第二十七条"},
    {
        "text": "持有有效的经营许可证并悬挂于显著位置",
        "legal_basis": "《烟花爆竹安全管理条例》第三条",
        "photo_required": True,
    },
]


@shared_fixture
def place(cast):
    return loop_place(cast)


@shared_fixture
def checklist(cast):
    return services.create_checklist(
        actor=cast.city_admin, code="answers-form", name="答题检查表", sector_code="hazchem", items=ITEMS
    )


@shared_fixture
def inspection(cast, place, checklist):
    return services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)


def _url(inspection) -> str:
    return reverse("inspections:inspection_record", args=[inspection.pk])


def _post(items, results: dict[int, str], **extra) -> dict:
    data = {"note": ""}
    for index, result in results.items():
        data[f"item-{items[index].pk}-result"] = result
    data.update(extra)
    return data


def test_it_accepts_compliant_answers_without_photos(cast, client_for, inspection, checklist):
    items = list(checklist.items.all())
    data = _post(items, {0: "compliant", 1: "compliant", 2: "not_applicable", 3: "compliant"})
    data[f"photos-{items[3].pk}"] = [photo(1)]
    response = client_for(cast.street_officer).post(_url(inspection), data)
    assert response.status_code == 302
    assert InspectionAnswer.objects.filter(inspection=inspection, result=AnswerResult.COMPLIANT).count() == 3


def test_it_asks_for_a_photo_of_a_finding_and_of_a_document_item(cast, client_for, inspection, checklist):
    items = list(checklist.items.all())
    data = _post(items, {0: "noncompliant", 1: "compliant", 2: "compliant", 3: "compliant"})
    response = client_for(cast.street_officer).post(_url(inspection), data)
    assert response.status_code == 200
    errors = {row.item.pk: row.errors for row in response.context["record"].rows}
    assert errors[items[0].pk] and errors[items[3].pk]
    assert errors[items[1].pk] == errors[items[2].pk] == []
    assert not InspectionAnswer.objects.exists() and not Hazard.objects.exists()


def test_the_page_offers_the_rest_compliant_action_and_marks_evidence_items(
    cast, client_for, inspection, django_assert_max_num_queries
):
    client = client_for(cast.street_officer)
    client.get(_url(inspection))  # session and permissions warm
    with django_assert_max_num_queries(20):
        page = client.get(_url(inspection))
    body = page.content.decode()
    assert 'data-testid="rest-compliant"' in body
    assert zh("All remaining items compliant") in body
    assert body.count('data-testid="evidence-photo"') == 1
    assert zh("Take a photo of it even when compliant.") in body
    assert "<script>" not in body and "onclick" not in body  # strict CSP: the action lives in a static file


def test_rest_compliant_records_one_answer_per_item_and_the_audit_keeps_them(cast, client_for, inspection, checklist):
    items = list(checklist.items.all())
    # The inspector found item 1, then answered the rest at once; item 2 was tapped again by hand afterwards.
    data = _post(items, {0: "noncompliant", 1: "compliant", 2: "compliant", 3: "compliant"})
    data[f"photos-{items[0].pk}"] = [photo(2)]
    data[f"photos-{items[3].pk}"] = [photo(3)]
    data[f"hazard-{items[0].pk}-grade"] = "general"
    data["compliant_at_once"] = f"{items[1].pk},{items[3].pk},{items[0].pk},999999,abc"
    response = client_for(cast.street_officer).post(_url(inspection), data)
    assert response.status_code == 302
    answers = dict(InspectionAnswer.objects.filter(inspection=inspection).values_list("item_id", "result"))
    assert answers == {
        items[0].pk: AnswerResult.NONCOMPLIANT,
        items[1].pk: AnswerResult.COMPLIANT,
        items[2].pk: AnswerResult.COMPLIANT,
        items[3].pk: AnswerResult.COMPLIANT,
    }
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.COMPLETED
    entry = AuditEntry.objects.get(action="inspections.inspection.complete", object_id=str(inspection.pk))
    # Only the items still answered 符合 and on the checklist are listed.
    assert entry.after["compliant_at_once"] == sorted([items[1].pk, items[3].pk])
    assert entry.after["answers"] == 4


def test_a_refused_form_keeps_the_list_of_items_answered_at_once(cast, client_for, inspection, checklist):
    items = list(checklist.items.all())
    data = _post(items, {0: "compliant", 1: "compliant", 2: "compliant", 3: "compliant"})
    data["compliant_at_once"] = f"{items[0].pk},{items[1].pk},{items[2].pk},{items[3].pk}"
    response = client_for(cast.street_officer).post(_url(inspection), data)  # item 4 needs its photo
    assert response.status_code == 200
    assert response.context["record"].compliant_at_once_value == data["compliant_at_once"]
    assert f'value="{data["compliant_at_once"]}"' in response.content.decode()
