"""One current deadline on a hazard, with its history (old, new, who, why, when): the notice, the enterprise's
commitment, escalated supervision (挂牌督办) and a rejection each set the hazard's deadline; none keeps its own."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import Notification
from anjian.inspections import services
from anjian.inspections.choices import AnswerResult, DeadlineReason, HazardStatus, InspectionKind
from anjian.inspections.models import DeadlineChange, Escalation, Hazard
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist, zh

pytestmark = pytest.mark.django_db


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def site(cast):
    return loop_place(cast)


def history(hazard) -> list[tuple]:
    return list(
        DeadlineChange.objects.filter(hazard=hazard)
        .order_by("changed_at", "id")
        .values_list("previous", "deadline", "reason")
    )


def notified_titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_the_notice_sets_the_first_deadline_with_who_and_why(cast, site):
    hazard = found_hazard(cast, site)
    notice = services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    change = DeadlineChange.objects.get(hazard=hazard)
    assert (change.previous, change.deadline, change.reason) == (None, in_days(10), DeadlineReason.NOTICE)
    assert change.note == notice.number
    assert change.changed_by == cast.street_officer and change.changed_by_unit == cast.street
    assert Hazard.objects.get(pk=hazard.pk).deadline == in_days(10)


def test_escalated_supervision_sets_the_hazards_deadline_and_keeps_none_of_its_own(cast, site):
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    escalation = services.escalate(
        actor=cast.safety_officer, hazard=hazard, official="张三（总经理）", new_deadline=in_days(20), note="限期"
    )
    hazard.refresh_from_db()
    assert hazard.deadline == in_days(20)
    assert not hasattr(escalation, "new_deadline") and not hasattr(escalation, "previous_deadline")
    assert history(hazard) == [
        (None, in_days(10), DeadlineReason.NOTICE),
        (in_days(10), in_days(20), DeadlineReason.ESCALATION),
    ]
    change = hazard.deadline_changes.get(reason=DeadlineReason.ESCALATION)
    assert change.escalation == escalation and change.changed_by == cast.safety_officer and change.note == "限期"


def test_escalating_with_the_current_deadline_changes_nothing(cast, site):
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(10))
    assert len(history(hazard)) == 1


def test_a_major_hazard_gets_one_deadline_and_the_enterprise_hears_of_one(cast, client_for, site):
    """The issue's case: a major hazard, escalated at once, then given its notice. The supervision invents no
    deadline of its own, so the page, the records and the notifications all speak of the notice's one date."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        major = found_hazard(cast, site, major=True)
    assert major.is_escalated and Hazard.objects.get(pk=major.pk).deadline is None
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.issue_notice(actor=cast.department_officer, hazard=major, deadline=in_days(28), legal_basis="法")
    assert history(major) == [(None, in_days(28), DeadlineReason.NOTICE)]
    titles = notified_titles(cast.enterprise)
    assert len(titles) == 2  # the escalation, then the notice
    assert {date for title in titles for date in re.findall(r"\d{4}-\d{2}-\d{2}", title)} == {in_days(28).isoformat()}

    page = client_for(cast.enterprise).get(reverse("inspections:hazard_detail", args=[major.pk]))
    content = page.content.decode()
    assert content.count(in_days(28).isoformat()) >= 1
    assert zh("New deadline") not in content
    escalations = page.context["escalations"]
    assert len(escalations) == 1 and escalations[0].lifted_at is None


def test_the_commitment_and_a_rejection_are_in_the_history(cast, site):
    checklist = short_checklist(cast)
    inspection = services.start_inspection(
        actor=cast.enterprise, site=site, kind=InspectionKind.SELF, checklist=checklist
    )
    answer = services.record_answer(
        actor=cast.enterprise,
        inspection=inspection,
        item=checklist.items.first(),
        result=AnswerResult.NONCOMPLIANT,
        photos=[photo(2)],
    )
    hazard = answer.hazard
    assert hazard.self_reported
    services.commit_to_deadline(actor=cast.enterprise, hazard=hazard, deadline=in_days(5), note="自行整改")
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(3)])
    services.reject(actor=cast.street_officer, hazard=hazard, reason="仍未清理", deadline=in_days(12))
    commitment, rejection = DeadlineChange.objects.filter(hazard=hazard).order_by("changed_at", "id")
    assert commitment.reason == DeadlineReason.COMMITMENT and commitment.changed_by == cast.enterprise
    assert commitment.changed_by_unit is None  # the enterprise is named, not the district of its account
    assert (rejection.previous, rejection.deadline, rejection.note) == (in_days(5), in_days(12), "仍未清理")
    assert rejection.reason == DeadlineReason.REJECTION


def test_an_overdue_hazard_escalated_by_the_platform_gets_its_new_deadline_in_the_history(cast, site):
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(1), legal_basis="法")
    later = timezone.localdate() + datetime.timedelta(days=3)
    services.scan_deadlines(today=later)
    change = DeadlineChange.objects.get(hazard=hazard, reason=DeadlineReason.ESCALATION)
    assert change.changed_by is None and change.changed_by_unit == cast.safety_office
    assert change.previous == in_days(1)
    assert Hazard.objects.get(pk=hazard.pk).deadline == change.deadline


def test_the_page_shows_one_deadline_and_its_history(cast, client_for, site, django_assert_max_num_queries):
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(20))
    client = client_for(cast.street_officer)
    url = reverse("inspections:hazard_detail", args=[hazard.pk])
    with django_assert_max_num_queries(40) as captured:
        response = client.get(url)
    few = len(captured)
    content = response.content.decode()
    rows = response.context["deadline_changes"]
    assert [(c.previous, c.deadline) for c in rows] == [(None, in_days(10)), (in_days(10), in_days(20))]
    assert 'data-testid="deadline-history"' in content and 'data-testid="deadline">' + in_days(20).isoformat() in (
        content
    )
    # The notice card and the supervision card show no deadline of their own.
    notice_card = content.split('data-testid="notice"')[1].split('class="card mb-3"')[0]
    assert in_days(10).isoformat() not in notice_card
    escalation_card = content.split('data-testid="escalations"')[1]
    assert in_days(20).isoformat() not in escalation_card.split("</div>\n    </div>")[0]
    # More changes, the same number of queries.
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="李四", new_deadline=in_days(30))
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="王五", new_deadline=in_days(40))
    with django_assert_max_num_queries(few):
        assert len(client.get(url).context["deadline_changes"]) == 4


def test_the_api_gives_the_history_and_no_deadline_on_the_supervision(cast, client_for, site):
    hazard = found_hazard(cast, site)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(20))
    body = client_for(cast.enterprise).get(f"/api/hazards/{hazard.pk}/").json()
    assert body["deadline"] == in_days(20).isoformat()
    assert [(c["previous"], c["deadline"], c["reason"]) for c in body["deadline_changes"]] == [
        (None, in_days(10).isoformat(), "notice"),
        (in_days(10).isoformat(), in_days(20).isoformat(), "escalation"),
    ]
    assert "new_deadline" not in body["escalations"][0] and "previous_deadline" not in body["escalations"][0]
    assert client_for(cast.other_street_officer).get(f"/api/hazards/{hazard.pk}/").status_code == 404


def test_the_data_migration_rebuilds_the_history_the_services_write(cast, site):
    """Existing rows: the history is rebuilt from the timeline, closed hazards lose their tag, notices get their
    enforcing department. Run on rows the services wrote, it gives back what they recorded."""
    migration = importlib.import_module("anjian.inspections.migrations.0011_deadline_history_data")
    hazard = found_hazard(cast, site, seed=4)
    notice = services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(20))
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(20))
    services.acknowledge_notice(actor=cast.enterprise, hazard=hazard)
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(5)])
    services.reject(actor=cast.street_officer, hazard=hazard, reason="不合格")  # keeps the deadline
    recorded = history(hazard)
    closed = found_hazard(cast, site, seed=6)
    services.escalate(actor=cast.safety_officer, hazard=closed, official="李四", new_deadline=in_days(9))
    closed_at = timezone.now()
    Hazard.objects.filter(pk=closed.pk).update(status=HazardStatus.VERIFIED, closed_at=closed_at)

    DeadlineChange.objects.all().delete()
    Escalation.objects.update(lifted_at=None, lift_note="")
    Hazard.objects.update(supervision_lifted_at=None)
    type(notice).objects.filter(pk=notice.pk).update(enforcing_unit=cast.street, supervising_unit=None)
    migration.forwards(apps, None)

    assert (
        history(hazard)
        == recorded
        == [
            (None, in_days(10), DeadlineReason.NOTICE),
            (in_days(10), in_days(20), DeadlineReason.ESCALATION),
        ]
    )
    assert DeadlineChange.objects.get(hazard=hazard, reason=DeadlineReason.ESCALATION).escalation is not None
    assert Hazard.objects.get(pk=closed.pk).supervision_lifted_at == closed_at
    assert not Escalation.objects.filter(hazard=closed, lifted_at__isnull=True).exists()
    assert Escalation.objects.filter(hazard=hazard, lifted_at__isnull=True).count() == 2  # still open: kept
    notice.refresh_from_db()
    assert notice.enforcing_unit == cast.emergency and notice.supervising_unit is None
