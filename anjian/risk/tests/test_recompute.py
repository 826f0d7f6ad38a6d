"""Recompute of current levels: a set of places and all of them, in a constant number of statements; the
event path (inspections and accidents announce after commit, the risk module recomputes); the nightly task
and its beat entry."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accidents import services as accident_services
from anjian.inspections import services as inspection_services
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard
from anjian.organizations.models import Sector
from anjian.registry.models import Site
from anjian.risk import levels, tasks
from anjian.risk.tests.assessments import assess, committed, place

pytestmark = pytest.mark.django_db


def levels_of(*sites) -> list[str]:
    return [Site.objects.get(pk=site.pk).risk_level for site in sites]


def test_it_recomputes_only_the_given_places(cast):
    a, b = place(cast, name="甲"), place(cast, name="乙")
    assess(cast, a, "yellow")
    assess(cast, b, "yellow")
    Site.objects.update(risk_level="", risk_reason="")
    assert levels.recompute_levels([a.pk]) == 1
    assert levels_of(a, b) == ["yellow", ""]


def test_it_recomputes_every_place(cast):
    sites = [place(cast, name=f"场所{n}") for n in range(4)]
    for site, level in zip(sites[:3], ("red", "orange", "blue"), strict=False):
        assess(cast, site, level)
    Site.objects.update(risk_level="green", risk_reason="stale")
    assert levels.recompute_levels() == Site.objects.count()
    assert levels_of(*sites) == ["red", "orange", "blue", ""]


def test_the_number_of_statements_does_not_grow_with_the_places(cast):
    sites = [place(cast, name=f"场所{n}") for n in range(2)]
    for site in sites:
        assess(cast, site, "yellow")
    with CaptureQueriesContext(connection) as few:
        levels.recompute_levels()
    more = [place(cast, name=f"更多{n}") for n in range(6)]
    for site in more:
        assess(cast, site, "orange")
    with CaptureQueriesContext(connection) as many:
        levels.recompute_levels()
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len([q for q in many.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]) == 1


def test_reporting_a_major_hazard_raises_the_level_after_commit(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    with committed() as callbacks:
        found_hazard(cast, site, major=True, seed=5)
        # Before the commit, nothing has changed yet.
        assert levels_of(site) == ["yellow"]
    assert callbacks
    assert levels_of(site) == ["orange"]


def test_a_rolled_back_report_changes_nothing(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    with committed() as callbacks:
        try:
            with __import__("django.db").db.transaction.atomic():
                found_hazard(cast, site, major=True, seed=6)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not callbacks
    assert levels_of(site) == ["yellow"]


def test_the_deadline_scan_marks_overdue_and_raises_the_level(cast):
    site = place(cast)
    assess(cast, site, "blue")
    hazard = found_hazard(cast, site, seed=7)
    Hazard.objects.filter(pk=hazard.pk).update(
        status=HazardStatus.RECTIFYING, deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    with committed():
        inspection_services.scan_deadlines()
    assert levels_of(site) == ["yellow"]


def test_recording_an_accident_with_deaths_raises_the_level(cast):
    site = place(cast)
    assess(cast, site, "blue")
    moment = timezone.now() - datetime.timedelta(hours=2)
    with committed():
        accident_services.record_accident(
            actor=cast.safety_officer,
            district=cast.district,
            category="production",
            accident_type="fall",
            occurred_at=moment,
            reported_at=moment,
            summary="高处坠落死亡一人",
            site=site,
            sector=Sector.objects.get(pk="hazchem"),
            deaths=1,
        )
    assert levels_of(site) == ["yellow"]


def test_the_nightly_task_recomputes_everything(cast):
    site = place(cast)
    assess(cast, site, "orange")
    Site.objects.update(risk_level="", risk_reason="")
    assert tasks.recompute_all_levels.delay().get() >= 1
    assert levels_of(site) == ["orange"]


def test_the_nightly_recompute_runs_before_routine_planning():
    entry = settings.CELERY_BEAT_SCHEDULE["risk-recompute-levels-nightly"]
    assert entry["task"] == "anjian.risk.tasks.recompute_all_levels"
    planning = settings.CELERY_BEAT_SCHEDULE["inspections-plan-routine-nightly"]["schedule"]
    assert min(entry["schedule"].hour) * 60 + min(entry["schedule"].minute) < min(planning.hour) * 60 + min(
        planning.minute
    )
