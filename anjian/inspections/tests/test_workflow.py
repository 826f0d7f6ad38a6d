"""The hazard workflow through its services: the table, who may move it, and the evidence it needs."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.inspections import services
from anjian.inspections.choices import AnswerResult, HazardGrade, HazardStatus, InspectionKind
from anjian.inspections.models import Escalation, Hazard, Photo
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist, zh
from anjian.inspections.workflow import TRANSITIONS, TransitionError, allowed_from, check
from anjian.registry.choices import SiteStatus

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def site(cast):
    return loop_place(cast)


@pytest.fixture
def hazard(cast, site):
    return found_hazard(cast, site)


def submitted(cast, hazard):
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="《消防法》")
    services.acknowledge_notice(actor=cast.enterprise, hazard=hazard)
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已清理通道", photos=[photo(9)])
    return Hazard.objects.get(pk=hazard.pk)


def test_it_closes_the_loop_by_notice_and_verification(cast, hazard):
    assert hazard.status == HazardStatus.REPORTED and hazard.number.startswith("YH")
    notice = services.issue_notice(
        actor=cast.street_officer, hazard=hazard, deadline=in_days(10), legal_basis="《消防法》第二十八条"
    )
    assert notice.number.endswith("号") and "〔" in notice.number
    services.acknowledge_notice(actor=cast.enterprise, hazard=hazard)
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已清理通道", photos=[photo(2)])
    services.verify(actor=cast.street_officer, hazard=hazard, note="现场复查合格")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VERIFIED and hazard.closed_at and hazard.verified_by == cast.street_officer
    assert list(hazard.events.values_list("action", flat=True)) == [
        "reported",
        "issue_notice",
        "acknowledge",
        "submit",
        "verify",
    ]
    assert AuditEntry.objects.filter(action="inspections.hazard.transition", object_id=str(hazard.pk)).count() == 4


def test_it_verifies_a_hazard_fixed_on_the_spot_by_someone_else(cast, hazard):
    services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="当场清理", photos=[photo(3)])
    with pytest.raises(PermissionDenied, match=zh("You submitted this rectification: someone else must verify it.")):
        services.verify(actor=cast.street_officer, hazard=hazard)
    services.verify(actor=cast.department_officer, hazard=hazard)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.VERIFIED


def test_it_refuses_a_fix_on_the_spot_without_an_after_photo(cast, hazard):
    with pytest.raises(ValidationError):
        services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="当场清理", photos=[])
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED


@pytest.mark.parametrize(
    ("action", "call"),
    [
        ("verify", lambda c, h: services.verify(actor=c.department_officer, hazard=h)),
        ("reject", lambda c, h: services.reject(actor=c.department_officer, hazard=h, reason="不合格")),
        (
            "submit",
            lambda c, h: services.submit_rectification(
                actor=c.enterprise, hazard=h, description="x", photos=[photo(4)]
            ),
        ),
        ("acknowledge", lambda c, h: services.acknowledge_notice(actor=c.enterprise, hazard=h)),
    ],
)
def test_it_refuses_every_move_the_table_forbids_from_reported(cast, hazard, action, call):
    with pytest.raises(TransitionError) as caught:
        call(cast, hazard)
    message = caught.value.messages[0]
    assert str(HazardStatus.REPORTED.label) in message
    assert caught.value.code == "forbidden"
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED


def test_the_table_names_the_current_state_and_the_way_out():
    for status in HazardStatus.values:
        allowed = {t.action for t in TRANSITIONS.values() if status in t.sources}
        for action in TRANSITIONS:
            if action in allowed:
                assert check(action, status).target
            else:
                with pytest.raises(TransitionError):
                    check(action, status)
    with pytest.raises(TransitionError) as caught:
        check("verify", HazardStatus.VERIFIED)
    assert caught.value.code == "conflict"
    assert allowed_from(HazardStatus.VERIFIED) == []


def test_it_refuses_self_verification_by_the_submitter_and_by_enterprises(cast, hazard):
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(5), legal_basis="《消防法》")
    # A supervisor who submits on the enterprise's behalf cannot then verify it.
    services.submit_rectification(
        actor=cast.department_officer, hazard=hazard, description="代为提交", photos=[photo(5)]
    )
    with pytest.raises(PermissionDenied):
        services.verify(actor=cast.department_officer, hazard=hazard)
    with pytest.raises(PermissionDenied):
        services.verify(actor=cast.enterprise, hazard=hazard)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.SUBMITTED
    services.verify(actor=cast.street_officer, hazard=hazard)


def test_it_refuses_verification_without_an_after_photo(cast, hazard):
    hazard = submitted(cast, hazard)
    Photo.objects.filter(rectification__hazard=hazard).delete()
    with pytest.raises(ValidationError, match=zh("Verification needs at least one photo after the rectification.")):
        services.verify(actor=cast.street_officer, hazard=hazard)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.SUBMITTED


def test_it_refuses_submission_without_an_after_photo(cast, hazard):
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(5), legal_basis="《消防法》")
    with pytest.raises(ValidationError):
        services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[])


def test_a_rejection_sends_it_back_with_the_reason_and_counts_failures(cast, hazard):
    hazard = submitted(cast, hazard)
    with pytest.raises(ValidationError):
        services.reject(actor=cast.street_officer, hazard=hazard, reason=" ")
    services.reject(actor=cast.street_officer, hazard=hazard, reason="通道仍有杂物")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.rejection_count == 1
    assert hazard.events.last().note == "通道仍有杂物"


def test_leaders_and_out_of_scope_officers_cannot_move_it(cast, hazard):
    for user in (cast.leader, cast.other_street_officer, cast.far_safety_officer, cast.system_admin):
        with pytest.raises(PermissionDenied):
            services.issue_notice(actor=user, hazard=hazard, deadline=in_days(5), legal_basis="x")


def test_enterprises_cannot_issue_notices_nor_set_deadlines_for_what_the_government_found(cast, hazard):
    with pytest.raises(PermissionDenied):
        services.issue_notice(actor=cast.enterprise, hazard=hazard, deadline=in_days(5), legal_basis="x")
    with pytest.raises(PermissionDenied):
        services.commit_to_deadline(actor=cast.enterprise, hazard=hazard, deadline=in_days(5))


def test_a_deadline_in_the_past_is_refused(cast, hazard):
    with pytest.raises(ValidationError):
        services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(-1), legal_basis="x")


def test_a_major_criterion_makes_a_major_hazard_escalated_at_once(cast, site):
    site.enterprise.principal = "王建国"
    site.enterprise.save()
    hazard = found_hazard(cast, site, major=True)
    assert hazard.grade == HazardGrade.MAJOR and hazard.criteria_edition == "安监总管三〔2017〕121号"
    escalation = hazard.escalations.get()
    assert escalation.reason == Escalation.Reason.MAJOR and escalation.automatic
    assert "王建国" in escalation.responsible_official
    assert escalation.supervising_unit == cast.safety_office


def test_a_major_hazard_needs_its_plan_before_submission(cast, site):
    hazard = found_hazard(cast, site, major=True)
    services.issue_notice(actor=cast.safety_officer, hazard=hazard, deadline=in_days(30), legal_basis="121号文")
    services.acknowledge_notice(actor=cast.enterprise, hazard=hazard)
    needs_plan = re.escape(zh("A major hazard needs its rectification plan (six elements and funds) first."))
    with pytest.raises(ValidationError, match=needs_plan):
        services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="x", photos=[photo(6)])
    with pytest.raises(ValidationError) as caught:
        services.file_plan(actor=cast.enterprise, hazard=hazard, objectives="分区储存", funds="")
    assert {"methods", "funds", "safety_measures"} <= set(caught.value.message_dict)
    services.file_plan(
        actor=cast.enterprise,
        hazard=hazard,
        objectives="分区分类储存",
        methods="改造仓库隔断",
        funds_and_materials="自筹资金",
        organisation="主要负责人牵头",
        timeline="30日内完成",
        safety_measures="整改期间停止入库，落实应急预案",
        funds="120000",
    )
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已改造", photos=[photo(7)])
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.SUBMITTED


def test_grading_major_outside_the_criteria_needs_a_written_reason(cast, site):
    checklist = short_checklist(cast)
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)
    with pytest.raises(ValidationError):
        services.add_hazard(
            actor=cast.street_officer,
            inspection=inspection,
            title="配电箱进水",
            grade=HazardGrade.MAJOR,
            photos=[photo()],
        )
    hazard = services.add_hazard(
        actor=cast.street_officer,
        inspection=inspection,
        title="配电箱进水",
        grade=HazardGrade.MAJOR,
        major_reason="临近储罐区，可能引发火灾爆炸",
        photos=[photo()],
    )
    assert hazard.is_major and hazard.escalations.exists()


def test_enterprise_self_inspection_marks_findings_self_reported(cast, site):
    checklist = short_checklist(cast)
    inspection = services.start_inspection(
        actor=cast.enterprise, site=site, kind=InspectionKind.SELF, checklist=checklist
    )
    item = checklist.items.first()
    answer = services.record_answer(
        actor=cast.enterprise, inspection=inspection, item=item, result=AnswerResult.NONCOMPLIANT, photos=[photo()]
    )
    hazard = answer.hazard
    assert hazard.self_reported and hazard.source == "self_inspection" and hazard.reporting_unit is None
    services.commit_to_deadline(actor=cast.enterprise, hazard=hazard, deadline=in_days(7))
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(2)])
    with pytest.raises(PermissionDenied):
        services.verify(actor=cast.enterprise, hazard=hazard)
    services.verify(actor=cast.street_officer, hazard=hazard)


def test_enterprises_only_self_inspect_and_officers_never_do(cast, site):
    with pytest.raises(PermissionDenied):
        services.start_inspection(actor=cast.enterprise, site=site, kind=InspectionKind.SUPERVISION)
    with pytest.raises(ValidationError):
        services.start_inspection(actor=cast.street_officer, site=site, kind=InspectionKind.SELF)


def test_an_enforcement_inspection_needs_two_certified_officers(cast, site):
    two_officers = zh("A law-enforcement inspection needs at least two officers with a valid certificate.")
    with pytest.raises(ValidationError, match=re.escape(two_officers)):
        services.start_inspection(actor=cast.department_officer, site=site, kind=InspectionKind.ENFORCEMENT)
    for user, number in ((cast.department_officer, "33010620260001"), (cast.inspector, "33010620260002")):
        user.enforcement_certificate = number
        user.certificate_valid_until = in_days(300)
        user.save()
    cast.inspector.certificate_valid_until = in_days(-1)
    cast.inspector.save()
    with pytest.raises(ValidationError):
        services.start_inspection(
            actor=cast.department_officer, site=site, kind=InspectionKind.ENFORCEMENT, inspectors=[cast.inspector]
        )
    cast.inspector.certificate_valid_until = in_days(30)
    cast.inspector.save()
    inspection = services.start_inspection(
        actor=cast.department_officer, site=site, kind=InspectionKind.ENFORCEMENT, inspectors=[cast.inspector]
    )
    assert set(inspection.inspectors.all()) == {cast.department_officer, cast.inspector}


def test_completing_needs_every_item_answered_and_closes_the_task(cast, site):
    checklist = short_checklist(cast)
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)
    items = list(checklist.items.all())
    services.record_answer(
        actor=cast.street_officer, inspection=inspection, item=items[0], result=AnswerResult.COMPLIANT
    )
    with pytest.raises(ValidationError):
        services.complete_inspection(actor=cast.street_officer, inspection=inspection)
    with pytest.raises(ValidationError, match=re.escape(zh("Take at least one photo for “%(item)s”.").split("%(")[0])):
        services.record_answer(
            actor=cast.street_officer, inspection=inspection, item=items[2], result=AnswerResult.COMPLIANT
        )
    services.record_answer(
        actor=cast.street_officer, inspection=inspection, item=items[1], result=AnswerResult.NOT_APPLICABLE
    )
    services.record_answer(
        actor=cast.street_officer, inspection=inspection, item=items[2], result=AnswerResult.COMPLIANT, photos=[photo()]
    )
    with pytest.raises(ValidationError):
        services.record_answer(actor=cast.street_officer, inspection=inspection, item=items[0], result="compliant")
    done = services.complete_inspection(actor=cast.street_officer, inspection=inspection)
    assert done.status == "completed" and done.ended_at is not None
    with pytest.raises(ValidationError):
        services.complete_inspection(actor=cast.street_officer, inspection=inspection)


def test_the_single_submit_loses_nothing_when_one_photo_is_refused(cast, site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    checklist = short_checklist(cast)
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)
    items = list(checklist.items.all())
    evidence_dir = Path(settings.MEDIA_ROOT) / "evidence"

    def stored():
        return {p for p in evidence_dir.rglob("*") if p.is_file()}

    before = stored()
    bad = SimpleUploadedFile("fake.jpg", b"this is not a photo", "image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.complete_inspection_form(
            actor=cast.street_officer,
            inspection=inspection,
            answers=[
                {"item_id": items[0].pk, "result": "noncompliant", "photos": [photo()]},
                {"item_id": items[1].pk, "result": "not_applicable"},
                {"item_id": items[2].pk, "result": "compliant", "photos": [bad]},
            ],
        )
    assert f"item-{items[2].pk}" in caught.value.message_dict
    assert not Hazard.objects.exists() and not Photo.objects.exists() and not inspection.answers.exists()
    # The first item's photo had been written to the storage: it is deleted with the refused form.
    assert stored() == before


def test_suspension_needs_grounds_and_closure_is_decided_by_the_safety_office(cast, site):
    hazard = found_hazard(cast, site)
    with pytest.raises(TransitionError):
        services.order_suspension(actor=cast.street_officer, hazard=hazard, reason="拒不整改")
    hazard = submitted(cast, hazard)
    services.reject(actor=cast.street_officer, hazard=hazard, reason="未整改")
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="再次整改", photos=[photo(8)])
    services.reject(actor=cast.street_officer, hazard=hazard, reason="复查仍不合格")
    with pytest.raises(TransitionError):
        services.request_closure(actor=cast.street_officer, hazard=hazard, reason="整改无望")
    order = services.order_suspension(actor=cast.street_officer, hazard=hazard, reason="两次复查不合格")
    site.refresh_from_db()
    assert site.status == SiteStatus.SUSPENDED and "责停" in order.number
    request = services.request_closure(actor=cast.street_officer, hazard=hazard, reason="停产整顿后仍不具备安全条件")
    with pytest.raises(PermissionDenied):
        services.decide_closure(actor=cast.street_officer, action=request, approve=True, note="同意")
    services.decide_closure(actor=cast.safety_officer, action=request, approve=True, note="经区政府同意，予以关闭")
    site.refresh_from_db()
    hazard.refresh_from_db()
    assert site.status == SiteStatus.CLOSED and hazard.status == HazardStatus.CLOSED_WITH_SITE
    with pytest.raises(TransitionError):
        services.decide_closure(actor=cast.safety_officer, action=request, approve=False, note="再议")
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions[-4:] == ["suspension_ordered", "closure_requested", "closure_decided", "close_with_site"]


def test_editing_a_checklist_makes_a_new_version_and_old_inspections_keep_theirs(cast, site):
    checklist = short_checklist(cast)
    inspection = services.start_inspection(actor=cast.street_officer, site=site, checklist=checklist)
    revised = services.revise_checklist(
        actor=cast.city_admin, template=checklist, name="简短检查表（修订）", items=[{"text": "新增检查项"}]
    )
    checklist.refresh_from_db()
    assert revised.version == 2 and revised.is_current and not checklist.is_current
    inspection.refresh_from_db()
    assert inspection.checklist_id == checklist.pk and inspection.checklist.items.count() == 3
    with pytest.raises(ValidationError):
        services.revise_checklist(actor=cast.city_admin, template=checklist, name="旧版", items=[{"text": "x"}])
    # Checklists are city-wide reference data: no district user revises them, its safety office included.
    for member in ("street_officer", "safety_officer", "far_safety_officer", "department_officer", "leader"):
        with pytest.raises(PermissionDenied):
            services.revise_checklist(actor=getattr(cast, member), template=revised, name="x", items=[{"text": "x"}])
        with pytest.raises(PermissionDenied):
            services.create_checklist(
                actor=getattr(cast, member), code=f"new-{member}", name="x", sector_code=None, items=[{"text": "x"}]
            )


def test_a_major_hazard_is_never_fixed_on_the_spot(cast, site):
    hazard = found_hazard(cast, site, major=True)
    with pytest.raises(TransitionError):
        services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="当场处理", photos=[photo(2)])
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED


def test_an_inspection_without_a_checklist_records_hazards_only(cast, site):
    inspection = services.start_inspection(actor=cast.street_officer, site=site, default_checklist=False)
    assert inspection.checklist is None
    with pytest.raises(ValidationError):
        services.complete_inspection(actor=cast.street_officer, inspection=inspection)
    services.add_hazard(actor=cast.street_officer, inspection=inspection, title="消防通道堆放杂物", photos=[photo()])
    assert services.complete_inspection(actor=cast.street_officer, inspection=inspection).hazards.count() == 1


def test_an_inspection_started_by_mistake_is_cancelled_and_its_task_opens_again(cast, site, client_for):
    from django.urls import reverse

    from anjian.inspections.models import InspectionTask

    task = InspectionTask.objects.create(site=site, origin="manual", assignee_unit=cast.street, due_on=in_days(3))
    inspection = services.start_inspection(actor=cast.street_officer, site=site, task=task)
    with pytest.raises(PermissionDenied):
        services.cancel_inspection(actor=cast.department_officer, inspection=inspection, reason="走错")
    with pytest.raises(ValidationError):
        services.cancel_inspection(actor=cast.street_officer, inspection=inspection, reason=" ")
    response = client_for(cast.street_officer).post(
        reverse("inspections:inspection_cancel", args=[inspection.pk]), {"reason": "企业停业，无法检查"}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "cancelled" and inspection.task is None and inspection.note == "企业停业，无法检查"
    again = services.start_inspection(actor=cast.street_officer, site=site, task=task)
    assert again.task == task
    services.add_hazard(actor=cast.street_officer, inspection=again, title="配电箱未上锁", photos=[photo()])
    with pytest.raises(ValidationError):
        services.cancel_inspection(actor=cast.street_officer, inspection=again, reason="不检查了")
    outsider = client_for(cast.other_street_officer).post(
        reverse("inspections:inspection_cancel", args=[again.pk]), {"reason": "x"}
    )
    assert outsider.status_code == 404
