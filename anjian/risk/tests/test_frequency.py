"""Risk drives inspection (STANDARDS §2): the district's frequency table (defaults red 30, orange 91, yellow
182, blue 365 days), the routine planner following it, and the places overdue for inspection."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.inspections import services as inspection_services
from anjian.inspections import standards as inspection_standards
from anjian.inspections.choices import InspectionStatus, TaskOrigin
from anjian.inspections.models import Inspection, InspectionFrequency, InspectionTask
from anjian.registry.models import Site
from anjian.risk import selectors, services
from anjian.risk.tests.assessments import assess, place

pytestmark = pytest.mark.django_db


def inspected(site, cast, days_ago: int):
    """A completed inspection of the place ``days_ago`` days ago."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Inspection.objects.create(
        site=site,
        kind="supervision",
        source="routine",
        status=InspectionStatus.COMPLETED,
        started_at=moment,
        org_unit=cast.street,
        created_by=cast.street_officer,
    )


def test_the_defaults_are_the_standards():
    assert inspection_standards.LEVEL_FREQUENCY_DAYS == {"red": 30, "orange": 91, "yellow": 182, "blue": 365}


def test_a_district_without_rows_uses_the_defaults_and_an_edited_one_its_own(cast):
    services.set_inspection_frequencies(
        actor=cast.safety_officer, district=cast.district, days={"red": 15, "orange": 60, "yellow": 120, "blue": 300}
    )
    tables = inspection_services.level_frequencies([cast.district.pk, cast.other_district.pk])
    assert tables[cast.district.pk] == {"red": 15, "orange": 60, "yellow": 120, "blue": 300}
    assert tables[cast.other_district.pk] == inspection_standards.LEVEL_FREQUENCY_DAYS


@pytest.mark.parametrize(
    "days",
    [
        {"red": 0, "orange": 60, "yellow": 120, "blue": 300},
        {"red": "x", "orange": 60, "yellow": 120, "blue": 300},
        {"red": 90, "orange": 60, "yellow": 120, "blue": 300},
        {"red": 30, "orange": 60, "yellow": 120, "blue": 4000},
        {"red": 30, "orange": 60, "yellow": 120},
    ],
)
def test_it_refuses_bad_frequencies_and_changes_nothing(cast, days):
    with pytest.raises(ValidationError):
        services.set_inspection_frequencies(actor=cast.safety_officer, district=cast.district, days=days)
    assert not InspectionFrequency.objects.exists()


def test_only_the_safety_office_or_city_staff_change_frequencies(cast):
    days = {"red": 15, "orange": 60, "yellow": 120, "blue": 300}
    for user in (cast.street_officer, cast.department_officer, cast.leader, cast.far_safety_officer, cast.system_admin):
        with pytest.raises(PermissionDenied):
            services.set_inspection_frequencies(actor=user, district=cast.district, days=days)


def test_the_routine_planner_follows_the_districts_table(cast):
    site = place(cast)
    assess(cast, site, "red")
    inspected(site, cast, days_ago=40)
    # Default red is 30 days: due 10 days ago, planned now.
    assert inspection_services.generate_frequency_tasks(district=cast.district) == 1
    InspectionTask.objects.all().delete()
    services.set_inspection_frequencies(
        actor=cast.safety_officer, district=cast.district, days={"red": 90, "orange": 120, "yellow": 182, "blue": 365}
    )
    # Now every 90 days: due in 50 days, beyond the 14-day lead.
    assert inspection_services.generate_frequency_tasks(district=cast.district) == 0
    task_note = inspection_services.frequency_days([], "red", {"red": 90})
    assert task_note == 90


def test_the_planner_writes_the_interval_into_the_task(cast):
    site = place(cast)
    assess(cast, site, "orange")
    inspected(site, cast, days_ago=100)
    services.set_inspection_frequencies(
        actor=cast.safety_officer, district=cast.district, days={"red": 20, "orange": 80, "yellow": 182, "blue": 365}
    )
    inspection_services.generate_frequency_tasks(district=cast.district)
    task = InspectionTask.objects.get(site=site, origin=TaskOrigin.FREQUENCY)
    assert "80" in task.note


def overdue_ids(user) -> set[int]:
    return set(selectors.overdue_sites(user).values_list("pk", flat=True))


def test_overdue_places_follow_the_level_and_the_table(cast):
    red_recent = place(cast, name="红近")
    red_old = place(cast, name="红久")
    blue_old = place(cast, name="蓝久")
    never = place(cast, name="从未检查")
    for site, level in ((red_recent, "red"), (red_old, "red"), (blue_old, "blue"), (never, "yellow")):
        assess(cast, site, level)
    inspected(red_recent, cast, days_ago=20)
    inspected(red_old, cast, days_ago=31)
    inspected(blue_old, cast, days_ago=200)
    assert overdue_ids(cast.safety_officer) == {red_old.pk, never.pk}
    services.set_inspection_frequencies(
        actor=cast.safety_officer, district=cast.district, days={"red": 10, "orange": 60, "yellow": 120, "blue": 150}
    )
    assert overdue_ids(cast.safety_officer) == {red_recent.pk, red_old.pk, blue_old.pk, never.pk}


def test_an_unassessed_place_follows_the_strictest_default_of_its_sectors(cast):
    hazchem = place(cast, name="危化", sectors=(("hazchem", ""),))  # 30 days
    trade = place(cast, name="工贸", sectors=(("industry_trade", ""),))  # 180 days
    inspected(hazchem, cast, days_ago=40)
    inspected(trade, cast, days_ago=40)
    assert overdue_ids(cast.safety_officer) == {hazchem.pk}


def test_closed_places_are_not_listed(cast):
    site = place(cast)
    Site.objects.filter(pk=site.pk).update(status="closed")
    assert overdue_ids(cast.safety_officer) == set()


def test_the_overdue_list_is_scoped(cast):
    east = place(cast, name="东")
    west = place(cast, name="西", territory=cast.other_street)
    assert overdue_ids(cast.street_officer) == {east.pk}
    assert overdue_ids(cast.other_street_officer) == {west.pk}
    assert overdue_ids(cast.safety_officer) == {east.pk, west.pk}
    assert overdue_ids(cast.far_safety_officer) == set()
    assert overdue_ids(cast.system_admin) == set()
