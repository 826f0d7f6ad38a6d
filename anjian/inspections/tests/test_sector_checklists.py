"""Every sector of STANDARDS §1 has a checklist, so no task opens "no checklist" for want of one: a flood-season
inspection of a waterlogging point gets the waterlogging checklist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.models import ChecklistTemplate
from anjian.organizations.models import Sector
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db


@shared_fixture
def loaded(cast):
    return services.ensure_checklists()


def test_every_sector_has_at_least_one_current_checklist(loaded):
    covered = set(ChecklistTemplate.objects.current().values_list("sector_id", flat=True))
    assert set(Sector.objects.values_list("code", flat=True)) - covered == set()
    assert Sector.objects.count() == 17


def test_every_shipped_checklist_names_its_standard_and_what_to_check(loaded):
    for template in ChecklistTemplate.objects.current():
        assert "《" in template.description or "GB" in template.description, template.code
        if any(word in template.description for word in ("据资料", "未能核实", "待核对")):
            assert "核对" in template.description, template.code


def test_a_flood_season_inspection_of_a_waterlogging_point_uses_its_checklist(cast, client_for, loaded):
    site = make_site(
        district=cast.district, territory=cast.street, sectors=(("waterlogging_point", ""),), name="东街下穿通道"
    )
    checklist = services.checklist_for_site(site)
    assert checklist is not None and checklist.code == "waterlogging_point"
    page = client_for(cast.street_officer).get(reverse("inspections:inspection_start") + f"?site={site.pk}")
    assert page.status_code == 200
    assert page.context["form"].fields["checklist"].initial == checklist.pk
