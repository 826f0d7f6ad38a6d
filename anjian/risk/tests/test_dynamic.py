"""The current (dynamic) level (STANDARDS §2): the latest assessment raised one colour, never above red, while
an open major hazard, an overdue rectification or an accident with deaths in the last 12 months holds; an
unassessed place stays blank. Each rule alone, combined, and the reason written in Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from anjian.accidents.models import Accident
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, zh
from anjian.registry.models import Site
from anjian.risk import levels
from anjian.risk.tests.assessments import assess, place

pytestmark = pytest.mark.django_db

RULE_MSGIDS = {
    "major_hazard": "an open major hazard",
    "overdue": "a rectification overdue",
    "fatal_accident": "an accident with deaths in the last 12 months",
}
COLOURS = {"red": "Red", "orange": "Orange", "yellow": "Yellow", "blue": "Blue"}


def raised(current, assessed, *rules) -> str:
    return zh("%(current)s: assessed as %(assessed)s, raised one level because of %(reasons)s") % {
        "current": zh(COLOURS[current]),
        "assessed": zh(COLOURS[assessed]),
        "reasons": joined(zh(RULE_MSGIDS[rule]) for rule in rules),
    }


def joined(items) -> str:
    items = list(items)
    text = items[0]
    for item in items[1:]:
        text = zh("%(list)s, %(item)s") % {"list": text, "item": item}
    return text


def state(site) -> tuple[str, str]:
    site.refresh_from_db()
    return site.risk_level, site.risk_reason


def open_major(cast, site, seed=2):
    return found_hazard(cast, site, major=True, seed=seed)


def overdue(cast, site, seed=3):
    hazard = found_hazard(cast, site, seed=seed)
    Hazard.objects.filter(pk=hazard.pk).update(
        status=HazardStatus.RECTIFYING, deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    return hazard


def fatal_accident(cast, site, *, days_ago=30, deaths=1):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Accident.objects.create(
        district=site.district,
        territory=site.territory,
        site=site,
        category="production",
        accident_type="fall",
        occurred_at=moment,
        reported_at=moment,
        deaths=deaths,
        summary="高处坠落",
        created_by=cast.safety_officer,
    )


def test_it_leaves_an_unassessed_place_blank_never_blue(cast):
    site = place(cast)
    open_major(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site) == ("", zh("Not assessed"))


def test_it_keeps_the_assessed_level_when_no_rule_holds(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    assert state(site) == ("yellow", zh("%(current)s: as assessed") % {"current": zh("Yellow")})


def test_an_open_major_hazard_raises_one_colour(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    open_major(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site) == ("orange", raised("orange", "yellow", "major_hazard"))


def test_an_overdue_rectification_raises_one_colour(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    overdue(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site) == ("orange", raised("orange", "yellow", "overdue"))


def test_a_deadline_not_yet_passed_is_not_overdue(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    hazard = overdue(cast, site)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate())
    levels.recompute_levels([site.pk])
    assert state(site)[0] == "yellow"


def test_an_accident_with_deaths_within_12_months_raises_one_colour(cast):
    site = place(cast)
    assess(cast, site, "blue")
    fatal_accident(cast, site, days_ago=364)
    levels.recompute_levels([site.pk])
    assert state(site) == ("yellow", raised("yellow", "blue", "fatal_accident"))


def test_older_accidents_and_accidents_without_deaths_do_not_count(cast):
    site = place(cast)
    assess(cast, site, "blue")
    fatal_accident(cast, site, days_ago=366)
    fatal_accident(cast, site, days_ago=10, deaths=0)
    levels.recompute_levels([site.pk])
    assert state(site)[0] == "blue"


def test_a_closed_major_hazard_no_longer_counts(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    hazard = open_major(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site)[0] == "orange"
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.VERIFIED)
    levels.recompute_levels([site.pk])
    assert state(site)[0] == "yellow"


def test_rules_combined_raise_only_one_colour_and_list_every_reason(cast):
    site = place(cast)
    assess(cast, site, "blue")
    open_major(cast, site)
    overdue(cast, site)
    fatal_accident(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site) == ("yellow", raised("yellow", "blue", "major_hazard", "overdue", "fatal_accident"))


def test_it_never_goes_above_red(cast):
    site = place(cast)
    assess(cast, site, "red")
    open_major(cast, site)
    fatal_accident(cast, site)
    levels.recompute_levels([site.pk])
    level, reason = state(site)
    assert level == "red"
    assert reason == zh("%(current)s: assessed as %(assessed)s; %(reasons)s (already the highest level)") % {
        "current": zh("Red"),
        "assessed": zh("Red"),
        "reasons": joined([zh(RULE_MSGIDS["major_hazard"]), zh(RULE_MSGIDS["fatal_accident"])]),
    }


def test_the_latest_assessment_is_the_base(cast):
    site = place(cast)
    assess(cast, site, "red", days_ago=100)
    assess(cast, site, "blue", days_ago=1)
    overdue(cast, site)
    levels.recompute_levels([site.pk])
    assert state(site)[0] == "yellow"


def test_the_reason_is_chinese_whatever_the_language_of_the_request(cast):
    site = place(cast)
    assess(cast, site, "yellow")
    with translation.override("en"):
        levels.recompute_levels([site.pk])
    assert state(site)[1] == zh("%(current)s: as assessed") % {"current": zh("Yellow")}


def test_every_code_has_a_level_and_a_reason_of_at_most_300_characters():
    codes = levels._codes()
    assert len(codes) == 1 + 4 * 8
    assert all(len(reason) <= Site._meta.get_field("risk_reason").max_length for _c, _l, reason in codes)
    assert {level for _c, level, _r in codes} == {"", "red", "orange", "yellow", "blue"}
