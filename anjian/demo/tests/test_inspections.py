"""The demo hazards (`seed_demo`, issue 4 item 9): every state, overdue and escalated ones, photos that are
served, timelines the workflow allows, enforcement consistent with the places, and a second run that adds
nothing. Seeded once per module at a tenth of the full size, inside a transaction rolled back at the end."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core.models import AuditEntry, Notification
from anjian.core.permissions import verifies_major_hazards_on_site
from anjian.demo import inspections as demo
from anjian.inspections import selectors, workflow
from anjian.inspections.choices import (
    DEADLINE_STATUSES,
    OPEN_STATUSES,
    ClosureDecision,
    EnforcementKind,
    HazardGrade,
    HazardStatus,
    InspectionKind,
    PhotoStage,
    TaskStatus,
)
from anjian.inspections.models import (
    Campaign,
    DeadlineChange,
    EnforcementAction,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
    Rectification,
    RectificationNotice,
    RectificationResult,
)
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site

pytestmark = pytest.mark.demo

SIZE = 0.1
MODELS = [
    Campaign,
    InspectionTask,
    Inspection,
    InspectionAnswer,
    Hazard,
    HazardEvent,
    RectificationNotice,
    Rectification,
    Escalation,
    EnforcementAction,
    Photo,
    AuditEntry,
]


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(demo_city, django_db_blocker):
    """The demo city and places of the session, then the inspections at a tenth of the size (rolled back after the
    module); notifications sent as on commit."""
    with django_db_blocker.unblock(), transaction.atomic():
        district = OrgUnit.objects.get(kind=OrgUnitKind.DISTRICT, code="990102")
        with TestCase.captureOnCommitCallbacks(execute=True):
            summary = demo.seed(district=district, size=SIZE)
        yield district, summary
        transaction.set_rollback(True)


@pytest.fixture
def district(seeded, db):
    return seeded[0]


@pytest.fixture
def summary(seeded, db):
    return seeded[1]


def _replay(hazard: Hazard, events: list[HazardEvent]) -> str:
    """Replays the timeline through the transition table; returns the status it ends in."""
    assert events[0].action == "reported", hazard.number
    status = HazardStatus.REPORTED
    last = None
    for event in events:
        assert last is None or event.at >= last, hazard.number
        last = event.at
        if event.from_status:
            assert event.from_status == status, (hazard.number, event.action, status)
            transition = workflow.check(event.action, status)
            assert event.to_status == transition.target, (hazard.number, event.action)
            status = transition.target
        elif event.action == "overdue":
            assert status in DEADLINE_STATUSES, hazard.number
    return status


class TestHazards:
    def test_it_makes_hazards_in_every_state(self, district, summary):
        statuses = set(Hazard.objects.filter(district=district).values_list("status", flat=True))
        assert statuses == set(HazardStatus.values)
        total = Hazard.objects.filter(district=district).count()
        assert 0.8 * 8000 * SIZE < total < 1.3 * 8000 * SIZE
        verified = Hazard.objects.filter(district=district, status=HazardStatus.VERIFIED).count()
        assert verified > total / 2
        assert summary["hazards"] == total

    def test_numbers_follow_the_services_format(self, district):
        for hazard in Hazard.objects.filter(district=district):
            assert hazard.number == f"YH{timezone.localtime(hazard.reported_at):%Y}{hazard.pk:07d}"
        for notice in RectificationNotice.objects.filter(hazard__district=district):
            assert re.fullmatch(rf"滨江区安整改〔\d{{4}}〕{notice.pk}号", notice.number), notice.number

    def test_some_are_overdue_and_every_overdue_one_is_marked_and_escalated(self, district):
        overdue = list(Hazard.objects.overdue().filter(district=district))
        assert len(overdue) >= 10
        for hazard in overdue:
            assert hazard.escalated_at is not None, hazard.number
            assert hazard.events.filter(action="overdue", data__deadline=hazard.deadline.isoformat()).exists()

    def test_every_open_major_hazard_is_escalated(self, district):
        majors = Hazard.objects.open().filter(district=district, grade=HazardGrade.MAJOR)
        assert majors.exists()
        assert not majors.filter(escalated_at__isnull=True).exists()
        for hazard in majors:
            assert hazard.escalations.filter(reason=Escalation.Reason.MAJOR, automatic=True).exists()
            assert hazard.criteria_document and hazard.checklist_item.is_major_criterion

    def test_every_timeline_is_one_the_workflow_allows(self, district):
        hazards = Hazard.objects.filter(district=district).prefetch_related("events")
        for hazard in hazards:
            events = sorted(hazard.events.all(), key=lambda e: (e.at, e.pk))
            assert _replay(hazard, events) == hazard.status, hazard.number
            if hazard.status == HazardStatus.VERIFIED:
                assert hazard.closed_at and hazard.verified_by_id
            if hazard.is_escalated:
                assert any(e.action == "escalated" for e in events), hazard.number

    def test_nobody_verifies_their_own_rectification_and_enterprises_never_verify(self, district):
        reviewed = Rectification.objects.filter(hazard__district=district, reviewed_by__isnull=False)
        assert reviewed.exists()
        for rectification in reviewed.select_related("reviewed_by"):
            assert rectification.reviewed_by_id != rectification.submitted_by_id
            assert rectification.reviewed_by.role != "enterprise"
        accepted = Rectification.objects.filter(result=RectificationResult.ACCEPTED, hazard__district=district)
        assert accepted.count() >= Hazard.objects.filter(district=district, status=HazardStatus.VERIFIED).count()
        rejected = Hazard.objects.filter(district=district, rejection_count__gt=0)
        assert rejected.exists()
        for hazard in rejected:
            assert hazard.rectifications.filter(result=RectificationResult.REJECTED).count() == hazard.rejection_count

    def test_the_actors_act_within_their_scope(self, district):
        sample = Hazard.objects.filter(district=district, self_reported=False).select_related("reported_by")[::7]
        editable: dict[int, set[int]] = {}
        for hazard in sample:
            user = hazard.reported_by
            if user.pk not in editable:
                editable[user.pk] = set(Site.objects.editable_by(user).values_list("pk", flat=True))
            assert hazard.site_id in editable[user.pk], hazard.number
            assert hazard.reporting_unit_id == user.org_unit_id

    def test_the_enterprise_runs_self_inspections(self, district):
        account = User.objects.get(username="qiye")
        own = Inspection.objects.filter(kind=InspectionKind.SELF, site__district=district)
        assert own.count() >= 10
        assert set(own.values_list("created_by", flat=True)) == {account.pk}
        found = Hazard.objects.filter(self_reported=True, district=district)
        assert found.exists() and not found.exclude(reported_by=account).exists()
        assert not found.filter(reporting_unit__isnull=False).exists()


class TestPhotos:
    def test_every_hazard_and_rectification_has_a_photo(self, district):
        hazards = Hazard.objects.filter(district=district)
        assert not hazards.exclude(photos__stage=PhotoStage.FINDING).exists()
        rectifications = Rectification.objects.filter(hazard__district=district)
        assert not rectifications.filter(photos__isnull=True).exists()

    def test_photos_reuse_a_few_stored_files(self, district):
        # The demo district's photos; the city ranking demo's supervision visits elsewhere upload their own.
        names = set(Photo.objects.filter(uploaded_by__org_unit__district=district).values_list("file", flat=True))
        assert 10 <= len(names) <= 60
        for name in names | set(Photo.objects.values_list("thumbnail", flat=True)):
            assert default_storage.exists(name), name

    def test_a_photo_is_served_through_its_scoped_view(self, district):
        photo = Photo.objects.filter(hazard__district=district, stage=PhotoStage.AFTER).first()
        client = Client()
        client.force_login(User.objects.get(username="anban"))
        response = client.get(reverse("inspections:photo_file", args=[photo.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        outsider = Client()
        outsider.force_login(User.objects.get(username="chengnan"))
        assert outsider.get(reverse("inspections:photo_file", args=[photo.pk])).status_code == 404


class TestCampaignsAndEnforcement:
    def test_campaigns_have_tasks_done_open_and_overdue(self, district):
        campaigns = Campaign.objects.filter(district=district)
        assert 4 <= campaigns.count() <= 6
        tasks = InspectionTask.objects.filter(campaign__district=district)
        assert tasks.filter(status=TaskStatus.DONE).exists()
        assert tasks.filter(status=TaskStatus.OPEN, due_on__lt=timezone.localdate()).exists()
        for task in tasks.filter(status=TaskStatus.DONE)[:50]:
            assert task.inspection.campaign_id == task.campaign_id

    def test_suspension_orders_and_closures_match_the_places(self, district):
        orders = EnforcementAction.objects.filter(site__district=district, kind=EnforcementKind.SUSPENSION)
        assert orders.count() >= 3
        for order in orders:
            assert order.site.status in (SiteStatus.SUSPENDED, SiteStatus.CLOSED)
            latest = order.site.status_changes.order_by("-changed_at", "-id").first()
            assert latest.to_status == order.site.status
            assert re.fullmatch(rf"滨江区安责停〔\d{{4}}〕{order.pk}号", order.number)
        closures = EnforcementAction.objects.filter(site__district=district, kind=EnforcementKind.CLOSURE)
        assert set(closures.values_list("decision", flat=True)) == {ClosureDecision.PENDING, ClosureDecision.APPROVED}
        pending = closures.get(decision=ClosureDecision.PENDING)
        assert pending.site.status == SiteStatus.SUSPENDED
        approved = closures.get(decision=ClosureDecision.APPROVED)
        assert approved.site.status == SiteStatus.CLOSED and approved.number
        assert not Hazard.objects.filter(site=approved.site, status__in=OPEN_STATUSES).exists()
        assert Hazard.objects.filter(site=approved.site, status=HazardStatus.CLOSED_WITH_SITE).exists()


class TestRun:
    def test_it_writes_one_audit_record(self, district):
        assert AuditEntry.objects.filter(action=demo.AUDIT_ACTION).count() == 1
        # The city ranking demo's supervision visits (by the city administrator) go through the audited services.
        units = OrgUnit.objects.filter(district=district).values("pk")
        assert not AuditEntry.objects.filter(action="inspections.hazard.report", org_unit_id__in=units).exists()

    def test_the_jobs_ran_and_the_demo_accounts_have_notifications(self, district, summary):
        assert summary["frequency_tasks"] > 0
        assert Notification.objects.filter(recipient__username__in=["anban", "haibin", "wangjiang"]).exists()

    def test_a_second_run_adds_nothing(self, district):
        before = _counts()
        assert demo.seed(district=district, size=SIZE) is None
        with override_settings(ANJIAN_DEMO=True):
            call_command("seed_demo", stdout=io.StringIO())
        assert _counts() == before


class TestOneDeadlineAndTheLifting:
    """The demo's hazards as the loop now makes them: one deadline with its history, supervised hazards closed by
    an on-site verification and the safety office's lifting, notices in the enforcing department's name, and the
    officers' tasks spread over the coming weeks."""

    def test_no_closed_hazard_keeps_its_tag(self, district):
        closed = Hazard.objects.filter(district=district).exclude(status__in=OPEN_STATUSES)
        assert closed.filter(escalated_at__isnull=False).exists()
        assert not closed.filter(escalated_at__isnull=False, supervision_lifted_at__isnull=True).exists()
        assert not Escalation.objects.filter(hazard__in=closed, lifted_at__isnull=True).exists()

    def test_supervised_hazards_are_verified_on_site_then_lifted(self, district):
        supervised = Hazard.objects.filter(
            district=district, status=HazardStatus.VERIFIED, escalated_at__isnull=False
        ).prefetch_related("events")
        assert supervised.exists()
        office = User.objects.get(username="anban")
        for hazard in supervised:
            actions = [e.action for e in sorted(hazard.events.all(), key=lambda e: (e.at, e.pk))]
            assert actions[-2:] == ["verify_on_site", "lift_supervision"], hazard.number
            lifting = hazard.events.get(action="lift_supervision")
            assert lifting.actor_id == office.pk != hazard.verified_by_id
        majors = Hazard.objects.filter(district=district, status=HazardStatus.VERIFIED, grade=HazardGrade.MAJOR)
        for hazard in majors.select_related("verified_by__org_unit", "site"):
            assert verifies_major_hazards_on_site(hazard.verified_by), hazard.number
            assert hazard.photos.filter(stage=PhotoStage.VERIFICATION).exists(), hazard.number
            accepted = hazard.rectifications.get(result=RectificationResult.ACCEPTED)
            if hazard.site.latitude is not None:
                assert accepted.review_distance is not None and accepted.review_distance < 1000
        assert Hazard.objects.filter(district=district, status=HazardStatus.VERIFIED_ON_SITE).exists()

    def test_each_deadline_is_the_last_of_its_history(self, district):
        hazards = Hazard.objects.filter(district=district, deadline__isnull=False).prefetch_related("deadline_changes")
        assert hazards.exists()
        for hazard in hazards:
            changes = sorted(hazard.deadline_changes.all(), key=lambda c: (c.changed_at, c.pk))
            assert changes and changes[-1].deadline == hazard.deadline, hazard.number
            previous = None
            for change in changes:
                assert change.previous == previous != change.deadline, hazard.number
                previous = change.deadline
        assert DeadlineChange.objects.filter(hazard__district=district, escalation__isnull=False).exists()

    def test_notices_are_issued_in_the_enforcing_departments_name(self, district):
        emergency = OrgUnit.objects.get(district=district, department_type="emergency")
        notices = RectificationNotice.objects.filter(hazard__district=district, hazard__sector_id="hazchem")
        assert notices.exists() and not notices.exclude(enforcing_unit=emergency).exists()
        office = OrgUnit.objects.get(district=district, kind=OrgUnitKind.SAFETY_OFFICE)
        assert not RectificationNotice.objects.filter(hazard__district=district, enforcing_unit=office).exists()

    def test_the_inspectors_tasks_are_spread_over_the_coming_weeks(self, district):
        today = timezone.localdate()
        for username in ("jiancha", "yingji", "zhujian"):
            due = [t.due_on for t in selectors.my_tasks(User.objects.get(username=username))]
            assert len(due) >= 6, username
            overdue = [d for d in due if d < today]
            assert 1 <= len(overdue) < len(due) / 2, (username, due)
            coming = [d for d in due if d >= today]
            assert max(coming) - min(coming) >= datetime.timedelta(days=14), (username, due)
        campaign_open = InspectionTask.objects.filter(campaign__district=district, status=TaskStatus.OPEN)
        assert (
            len(set(campaign_open.values_list("due_on", flat=True)))
            > Campaign.objects.filter(district=district).count()
        )  # batches due on their own dates, not all on the campaign's last day
