"""An accident with a death, or of grade 较大 or above, is told at once to the street, the departments
supervising its sector and the district leaders (the city too from 较大); a correction tells what is new — a
first death, a higher grade — and nothing else; an accident without either tells nobody."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services
from anjian.accidents.models import Accident
from anjian.accidents.tests.test_record_pages import NEW, form_data, record
from anjian.core.models import Notification
from anjian.inspections.testing import loop_place
from anjian.organizations.models import Sector

pytestmark = pytest.mark.django_db

FATAL_TOLD = {"street_in", "dept", "inspector", "leader"}
NEVER = {"street_out", "far_anban", "sysadmin", "secadmin", "auditor"}


@pytest.fixture
def recorded(cast, django_capture_on_commit_callbacks):
    """Record a hazchem accident at the cast's place in 东街道, its notifications sent as on commit."""
    place = loop_place(cast)

    def record_at_place(**measures) -> Accident:
        with django_capture_on_commit_callbacks(execute=True):
            return record(cast, site=place, sector=Sector.objects.get(code="hazchem"), **measures)

    return record_at_place


def correct(accident, django_capture_on_commit_callbacks, actor, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        services.correct_casualties(actor=actor, accident=accident, reason="医院核实", **changes)


def told() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for username, kind in Notification.objects.order_by("pk").values_list("recipient__username", "kind"):
        found.setdefault(username, []).append(kind)
    return found


def test_a_death_recorded_by_the_safety_office_is_told_to_the_street_the_bureau_and_the_leader(cast, recorded):
    accident = recorded(deaths=1, serious_injuries=0)
    assert accident.grade == "ordinary"
    assert told() == {name: ["accidents.fatal"] for name in FATAL_TOLD}
    note = Notification.objects.filter(recipient=cast.leader).get()
    assert note.url == reverse("accidents:accident_detail", args=[accident.pk])
    when = f"{timezone.localtime(accident.occurred_at):%Y-%m-%d %H:%M}"
    assert note.title == f"{when} {accident.site.name}发生一般事故：死亡1人，重伤0人"
    assert note.body == accident.summary


def test_a_relatively_serious_accident_is_told_to_the_city_too(cast, recorded):
    recorded(deaths=0, serious_injuries=12)  # 10 or more seriously injured: 较大
    assert told() == {name: ["accidents.serious"] for name in FATAL_TOLD | {"cityadmin"}}


def test_an_accident_without_a_death_below_relatively_serious_tells_nobody(cast, recorded):
    recorded(deaths=0, serious_injuries=2)
    assert told() == {}


def test_a_correction_tells_a_first_death_then_a_raised_grade_and_nothing_else(
    cast, recorded, django_capture_on_commit_callbacks
):
    accident = recorded(deaths=0, serious_injuries=1)
    assert told() == {}
    correct(accident, django_capture_on_commit_callbacks, cast.safety_officer, deaths=1)
    assert told() == {name: ["accidents.fatal"] for name in FATAL_TOLD}
    assert Notification.objects.first().title == f"{accident.site.name}事故核报更正为一般事故：死亡1人，重伤1人"
    correct(accident, django_capture_on_commit_callbacks, cast.safety_officer, deaths=2)  # still 一般, not the first
    correct(accident, django_capture_on_commit_callbacks, cast.safety_officer, deaths=3)  # now 较大
    after = told()
    assert {name: kinds for name, kinds in after.items() if name != "cityadmin"} == {
        name: ["accidents.fatal", "accidents.serious"] for name in FATAL_TOLD
    }
    assert after["cityadmin"] == ["accidents.serious"]
    correct(accident, django_capture_on_commit_callbacks, cast.safety_officer, deaths=1)  # lowered: nothing new
    correct(accident, django_capture_on_commit_callbacks, cast.safety_officer, deaths=3)  # 较大 again: told once
    assert told() == after
    assert not set(after) & NEVER


def test_a_death_in_the_other_street_is_told_to_that_street_not_to_ours(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(
            cast,
            territory=cast.other_street,
            address="西街道化工路2号",
            sector=Sector.objects.get(code="hazchem"),
            deaths=1,
        )
    assert set(told()) == {"street_out", "dept", "inspector", "leader"}


def test_the_page_records_a_fatal_accident_and_the_leaders_bell_rings(
    cast, client_for, django_capture_on_commit_callbacks
):
    """The safety office records 3 deaths on a building site (construction: the housing bureau, which has no
    account in the cast): the street, the leader and the city hear of it; the leader's bell shows it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.safety_officer).post(NEW, form_data(cast))
    accident = Accident.objects.get()
    assert response.status_code == 302 and accident.grade == "relatively_serious"
    assert set(told()) == {"street_in", "leader", "cityadmin"}
    page = client_for(cast.leader).get(reverse("core:notification_list"))
    assert f"{accident.address}发生较大事故：死亡3人" in page.content.decode()
