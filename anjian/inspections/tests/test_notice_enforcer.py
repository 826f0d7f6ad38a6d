"""The rectification notice (整改通知书) names the enforcing department of the hazard's sector (责令限期整改 is its
enforcement act), whoever typed it; the safety office appears on it as 督办 when the hazard is under escalated
supervision."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anjian.inspections import services
from anjian.inspections.testing import found_hazard, loop_place, short_checklist
from anjian.organizations.choices import DepartmentType
from anjian.organizations.models import Sector
from anjian.organizations.services import set_enforcing_department
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def paragraphs(client, hazard) -> list[str]:
    response = client.get(reverse("inspections:notice_docx", args=[hazard.pk]))
    assert response.status_code == 200
    return [p.text for p in Document(BytesIO(response.content)).paragraphs]


def place_of(cast, sector: str, n: int):
    site = make_site(district=cast.district, territory=cast.street, sectors=((sector, ""),), enterprise_n=n)
    site.enterprise.accounts.add(cast.enterprise)
    return site


def hazard_at(cast, site, sector: str, seed: int):
    checklist = short_checklist(cast, code=f"short-{sector}-{seed}", sector=sector)
    return found_hazard(cast, site, checklist=checklist, seed=seed)


def test_a_street_officers_notice_is_issued_in_the_enforcing_departments_name(cast, client_for):
    hazard = found_hazard(cast, loop_place(cast))
    notice = services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    assert notice.issuing_unit == cast.street and notice.enforcing_unit == cast.emergency
    assert notice.supervising_unit is None
    text = paragraphs(client_for(cast.street_officer), hazard)
    assert text[0] == cast.emergency.name
    assert not any(p.startswith("督办单位") for p in text)  # not under escalated supervision
    page = client_for(cast.street_officer).get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    content = page.content.decode()
    assert f'data-testid="notice-enforcer">{cast.emergency.name}<' in content
    assert 'data-testid="notice-supervisor"' not in content


def test_each_sector_goes_to_its_own_department(cast, client_for):
    site = place_of(cast, "construction", 811)
    hazard = hazard_at(cast, site, "construction", 3)
    notice = services.issue_notice(actor=cast.safety_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    assert hazard.sector_id == "construction" and notice.enforcing_unit == cast.housing
    assert paragraphs(client_for(cast.safety_officer), hazard)[0] == cast.housing.name


def test_without_a_department_of_that_type_the_issuers_unit_signs(cast):
    site = place_of(cast, "three_in_one", 812)  # the cast's district has no fire brigade
    hazard = hazard_at(cast, site, "three_in_one", 4)
    notice = services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    assert notice.enforcing_unit == cast.street


def test_a_changed_enforcing_department_names_the_new_one_and_keeps_the_old_notices(cast, client_for):
    site = loop_place(cast)
    first = found_hazard(cast, site, seed=5)
    services.issue_notice(actor=cast.street_officer, hazard=first, deadline=in_days(10), legal_basis="法")
    set_enforcing_department(
        actor=cast.city_admin, sector=Sector.objects.get(code="hazchem"), department_type=DepartmentType.HOUSING
    )
    second = found_hazard(cast, site, seed=6)
    notice = services.issue_notice(actor=cast.street_officer, hazard=second, deadline=in_days(10), legal_basis="法")
    assert notice.enforcing_unit == cast.housing
    client = client_for(cast.street_officer)
    assert paragraphs(client, first)[0] == cast.emergency.name  # a document issued stays as issued
    assert paragraphs(client, second)[0] == cast.housing.name


def test_the_safety_office_appears_as_the_supervising_unit_of_a_supervised_hazard(cast, client_for):
    major = found_hazard(cast, loop_place(cast), major=True, seed=7)  # escalated at once by the platform
    notice = services.issue_notice(actor=cast.safety_officer, hazard=major, deadline=in_days(30), legal_basis="法")
    assert notice.enforcing_unit == cast.emergency and notice.supervising_unit == cast.safety_office
    text = paragraphs(client_for(cast.enterprise), major)
    assert text[0] == cast.emergency.name
    assert f"督办单位：{cast.safety_office.name}" in text
    assert any(f"已由{cast.safety_office.name}挂牌督办" in p for p in text)
    assert cast.safety_office.name not in text[:3]  # never the issuer of the order
    body = client_for(cast.enterprise).get(f"/api/hazards/{major.pk}/").json()["notice"]
    assert body["enforcing_unit"]["id"] == cast.emergency.pk
    assert body["supervising_unit"]["id"] == cast.safety_office.pk
    assert body["issuing_unit"]["id"] == cast.safety_office.pk
