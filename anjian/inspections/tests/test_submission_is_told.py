"""When the enterprise submits its rectification, who verifies it is told, and so is the 督办单位 that placed
the hazard under 挂牌督办 (the safety office here), whatever unit reported the hazard."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from anjian.core.models import Notification
from anjian.inspections import services
from anjian.inspections.testing import found_hazard, loop_place, photo

pytestmark = pytest.mark.django_db


def submitted_to() -> set[str]:
    return set(Notification.objects.filter(kind="inspections.submitted").values_list("recipient__username", flat=True))


@pytest.fixture
def noticed(cast):
    """A hazard the street's officer found and gave a rectification notice."""
    hazard = found_hazard(cast, loop_place(cast))
    services.issue_notice(
        actor=cast.street_officer,
        hazard=hazard,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        legal_basis="《安全生产法》第四十一条",
    )
    return hazard


def submit(cast, hazard, capture) -> None:
    with capture(execute=True):
        services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(4)])


def test_the_supervising_unit_of_an_escalated_hazard_hears_of_the_submission(
    cast, noticed, django_capture_on_commit_callbacks
):
    services.escalate(
        actor=cast.safety_officer,
        hazard=noticed,
        official="企业负责人",
        new_deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    submit(cast, noticed, django_capture_on_commit_callbacks)
    assert submitted_to() == {"street_in", "anban"}


def test_a_hazard_nobody_escalated_tells_its_verifier_only(cast, noticed, django_capture_on_commit_callbacks):
    submit(cast, noticed, django_capture_on_commit_callbacks)
    assert submitted_to() == {"street_in"}


def test_a_department_that_escalated_is_told_as_the_supervising_unit(cast, noticed, django_capture_on_commit_callbacks):
    services.escalate(
        actor=cast.department_officer,
        hazard=noticed,
        official="企业负责人",
        new_deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    submit(cast, noticed, django_capture_on_commit_callbacks)
    assert submitted_to() == {"street_in", "dept", "inspector"}
