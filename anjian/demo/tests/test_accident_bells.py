"""The demo's last month of accidents with a death or of grade 较大 and above is told as the services tell it: the
district leader opens the demo with those in the bell, the three administrators with nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from anjian.accidents import standards
from anjian.accidents.models import Accident
from anjian.core.models import Notification
from anjian.demo.accidents.writing import ANNOUNCED_DAYS

pytestmark = pytest.mark.demo


def test_the_demo_leader_finds_the_last_months_deadly_accidents_in_the_bell(demo_city, db):
    notes = list(Notification.objects.filter(recipient__username="leader", kind__startswith="accidents."))
    assert notes, "the demo leader's bell is empty"
    told = {int(note.url.rstrip("/").rsplit("/", 1)[1]): note.kind for note in notes}
    since = timezone.now() - datetime.timedelta(days=ANNOUNCED_DAYS + 1)
    for accident in Accident.objects.filter(pk__in=told):
        assert accident.occurred_at >= since
        serious = accident.grade in standards.CITY_TOLD_GRADES
        assert told[accident.pk] == ("accidents.serious" if serious else "accidents.fatal")
        assert serious or accident.deaths
    # The scripted fall from a scaffold 20 days ago, one death.
    assert any(note.kind == "accidents.fatal" and "死亡1人" in note.title for note in notes)


def test_the_three_administrators_hear_nothing_of_the_demo_accidents(demo_city, db):
    admins = ["sysadmin", "secadmin", "auditor"]
    assert not Notification.objects.filter(recipient__username__in=admins).exists()
