"""The rectification notice (整改通知书) as a Word document: laid out as an official notice, served only to
users who see the hazard, 404 without a notice."""

from __future__ import annotations

import datetime
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.documents import TABLE_HEADERS, TITLE, cn_date
from anjian.inspections.testing import found_hazard, loop_place

pytestmark = pytest.mark.django_db


@shared_fixture
def place(cast):
    site = loop_place(cast)
    site.address = "东街道工业路8号"
    site.save(update_fields=["address"])
    return site


@shared_fixture
def hazard(cast, place):
    return found_hazard(cast, place, major=True)


@shared_fixture
def notice(cast, hazard):
    return services.issue_notice(
        actor=cast.street_officer,
        hazard=hazard,
        deadline=datetime.date(2031, 5, 1),
        legal_basis="《危险化学品安全管理条例》第二十四条",
        requirements="按类别分区储存，设置隔离设施",
    )


def _open(response) -> Document:
    return Document(BytesIO(response.content))


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_it_writes_the_notice_as_an_official_word_document(cast, client_for, place, hazard, notice):
    response = client_for(cast.street_officer).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    filename = f"整改通知书-{notice.number}.docx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")

    document = _open(response)
    text = _text(document)
    paragraphs = [p.text for p in document.paragraphs]
    # 责令限期整改 is the enforcing department's act: the emergency bureau (hazchem), though a street officer typed it.
    assert paragraphs[0] == cast.emergency.name
    assert paragraphs[1] == TITLE == "安全生产隐患整改通知书"
    assert paragraphs[2] == notice.number
    assert f"{place.enterprise.name}：" in paragraphs
    inspected = timezone.localtime(hazard.inspection.started_at).date()
    assert f"{cn_date(inspected)}，经对你单位{place.name}（东街道工业路8号）进行安全生产检查" in text
    assert "依据《危险化学品安全管理条例》第二十四条的规定" in text
    assert "限于 2031年5月1日前整改完毕" in text
    assert "整改要求：按类别分区储存，设置隔离设施" in text
    assert "重大事故隐患" in text  # a major hazard: the plan and the safety measures are ordered too
    assert cn_date(timezone.localtime(notice.issued_at).date()) in paragraphs
    assert any(p.startswith("检查人员（签名）") for p in paragraphs)
    assert any(p.startswith("被检查单位负责人（签名）") for p in paragraphs)
    # A major hazard is under the safety office's escalated supervision from the start: it appears as 督办.
    assert f"督办单位：{cast.safety_office.name}" in paragraphs
    assert cast.street.name not in paragraphs

    table = document.tables[0]
    assert (
        [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADERS) == ["序号", "隐患", "部位", "等级", "依据"]
    )
    row = [cell.text for cell in table.rows[1].cells]
    assert row[0] == "1"
    assert row[1].startswith(hazard.title)
    assert row[2] == "—"
    assert row[3] == "重大事故隐患"
    assert hazard.criterion_label in row[4]
    assert "《危险化学品安全管理条例》第二十四条" in row[4]
    assert len(table.rows) == 2


def test_it_addresses_a_place_without_an_enterprise_by_its_name(cast, client_for):
    from anjian.registry.testing import make_site

    site = make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name="无主仓库")
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=datetime.date(2031, 1, 9))
    response = client_for(cast.safety_officer).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    document = _open(response)
    assert "无主仓库：" in [p.text for p in document.paragraphs]
    assert "限于 2031年1月9日前整改完毕" in _text(document)
    assert document.tables[0].rows[1].cells[3].text == "一般事故隐患"


def test_it_answers_404_without_a_notice(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("member", ["other_street_officer", "far_safety_officer", "system_admin", "audit_admin"])
def test_it_answers_404_outside_scope(cast, client_for, hazard, notice, member):
    response = client_for(getattr(cast, member)).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("member", ["street_officer", "department_officer", "enterprise", "leader", "safety_officer"])
def test_it_serves_the_notice_to_everyone_who_sees_the_hazard(cast, client_for, hazard, notice, member):
    response = client_for(getattr(cast, member)).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 200


def test_it_sends_anonymous_visitors_to_the_login_page(client_for, hazard, notice):
    response = client_for(None).get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_document_names_its_enforcing_department_and_number(cast, client_for, notice):
    response = client_for(cast.street_officer).get(reverse("inspections:notice_docx", args=[notice.hazard_id]))
    properties = _open(response).core_properties
    assert properties.author == cast.emergency.name
    assert notice.number in properties.title
