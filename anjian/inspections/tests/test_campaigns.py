"""Campaign pages: the list, launching and editing (a department only within its mandate), generating
tasks, and the progress per street and department against a hand-made district, laggards with frozen time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from anjian.inspections import services
from anjian.inspections.choices import AnswerResult
from anjian.inspections.models import Campaign, Hazard, InspectionTask
from anjian.inspections.testing import photo, short_checklist, zh
from anjian.organizations.models import Sector
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2026, 3, 1)
MARCH_31 = datetime.date(2026, 3, 31)
APRIL_30 = datetime.date(2026, 4, 30)


def _campaign(cast, **fields):
    values = {
        "actor": cast.safety_officer,
        "name": "危化品专项整治",
        "kind": "special",
        "starts_on": MARCH_1,
        "ends_on": MARCH_31,
        "deadline": APRIL_30,
        "sectors": [Sector.objects.get(code="hazchem")],
    }
    values.update(fields)
    return services.create_campaign(**values)


def _inspect(cast, officer, task, checklist, *, hazard: bool, seed: int):
    inspection = services.start_inspection(actor=officer, site=task.site, task=task, checklist=checklist)
    items = list(checklist.items.all())
    answers = [
        {
            "item_id": items[0].pk,
            "result": AnswerResult.NONCOMPLIANT if hazard else AnswerResult.COMPLIANT,
            "note": "",
            "photos": [photo(seed)] if hazard else [],
        },
        {"item_id": items[1].pk, "result": AnswerResult.COMPLIANT, "note": ""},
        {"item_id": items[2].pk, "result": AnswerResult.NOT_APPLICABLE, "note": ""},
    ]
    return services.complete_inspection_form(actor=officer, inspection=inspection, answers=answers)


@pytest.fixture
def district(cast):
    """East street: two hazchem places (both inspected, one hazard closed, one open) and one of another
    sector; west street: three hazchem places (one inspected with an open hazard), one construction site
    and one closed hazchem place; a hazchem place in the other district."""
    east = [
        make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name=f"东{n}")
        for n in (1, 2)
    ]
    make_site(district=cast.district, territory=cast.street, sectors=(("industry_trade", ""),), name="东·工贸")
    west = [
        make_site(district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name=f"西{n}")
        for n in (1, 2, 3)
    ]
    make_site(district=cast.district, territory=cast.other_street, sectors=(("construction", ""),), name="西·工地")
    closed_place = make_site(
        district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name="西·已关闭"
    )
    Site.objects.filter(pk=closed_place.pk).update(status=SiteStatus.CLOSED)
    make_site(district=cast.other_district, territory=cast.far_street, sectors=(("hazchem", ""),), name="乙区危化")
    campaign = _campaign(cast)
    checklist = short_checklist(cast)
    assert services.generate_campaign_tasks(actor=cast.safety_officer, campaign=campaign) == 5
    tasks = {t.site.name: t for t in InspectionTask.objects.filter(campaign=campaign).select_related("site")}
    _inspect(cast, cast.street_officer, tasks["东1"], checklist, hazard=True, seed=11)
    _inspect(cast, cast.street_officer, tasks["东2"], checklist, hazard=True, seed=12)
    _inspect(cast, cast.other_street_officer, tasks["西1"], checklist, hazard=True, seed=13)
    closed = Hazard.objects.get(site=east[0])
    services.fix_on_spot(actor=cast.street_officer, hazard=closed, description="当场清理", photos=[photo(14)])
    services.verify(actor=cast.safety_officer, hazard=closed)
    return {"campaign": campaign, "east": east, "west": west}


def _row(rows, unit):
    return next(r for r in rows if r.unit.pk == unit.pk)


def test_it_shows_the_progress_per_street_and_department(cast, client_for, district):
    campaign = district["campaign"]
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0), tick=False):
        page = client_for(cast.safety_officer).get(reverse("inspections:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    progress = page.context["progress"]
    assert (progress["in_scope"], progress["inspected"], progress["hazards"], progress["closed"]) == (5, 3, 3, 1)
    assert progress["expected_rate"] == 51.6  # 16 of 31 days
    east, west = _row(progress["streets"], cast.street), _row(progress["streets"], cast.other_street)
    assert (east.in_scope, east.inspected, east.rate, east.hazards, east.closed, east.closed_rate) == (
        2,
        2,
        100.0,
        2,
        1,
        50.0,
    )
    assert (west.in_scope, west.inspected, west.rate, west.hazards, west.closed, west.closed_rate) == (
        3,
        1,
        33.3,
        1,
        0,
        0.0,
    )
    assert (east.laggard, west.laggard) == (False, True)
    assert [r.unit for r in progress["departments"]] == [cast.emergency]  # 住建局 supervises no hazchem place
    emergency = progress["departments"][0]
    assert (emergency.in_scope, emergency.inspected, emergency.rate, emergency.laggard) == (5, 3, 60.0, False)
    body = page.content.decode()
    assert body.count(f">{zh('Lagging')}</span>") == 1
    assert f'data-unit="{cast.other_street.pk}" data-laggard' in body
    assert 'data-progress="33.3"' in body
    assert page.context["total_rate"] == 60.0
    # Later in the month the department falls behind the pace too.
    with time_machine.travel(datetime.datetime(2026, 3, 25, 10, 0), tick=False):
        later = client_for(cast.safety_officer).get(reverse("inspections:campaign_detail", args=[campaign.pk]))
    assert later.context["progress"]["expected_rate"] == 80.6
    assert [r.laggard for r in later.context["progress"]["departments"]] == [True]
    assert later.content.decode().count(f">{zh('Lagging')}</span>") == 2


def test_it_scopes_the_campaign_pages(cast, client_for):
    campaign = _campaign(cast)
    urls = [
        reverse("inspections:campaign_list"),
        reverse("inspections:campaign_detail", args=[campaign.pk]),
    ]
    for url in urls:
        for user in (cast.safety_officer, cast.street_officer, cast.department_officer, cast.leader):
            assert client_for(user).get(url).status_code == 200, (url, user)
        for user in (cast.system_admin, cast.security_admin, cast.audit_admin):
            assert client_for(user).get(url).status_code == 404, (url, user)
        assert client_for(None).get(url).status_code == 302
    detail = reverse("inspections:campaign_detail", args=[campaign.pk])
    assert client_for(cast.far_safety_officer).get(detail).status_code == 404
    assert client_for(cast.enterprise).get(detail).status_code == 404
    assert campaign.name not in client_for(cast.far_safety_officer).get(urls[0]).content.decode()
    edit = reverse("inspections:campaign_edit", args=[campaign.pk])
    assert client_for(cast.safety_officer).get(edit).status_code == 200
    for user in (cast.far_safety_officer, cast.street_officer, cast.leader, cast.department_officer, cast.system_admin):
        assert client_for(user).get(edit).status_code == 404, user
    generate = reverse("inspections:campaign_generate_tasks", args=[campaign.pk])
    assert client_for(cast.far_safety_officer).post(generate).status_code == 404
    assert client_for(cast.system_admin).post(generate).status_code == 404
    assert client_for(None).post(generate).status_code == 302
    create = reverse("inspections:campaign_create")
    for user in (cast.street_officer, cast.leader, cast.enterprise, cast.system_admin):
        assert client_for(user).get(create).status_code == 404, user


def test_it_launches_a_campaign_and_generates_its_tasks(cast, client_for):
    make_site(district=cast.district, territory=cast.street, sectors=(("hazchem", ""),), name="东危化")
    make_site(district=cast.district, territory=cast.other_street, sectors=(("hazchem", ""),), name="西危化")
    client = client_for(cast.safety_officer)
    response = client.post(
        reverse("inspections:campaign_create"),
        {
            "name": "节前检查",
            "kind": "holiday",
            "starts_on": "2026-01-10",
            "ends_on": "2026-01-25",
            "deadline": "2026-01-31",
            "sectors": ["hazchem"],
            "territories": [cast.street.pk],
        },
    )
    campaign = Campaign.objects.get(name="节前检查")
    assert response.status_code == 302
    assert campaign.organizer == cast.safety_office
    response = client.post(reverse("inspections:campaign_generate_tasks", args=[campaign.pk]), follow=True)
    assert [t.site.name for t in InspectionTask.objects.filter(campaign=campaign)] == ["东危化"]
    messages = [str(m) for m in response.context["messages"]]
    assert zh("%(count)s inspection tasks were generated.") % {"count": 1} in messages
    # A second run adds nothing.
    response = client.post(reverse("inspections:campaign_generate_tasks", args=[campaign.pk]), follow=True)
    assert zh("No new task: every place in the campaign's scope has one already.") in [
        str(m) for m in response.context["messages"]
    ]


def test_it_refuses_a_period_in_the_wrong_order_with_the_message(cast, client_for):
    response = client_for(cast.safety_officer).post(
        reverse("inspections:campaign_create"),
        {"name": "错", "kind": "special", "starts_on": "2026-03-10", "ends_on": "2026-03-31", "deadline": "2026-03-20"},
    )
    assert response.status_code == 200
    assert zh("The rectification deadline cannot come before the end of the inspections.") in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_words_every_date_order_error_instead_of_naming_constraints(cast, client_for):
    response = client_for(cast.safety_officer).post(
        reverse("inspections:campaign_create"),
        {"name": "错", "kind": "special", "starts_on": "2026-12-10", "ends_on": "2026-12-01", "deadline": "2026-11-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert zh("The inspections cannot end before they start.") in body
    assert "campaign_period_order" not in body and "campaign_deadline_order" not in body


def test_it_offers_a_department_only_its_mandated_sectors_and_refuses_others(cast, client_for):
    client = client_for(cast.department_officer)
    page = client.get(reverse("inspections:campaign_create"))
    offered = {s.code for s in page.context["form"].fields["sectors"].queryset}
    assert offered == set(cast.department_officer.scope.sector_codes)
    assert "construction" not in offered
    data = {
        "name": "建筑施工专项",
        "kind": "special",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "deadline": "2026-04-30",
        "sectors": ["construction"],
    }
    response = client.post(reverse("inspections:campaign_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["sectors"]
    assert not Campaign.objects.exists()
    # The service refuses it too, whatever the form offers.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        _campaign(cast, actor=cast.department_officer, sectors=[Sector.objects.get(code="construction")])
    assert "sectors" in refused.value.message_dict
    data["sectors"] = ["hazchem"]
    assert client.post(reverse("inspections:campaign_create"), data).status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.organizer == cast.emergency
    # Its own campaign it edits; the safety office's it does not.
    assert client.get(reverse("inspections:campaign_edit", args=[campaign.pk])).status_code == 200
    office = _campaign(cast, name="安办的")
    assert (
        client_for(cast.department_officer).get(reverse("inspections:campaign_edit", args=[office.pk])).status_code
        == 404
    )


def test_it_edits_a_campaign(cast, client_for):
    campaign = _campaign(cast)
    response = client_for(cast.safety_officer).post(
        reverse("inspections:campaign_edit", args=[campaign.pk]),
        {
            "name": "危化品专项整治（延长）",
            "kind": "special",
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-15",
            "deadline": "2026-05-31",
            "sectors": ["hazchem", "fireworks"],
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2026, 4, 15)
    assert set(campaign.sectors.values_list("code", flat=True)) == {"hazchem", "fireworks"}
