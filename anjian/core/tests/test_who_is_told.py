"""Every kind of notification, sent about the records of one place of the cast, reaches exactly the people the
table names and who may see the record: the street 东街道, the emergency bureau (hazchem), the enterprise, the
safety office as 督办单位, the district leader and the city as each kind says; never the other street, the
housing bureau (another sector), the other district's safety office or the three administrators (三员分立)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accidents.choices import AccidentCategory
from anjian.accidents.services import record_accident
from anjian.accounts.services import create_user
from anjian.core import notification_rules as rules
from anjian.core import notifications
from anjian.core.models import Notification
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.choices import AnswerResult, InspectionKind
from anjian.inspections.models import Hazard, InspectionTask, Photo
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist
from anjian.organizations.models import Sector

pytestmark = pytest.mark.django_db

# Usernames of the cast (anjian/accounts/testing.py), and a housing bureau officer added here.
NEVER = {"street_out", "far_anban", "housing", "sysadmin", "secadmin", "auditor"}
EVERYONE = NEVER | {"street_in", "dept", "inspector", "enterprise", "leader", "anban", "cityadmin"}
HAZARD_AROUND = {"street_in", "dept", "inspector", "enterprise"}

# kind → (the record it is about, who caused it, the units the sender names, exactly who is told).
WALK = {
    # Reported by the street's officer: the street knows, the emergency bureau (hazchem) is told.
    "inspections.hazard_new": ("hazard", "street_officer", None, {"dept", "inspector"}),
    "inspections.escalated": ("hazard", "safety_officer", None, HAZARD_AROUND | {"anban"}),
    "inspections.notice_issued": ("hazard", "street_officer", None, {"enterprise"}),
    # The reporting street verifies; the safety office, which placed it under 挂牌督办, is told too.
    "inspections.submitted": ("hazard", "enterprise", None, {"street_in", "anban"}),
    # Verified on site under 挂牌督办: the safety office, which lifts the supervision (摘牌).
    "inspections.verified_on_site": ("hazard", "department_officer", None, {"anban"}),
    "inspections.verified": ("hazard", "street_officer", None, {"enterprise"}),
    "inspections.rejected": ("hazard", "street_officer", None, {"enterprise"}),
    "inspections.due_soon": ("hazard", None, None, {"street_in", "enterprise"}),
    "inspections.overdue": ("hazard", None, None, HAZARD_AROUND),
    "inspections.suspension": ("hazard", "street_officer", None, {"enterprise"}),
    "inspections.closure_requested": ("hazard", "street_officer", None, {"anban"}),
    "inspections.campaign_tasks": ("campaign", "safety_officer", "street", {"street_in"}),
    "inspections.task_assigned": ("task", "department_officer", None, {"inspector"}),
    "inspections.task_due": ("task", None, None, {"inspector"}),
    # A photo the enterprise uploaded, found damaged: its uploader alone.
    "inspections.photo_failed": ("photo", None, None, {"enterprise"}),
    # A death: the street, the sector's departments, the district leader; not the city, and not the safety office,
    # which recorded it (an accident recorded by a street tells the safety office: see the roadside one below).
    "accidents.fatal": ("fatal", "safety_officer", None, {"street_in", "dept", "inspector", "leader"}),
    # 较大: the city too (its administrator; the three administrators sit in the same unit and hear nothing).
    "accidents.serious": ("serious", "safety_officer", None, {"street_in", "dept", "inspector", "leader", "cityadmin"}),
}


def _accident(cast, place, **fields):
    occurred = timezone.now() - datetime.timedelta(hours=3)
    values = {
        "district": cast.district,
        "territory": cast.street,
        "site": place,
        "category": AccidentCategory.PRODUCTION,
        "sector": Sector.objects.get(code="hazchem"),
        "accident_type": "poisoning",
        "occurred_at": occurred,
        "reported_at": occurred + datetime.timedelta(minutes=20),
        "summary": "储罐区作业人员中毒",
        **fields,
    }
    return record_accident(actor=cast.safety_officer, **values)


@shared_fixture
def world(cast):
    """A hazchem place of 东街道 with the cast's enterprise, and a record of every kind the table knows."""
    create_user(
        actor=None, username="housing", real_name="住建局干部", org_unit=cast.housing, role="department_officer"
    )
    place = loop_place(cast)
    hazard = found_hazard(cast, place)  # reported by the street's officer
    today = timezone.localdate()
    services.escalate(
        actor=cast.safety_officer, hazard=hazard, official="企业负责人", new_deadline=today + datetime.timedelta(days=9)
    )
    checklist = short_checklist(cast, code="self-check")
    inspection = services.start_inspection(
        actor=cast.enterprise, site=place, kind=InspectionKind.SELF, checklist=checklist
    )
    self_reported = services.record_answer(
        actor=cast.enterprise,
        inspection=inspection,
        item=checklist.items.first(),
        result=AnswerResult.NONCOMPLIANT,
        note="自查发现",
        photos=[photo(7)],
    ).hazard
    campaign = services.create_campaign(
        actor=cast.safety_officer,
        name="危化品专项整治",
        kind="special",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=30),
    )
    task = InspectionTask.objects.create(
        site=place, origin="manual", assignee_unit=cast.emergency, assignee=cast.inspector, due_on=today
    )
    unassigned = InspectionTask.objects.create(site=place, origin="manual", assignee_unit=cast.street, due_on=today)
    return {
        "place": place,
        "hazard": hazard,
        "self_reported": self_reported,
        "campaign": campaign,
        "task": task,
        "unassigned": unassigned,
        "photo": Photo.objects.filter(uploaded_by=cast.enterprise).first(),
        "fatal": _accident(cast, place, deaths=1),
        "serious": _accident(cast, place, deaths=3),
        "roadside": _accident(cast, None, deaths=1, address="东街道化工路口"),
    }


def told(cast, world, kind, about, *, actor=None, units=()) -> set[str]:
    """Send one message of ``kind`` now and return the usernames it reached."""
    message = notifications.message(
        kind, about=world[about], title="通知", actor=getattr(cast, actor) if actor else None, units=units
    )
    notifications.send([message])
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_walk_covers_every_kind_of_the_table():
    assert set(WALK) == set(rules.KINDS)


@pytest.mark.parametrize("kind", list(WALK))
def test_each_kind_reaches_exactly_whom_the_table_names(cast, world, kind):
    about, actor, unit, expected = WALK[kind]
    units = [getattr(cast, unit).pk] if unit else ()
    got = told(cast, world, kind, about, actor=actor, units=units)
    assert got == expected
    assert not got & NEVER
    assert expected <= EVERYONE


def test_a_hazard_the_enterprise_reported_itself_is_verified_by_the_street_and_the_sector(cast, world):
    """No reporting unit: the place's street and its sector's department verify, and the 督办单位 hears of it."""
    services.escalate(
        actor=cast.safety_officer,
        hazard=world["self_reported"],
        official="企业负责人",
        new_deadline=timezone.localdate() + datetime.timedelta(days=9),
    )
    got = told(cast, world, "inspections.submitted", "self_reported", actor="enterprise")
    assert got == {"street_in", "dept", "inspector", "anban"}


def test_a_hazard_the_enterprise_reported_is_news_to_the_street_and_the_sector(cast, world):
    assert told(cast, world, "inspections.hazard_new", "self_reported", actor="enterprise") == {
        "street_in",
        "dept",
        "inspector",
    }


def test_a_hazard_reported_by_the_bureau_is_news_to_the_street_only(cast, world):
    assert told(cast, world, "inspections.hazard_new", "hazard", actor="inspector") == {"street_in"}


def test_a_task_nobody_holds_yet_reminds_its_unit(cast, world):
    assert told(cast, world, "inspections.task_due", "unassigned") == {"street_in"}


def test_an_accident_off_the_registry_goes_to_the_departments_the_district_mandates(cast, world):
    assert told(cast, world, "accidents.fatal", "roadside") == {"street_in", "dept", "inspector", "anban", "leader"}


def test_a_department_excluded_for_the_place_is_not_told(cast, world):
    from anjian.registry.models import SupervisionOverride

    SupervisionOverride.objects.create(
        site=world["place"], sector_id="hazchem", department=cast.emergency, effect="exclude", reason="划转"
    )
    assert told(cast, world, "inspections.overdue", "hazard") == {"street_in", "enterprise"}


def test_resolving_a_batch_costs_the_same_queries_for_many_records_as_for_few(cast, world):
    """One resolver call per (model, audience) in a batch: twelve overdue hazards cost what three cost."""

    def overdue_batch(n: int) -> tuple[int, int]:
        hazards = []
        for i in range(n):
            clone = Hazard.objects.get(pk=world["hazard"].pk)
            clone.pk = clone.number = clone.answer_id = None
            clone.title = f"同类隐患{i}"
            clone.save()
            hazards.append(clone)
        messages = [notifications.message("inspections.overdue", about=h, title="逾期") for h in hazards]
        with CaptureQueriesContext(connection) as queries:
            sent = notifications.send(messages)
        return len(queries), sent

    few, sent_few = overdue_batch(3)
    many, sent_many = overdue_batch(12)
    assert (sent_few, sent_many) == (3 * 4, 12 * 4)
    assert many == few
