"""Overdue detection, reminders and escalation with frozen time (the periodic job)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase

from anjian.core.models import Notification
from anjian.inspections import services, workflow
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Escalation, Hazard
from anjian.inspections.testing import found_hazard, loop_place

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def noticed(cast):
    """A hazard found on 1 March with a rectification notice due on 10 March."""
    site = loop_place(cast)
    with at(1):
        hazard = found_hazard(cast, site)
        services.issue_notice(
            actor=cast.street_officer, hazard=hazard, deadline=datetime.date(2026, 3, 10), legal_basis="《消防法》"
        )
    return Hazard.objects.get(pk=hazard.pk)


def scan(**kwargs):
    """The scan as the job runs it: its notifications go out when its transactions commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.scan_deadlines(**kwargs)


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_it_reminds_three_days_before_the_deadline_once(cast, noticed):
    with at(6):
        assert scan()["due_soon"] == 0
    with at(7):
        assert scan()["due_soon"] == 1
        scan()
    assert kinds_for(cast.enterprise).count("inspections.due_soon") == 1
    assert kinds_for(cast.street_officer).count("inspections.due_soon") == 1


def test_it_is_not_overdue_on_the_deadline_day_and_is_the_day_after(cast, noticed):
    with at(10, 23):
        assert not Hazard.objects.overdue().exists()
        assert scan()["overdue"] == 0
    with at(11, 0):
        assert Hazard.objects.get(pk=noticed.pk).is_overdue
        counts = scan()
    assert counts["overdue"] == 1 and counts["escalated"] == 1
    hazard = Hazard.objects.get(pk=noticed.pk)
    escalation = hazard.escalations.get()
    assert escalation.reason == Escalation.Reason.OVERDUE and escalation.automatic
    # The supervision sets the hazard's one deadline, recorded in its history; it keeps none of its own.
    change = hazard.deadline_changes.get(escalation=escalation)
    assert change.previous == datetime.date(2026, 3, 10) and change.changed_by is None
    assert change.deadline == datetime.date(2026, 3, 11) + datetime.timedelta(days=services.ESCALATION_DAYS)
    assert hazard.deadline == change.deadline and hazard.original_deadline == datetime.date(2026, 3, 10)
    assert hazard.status == HazardStatus.NOTICE_ISSUED  # escalation is a record, not a state
    assert [e.action for e in hazard.events.all()][-2:] == ["overdue", "escalated"]
    assert "inspections.overdue" in kinds_for(cast.enterprise)
    assert "inspections.escalated" in kinds_for(cast.safety_officer)


def test_running_the_scan_again_marks_and_escalates_nothing_twice(cast, noticed):
    with at(12):
        scan()
        again = scan()
    assert again["overdue"] == 0 and again["escalated"] == 0
    assert Escalation.objects.count() == 1
    assert Notification.objects.filter(kind="inspections.overdue", recipient=cast.enterprise).count() == 1


def test_an_escalated_hazard_overdue_again_is_marked_again_but_not_re_escalated(cast, noticed):
    with at(12):
        scan()
    new_deadline = Hazard.objects.get(pk=noticed.pk).deadline
    later = datetime.datetime.combine(new_deadline + datetime.timedelta(days=1), datetime.time(9), tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False):
        counts = scan()
        hazard = Hazard.objects.get(pk=noticed.pk)
        assert counts["overdue"] == 1 and counts["escalated"] == 0
        assert workflow.suspension_grounds(hazard)  # refusing under escalated supervision
    assert hazard.events.filter(action="overdue").count() == 2


def test_a_verified_or_submitted_hazard_never_becomes_overdue(cast, noticed):
    from anjian.inspections.testing import photo

    with at(9):
        services.submit_rectification(actor=cast.enterprise, hazard=noticed, description="已整改", photos=[photo(3)])
    with at(20):
        assert scan()["overdue"] == 0
        assert not Hazard.objects.overdue().exists()


def test_the_management_command_runs_the_same_scan(cast, noticed, capsys):
    with at(15):
        call_command("scan_deadlines")
    out = capsys.readouterr().out
    assert "1" in out and Escalation.objects.filter(hazard=noticed).exists()


def test_the_embedded_scheduler_runs_the_beat_schedule(cast, noticed):
    from celery.schedules import crontab
    from django.conf import settings

    from anjian.core.management.commands.run_scheduler import due_entries

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["inspections-scan-deadlines-hourly"]["task"] == "anjian.inspections.tasks.scan_deadlines"
    last: dict = {}
    start = datetime.datetime(2026, 3, 12, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        assert due_entries({"scan": {"schedule": crontab(minute=5)}}, last, start) == []
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert due_entries({"scan": {"schedule": crontab(minute=5)}}, last, start + datetime.timedelta(minutes=6)) == [
            "scan"
        ]
        call_command("run_scheduler", "--once")
    assert Escalation.objects.filter(hazard=noticed, reason="overdue").exists()


def test_task_reminders_go_to_the_assignee_or_the_unit(cast):
    from anjian.inspections.models import InspectionTask

    site = loop_place(cast)
    with at(1):
        task = InspectionTask.objects.create(
            site=site, origin="manual", assignee_unit=cast.street, due_on=datetime.date(2026, 3, 3)
        )
        scan()
    assert "inspections.task_due" in kinds_for(cast.street_officer)
    with at(5):
        scan()
    assert Notification.objects.filter(dedupe_key=f"task:{task.pk}:overdue", recipient=cast.street_officer).exists()


# --- who is told: only those who may see the hazard ------------------------------------------------


ADMINISTRATORS = ("system_admin", "security_admin", "audit_admin")


@pytest.fixture
def city_noticed(cast):
    """A hazard the city administrator found and noticed: its reporting unit is the city, whose unit also
    holds the three administrators (三员分立)."""
    site = loop_place(cast)
    with at(1):
        hazard = found_hazard(cast, site, inspector=cast.city_admin)
        services.issue_notice(
            actor=cast.city_admin, hazard=hazard, deadline=datetime.date(2026, 3, 10), legal_basis="《消防法》"
        )
    return Hazard.objects.get(pk=hazard.pk)


def test_the_three_administrators_are_told_nothing_of_a_hazard_the_city_reported(cast, city_noticed):
    with at(7):
        assert scan()["due_soon"] == 1
    with at(12):
        assert scan()["overdue"] == 1
    for member in ADMINISTRATORS:
        assert kinds_for(getattr(cast, member)) == [], member
    # Those who see the hazard still hear of it.
    assert {"inspections.due_soon", "inspections.overdue"} <= set(kinds_for(cast.city_admin))
    assert {"inspections.due_soon", "inspections.overdue"} <= set(kinds_for(cast.enterprise))
    assert "inspections.overdue" in kinds_for(cast.street_officer)
    assert "inspections.escalated" in kinds_for(cast.safety_officer)


def test_a_reporting_unit_member_who_no_longer_sees_the_place_is_told_nothing(cast, noticed):
    from anjian.registry.services import assign_territory

    assign_territory(actor=cast.safety_officer, site=noticed.site, territory=cast.other_street, reason="划归西街道")
    assert not Hazard.objects.visible_to(cast.street_officer).filter(pk=noticed.pk).exists()
    with at(7):
        scan()
    with at(12):
        scan()
    # The reporting street (东街道) lost the place: its officer hears nothing more of the hazard.
    assert kinds_for(cast.street_officer) == []
    # The street now answering for it, the supervising bureau and the enterprise are told.
    assert "inspections.overdue" in kinds_for(cast.other_street_officer)
    assert "inspections.overdue" in kinds_for(cast.department_officer)
    assert {"inspections.due_soon", "inspections.overdue"} <= set(kinds_for(cast.enterprise))


def _more_like(hazard: Hazard, n: int) -> None:
    """``n`` more hazards like this one, rows of their own (each is reminded on its own)."""
    rows = []
    for i in range(n):
        clone = Hazard.objects.get(pk=hazard.pk)
        clone.pk = clone.number = clone.answer_id = None
        clone.title = f"{hazard.title}（{i}）"
        rows.append(clone)
    Hazard.objects.bulk_create(rows)


def test_reminding_about_many_hazards_costs_no_more_queries_than_about_a_few(cast, city_noticed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _more_like(city_noticed, 2)
    with at(7):
        with CaptureQueriesContext(connection) as few:
            assert scan()["due_soon"] == 3
        told_few = Notification.objects.filter(kind="inspections.due_soon").count()
        Notification.objects.all().delete()
        _more_like(city_noticed, 37)
        with CaptureQueriesContext(connection) as many:
            assert scan()["due_soon"] == 40
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    # The city administrator and the enterprise account, for each hazard.
    assert told_few == 3 * 2
    assert Notification.objects.filter(kind="inspections.due_soon").count() == 40 * 2
