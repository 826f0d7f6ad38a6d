"""The hazard loop through the API, as a mobile client drives it with a token: an inspection with a
multipart photo, the notice, the enterprise's rectification, the verification; the refusals a client
must be able to show (forbidden move, self-verification, conflict, a photo that is no photo)."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from django.utils import timezone, translation
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.core.models import AuditEntry
from anjian.inspections import evidence, services, workflow
from anjian.inspections.choices import AnswerResult, HazardStatus, InspectionKind
from anjian.inspections.models import (
    EnforcementAction,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
)
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist
from anjian.registry.choices import SiteStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    """A client authenticated with a real API token, as a phone would be."""

    def client_for(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
        return client

    return client_for


@pytest.fixture
def place(cast):
    return loop_place(cast)


@pytest.fixture
def checklist(cast):
    return short_checklist(cast)


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _zh(callable_, *args, **kwargs) -> str:
    """The message a service gives in Chinese (whatever the catalogue holds for it now)."""
    with translation.override("zh-hans"):
        try:
            callable_(*args, **kwargs)
        except ValidationError as error:
            return " ".join(error.messages)
    raise AssertionError("expected a refusal")


def _evidence_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _start(client, place, checklist, **extra):
    response = client.post(
        "/api/inspections/",
        {"site": place.pk, "checklist": checklist.pk, **extra},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _items(checklist) -> list:
    return list(checklist.items.order_by("order"))


class TestTheLoop:
    def test_it_runs_the_whole_loop_through_the_api(self, cast, place, checklist, api):
        inspector = api(cast.inspector)
        general, major, extinguisher = _items(checklist)

        started = _start(
            inspector,
            place,
            checklist,
            latitude="30.15000012345678",
            longitude="120.15000098765432",
            accuracy=8,
        )
        assert started["status"] == "in_progress" and started["kind"] == InspectionKind.SUPERVISION
        assert started["latitude"] == "30.150000" and started["longitude"] == "120.150001"
        assert [p["id"] for p in started["inspectors"]] == [cast.inspector.pk]
        url = f"/api/inspections/{started['id']}/"

        answered = inspector.post(
            f"{url}answers/",
            {
                "item": general.pk,
                "result": AnswerResult.NONCOMPLIANT,
                "note": "东侧通道堆放货物",
                "location": "仓库东侧通道",
                "photos": [photo(1), photo(2)],
            },
            format="multipart",
        )
        assert answered.status_code == 201, answered.content
        answer = answered.json()["answers"][0]
        assert answer["result"] == "noncompliant" and len(answer["photos"]) == 2
        assert resolve(urlparse(answer["photos"][0]["url"]).path).url_name == "photo_file"
        assert resolve(urlparse(answer["photos"][0]["thumbnail_url"]).path).url_name == "photo_thumbnail"
        hazard_id = answer["hazard"]
        assert answered.json()["hazards"] == [hazard_id]
        for item, result in ((major, AnswerResult.COMPLIANT), (extinguisher, AnswerResult.NOT_APPLICABLE)):
            response = inspector.post(f"{url}answers/", {"item": item.pk, "result": result}, format="multipart")
            assert response.status_code == 201, response.content

        completed = inspector.post(f"{url}complete/", {"note": "检查完毕"}, format="json")
        assert completed.status_code == 200 and completed.json()["status"] == "completed"
        assert completed.json()["ended_at"]

        hazard_url = f"/api/hazards/{hazard_id}/"
        found = inspector.get(hazard_url).json()
        assert found["grade"] == "general" and found["location"] == "仓库东侧通道"
        assert found["title"] == general.text and found["legal_basis"] == general.legal_basis
        assert "issue-notice" in found["actions"] and "verify" not in found["actions"]

        notice = inspector.post(
            f"{hazard_url}issue-notice/", {"deadline": _in(10), "requirements": "清理通道"}, format="json"
        )
        assert notice.status_code == 200, notice.content
        assert notice.json()["status"] == HazardStatus.NOTICE_ISSUED
        assert notice.json()["notice"]["legal_basis"] == general.legal_basis
        assert resolve(urlparse(notice.json()["notice"]["document_url"]).path).url_name == "notice_docx"

        enterprise = api(cast.enterprise)
        listed = enterprise.get("/api/hazards/").json()["results"]
        assert [(h["id"], h["actions"]) for h in listed] == [(hazard_id, ["acknowledge", "submit"])]
        acknowledged = enterprise.post(f"{hazard_url}acknowledge/", {"note": "已签收"}, format="json")
        assert acknowledged.status_code == 200 and acknowledged.json()["status"] == HazardStatus.RECTIFYING
        submitted = enterprise.post(
            f"{hazard_url}submit/",
            {"description": "货物已清走，通道畅通", "cost": "200.00", "photos": [photo(3)]},
            format="multipart",
        )
        assert submitted.status_code == 200, submitted.content
        assert submitted.json()["status"] == HazardStatus.SUBMITTED
        assert submitted.json()["actions"] == []  # an enterprise never verifies

        officer = api(cast.street_officer)
        assert officer.get(hazard_url).json()["actions"][:2] == ["verify", "reject"]
        verified = officer.post(f"{hazard_url}verify/", {"note": "现场复查合格"}, format="json")
        assert verified.status_code == 200, verified.content

        detail = verified.json()
        assert detail["status"] == HazardStatus.VERIFIED and detail["actions"] == []
        assert detail["verified_by"]["id"] == cast.street_officer.pk
        timeline = [(e["action"], e["to_status"], e["actor"]["id"]) for e in detail["events"]]
        assert timeline == [
            ("reported", "", cast.inspector.pk),
            ("issue_notice", HazardStatus.NOTICE_ISSUED, cast.inspector.pk),
            ("acknowledge", HazardStatus.RECTIFYING, cast.enterprise.pk),
            ("submit", HazardStatus.SUBMITTED, cast.enterprise.pk),
            ("verify", HazardStatus.VERIFIED, cast.street_officer.pk),
        ]
        assert all(e["label"] for e in detail["events"])
        assert [p["stage"] for p in detail["photos"]] == ["finding", "finding", "after"]
        rectification = detail["rectifications"][0]
        assert rectification["result"] == "accepted" and rectification["cost"] == "200.00"
        assert rectification["photos"] == [detail["photos"][2]["id"]]
        assert AuditEntry.objects.filter(action="inspections.hazard.transition", object_id=str(hazard_id)).count() == 4

    def test_an_enterprise_runs_its_self_inspection_and_commits_to_a_deadline(self, cast, place, checklist, api):
        enterprise = api(cast.enterprise)
        started = _start(enterprise, place, checklist)
        assert started["kind"] == InspectionKind.SELF
        general = _items(checklist)[0]
        answered = enterprise.post(
            f"/api/inspections/{started['id']}/answers/",
            {"item": general.pk, "result": AnswerResult.NONCOMPLIANT, "photos": [photo(4)]},
            format="multipart",
        )
        assert answered.status_code == 201, answered.content
        hazard_id = answered.json()["answers"][0]["hazard"]
        hazard = enterprise.get(f"/api/hazards/{hazard_id}/").json()
        assert hazard["self_reported"] is True
        assert hazard["actions"] == ["fix-on-spot", "commit"]
        committed = enterprise.post(
            f"/api/hazards/{hazard_id}/commit/", {"deadline": _in(7), "note": "一周内整改"}, format="json"
        )
        assert committed.status_code == 200
        assert committed.json()["status"] == HazardStatus.RECTIFYING and committed.json()["deadline"] == _in(7)

    def test_a_hazard_outside_the_checklist_needs_a_photo_and_opens_with_it(self, cast, place, checklist, api):
        inspector = api(cast.street_officer)
        started = _start(inspector, place, checklist)
        url = f"/api/inspections/{started['id']}/hazards/"
        refused = inspector.post(url, {"title": "配电箱未上锁"}, format="multipart")
        assert refused.status_code == 400
        assert list(refused.json()["errors"]) == ["photos"]
        created = inspector.post(
            url,
            {"title": "配电箱未上锁", "location": "配电间", "nature": "unsafe_condition", "photos": [photo(5)]},
            format="multipart",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["title"] == "配电箱未上锁" and body["nature"] == "unsafe_condition" and body["inspection"]
        assert len(body["photos"]) == 1

    def test_a_major_hazard_needs_its_plan_before_the_rectification(self, cast, place, api):
        hazard = found_hazard(cast, place, major=True)
        assert hazard.is_major and hazard.is_escalated
        enterprise = api(cast.enterprise)
        url = f"/api/hazards/{hazard.pk}/"
        notice = api(cast.street_officer).post(f"{url}issue-notice/", {"deadline": _in(20)}, format="json")
        assert notice.status_code == 200, notice.content
        assert "plan" in enterprise.get(url).json()["actions"]
        early = enterprise.post(f"{url}submit/", {"description": "已整改", "photos": [photo(6)]}, format="multipart")
        assert early.status_code == 400
        assert "six elements" in early.json()["detail"] or "六" in early.json()["detail"]
        assert not Photo.objects.filter(hazard=hazard, stage="after").exists()
        missing = enterprise.post(f"{url}plan/", {"objectives": "分区储存"}, format="json")
        assert missing.status_code == 400
        assert set(missing.json()["errors"]) == {
            "methods",
            "funds_and_materials",
            "organisation",
            "timeline",
            "safety_measures",
            "funds",
        }
        plan = {
            "objectives": "分区分类储存",
            "methods": "改造库房隔墙",
            "funds_and_materials": "自筹资金",
            "organisation": "总经理负责",
            "timeline": "二十日内",
            "safety_measures": "施工期间停止作业",
            "funds": "50000",
        }
        filed = enterprise.post(f"{url}plan/", plan, format="json")
        assert filed.status_code == 200, filed.content
        assert filed.json()["plans"][0]["funds"] == "50000.00"
        done = enterprise.post(f"{url}submit/", {"description": "已整改", "photos": [photo(6)]}, format="multipart")
        assert done.status_code == 200 and done.json()["status"] == HazardStatus.SUBMITTED

    def test_it_escalates_suspends_requests_closure_and_the_safety_office_decides(self, cast, place, api):
        hazard = found_hazard(cast, place, major=True)
        officer = api(cast.street_officer)
        url = f"/api/hazards/{hazard.pk}/"
        escalated = officer.post(
            f"{url}escalate/",
            {"official": "王五（总经理）", "new_deadline": _in(15), "note": "限期整改"},
            format="json",
        )
        assert escalated.status_code == 200, escalated.content
        assert escalated.json()["escalations"][0]["responsible_official"] == "王五（总经理）"
        assert escalated.json()["escalated"] is True
        assert "suspend" in escalated.json()["actions"]

        suspended = officer.post(f"{url}suspend/", {"reason": "重大隐患未消除"}, format="json")
        assert suspended.status_code == 200, suspended.content
        place.refresh_from_db()
        assert place.status == SiteStatus.SUSPENDED
        assert "request-closure" in suspended.json()["actions"]

        requested = officer.post(f"{url}request-closure/", {"reason": "停产整顿期间仍违规"}, format="json")
        assert requested.status_code == 200, requested.content
        kinds = [a["kind"] for a in requested.json()["enforcement_actions"]]
        assert sorted(kinds) == ["closure", "suspension"]
        again = officer.post(f"{url}request-closure/", {"reason": "再次提请"}, format="json")
        assert again.status_code == 409 and again.json()["code"] == "conflict"

        closure = EnforcementAction.objects.get(kind="closure")
        office = api(cast.safety_officer)
        assert {row["id"] for row in office.get("/api/enforcement/").json()["results"]} == set(
            EnforcementAction.objects.values_list("pk", flat=True)
        )
        refused = officer.post(
            f"/api/enforcement/{closure.pk}/decide/", {"approve": True, "note": "同意"}, format="json"
        )
        assert refused.status_code == 403
        with translation.override("zh-hans"):
            assert refused.json()["detail"] == str(
                translation.gettext("The safety office decides closure requests on behalf of the district government.")
            )
        decided = office.post(
            f"/api/enforcement/{closure.pk}/decide/", {"approve": True, "note": "报区政府同意关闭"}, format="json"
        )
        assert decided.status_code == 200, decided.content
        assert decided.json()["decision"] == "approved" and decided.json()["number"]
        place.refresh_from_db()
        hazard.refresh_from_db()
        assert place.status == SiteStatus.CLOSED and hazard.status == HazardStatus.CLOSED_WITH_SITE
        twice = office.post(f"/api/enforcement/{closure.pk}/decide/", {"approve": False, "note": "x"}, format="json")
        assert twice.status_code == 409


class TestRefusals:
    def test_a_forbidden_move_is_400_with_the_message_naming_the_state(self, cast, place, api):
        hazard = found_hazard(cast, place)
        response = api(cast.street_officer).post(f"/api/hazards/{hazard.pk}/verify/", {}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "forbidden"
        assert body["detail"] == _zh(workflow.check, "verify", HazardStatus.REPORTED)
        with translation.override("zh-hans"):
            assert str(HazardStatus.REPORTED.label) in body["detail"]
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.REPORTED

    def test_the_submitter_cannot_verify_their_own_fix(self, cast, place, api):
        hazard = found_hazard(cast, place)
        inspector = api(cast.street_officer)
        url = f"/api/hazards/{hazard.pk}/"
        fixed = inspector.post(
            f"{url}fix-on-spot/", {"description": "当场清理", "photos": [photo(7)]}, format="multipart"
        )
        assert fixed.status_code == 200, fixed.content
        assert fixed.json()["status"] == HazardStatus.FIXED_ON_SPOT
        assert "verify" not in fixed.json()["actions"]
        response = inspector.post(f"{url}verify/", {"note": "自己验收"}, format="json")
        assert response.status_code == 403
        with translation.override("zh-hans"):
            expected = translation.gettext("You submitted this rectification: someone else must verify it.")
        assert response.json()["detail"] == expected
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.FIXED_ON_SPOT
        assert "verify" in api(cast.department_officer).get(url).json()["actions"]

    def test_a_second_verification_is_a_409_conflict(self, cast, place, api):
        hazard = found_hazard(cast, place)
        url = f"/api/hazards/{hazard.pk}/"
        api(cast.street_officer).post(f"{url}fix-on-spot/", {"description": "当场清理", "photos": [photo(8)]})
        first = api(cast.department_officer).post(f"{url}verify/", {"note": "合格"}, format="json")
        assert first.status_code == 200, first.content
        second = api(cast.safety_officer).post(f"{url}verify/", {"note": "合格"}, format="json")
        assert second.status_code == 409
        assert second.json()["code"] == "conflict"
        with translation.override("zh-hans"):
            assert str(HazardStatus.VERIFIED.label) in second.json()["detail"]
        assert HazardEvent.objects.filter(hazard=hazard, action="verify").count() == 1

    def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(self, cast, place, checklist, api):
        inspector = api(cast.street_officer)
        started = _start(inspector, place, checklist)
        before = _evidence_files()
        fake = b"This is a shopping list, not a photo.\n" * 20
        response = inspector.post(
            f"/api/inspections/{started['id']}/answers/",
            {
                "item": _items(checklist)[0].pk,
                "result": AnswerResult.NONCOMPLIANT,
                "photos": [photo(9), SimpleUploadedFile("现场.jpg", fake, content_type="image/jpeg")],
            },
            format="multipart",
        )
        assert response.status_code == 400
        expected = _zh(evidence.process_photo, SimpleUploadedFile("现场.jpg", fake, content_type="image/jpeg"))
        assert response.json()["detail"] == expected
        assert "现场.jpg" in response.json()["detail"]
        assert not Photo.objects.exists()
        assert not InspectionAnswer.objects.exists() and not Hazard.objects.exists()
        assert _evidence_files() == before

    def test_a_refused_after_photo_leaves_the_hazard_as_it_was(self, cast, place, api):
        hazard = found_hazard(cast, place)
        photos = Photo.objects.count()
        response = api(cast.street_officer).post(
            f"/api/hazards/{hazard.pk}/fix-on-spot/",
            {"description": "清理", "photos": [SimpleUploadedFile("after.jpg", b"<svg/>", content_type="image/jpeg")]},
            format="multipart",
        )
        assert response.status_code == 400 and "after.jpg" in response.json()["detail"]
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.REPORTED and Photo.objects.count() == photos
        assert not hazard.rectifications.exists()

    @pytest.mark.parametrize(
        "path,payload,field",
        [
            ("issue-notice/", {"legal_basis": "《安全生产法》"}, "deadline"),
            ("issue-notice/", {"deadline": "2001-01-01"}, "deadline"),
            ("issue-notice/", {"deadline": "明天"}, "deadline"),
            ("escalate/", {"new_deadline": "2999-01-01"}, "official"),
        ],
    )
    def test_bad_input_is_400_with_the_field_named(self, cast, place, api, path, payload, field):
        hazard = found_hazard(cast, place)
        response = api(cast.street_officer).post(f"/api/hazards/{hazard.pk}/{path}", payload, format="json")
        assert response.status_code == 400, response.content
        body = response.json()
        assert field in body["errors"] and body["detail"]
        hazard.refresh_from_db()
        assert hazard.status == HazardStatus.REPORTED and not hazard.is_escalated

    def test_an_inspection_cannot_complete_with_items_unanswered_nor_take_a_foreign_item(
        self, cast, place, checklist, api
    ):
        inspector = api(cast.street_officer)
        started = _start(inspector, place, checklist)
        url = f"/api/inspections/{started['id']}/"
        other = short_checklist(cast, code="other")
        foreign = inspector.post(
            f"{url}answers/", {"item": _items(other)[0].pk, "result": AnswerResult.COMPLIANT}, format="multipart"
        )
        assert foreign.status_code == 400 and "item" in foreign.json()["errors"]
        unphotographed = inspector.post(
            f"{url}answers/", {"item": _items(checklist)[2].pk, "result": AnswerResult.COMPLIANT}, format="multipart"
        )
        assert unphotographed.status_code == 400 and "photos" in unphotographed.json()["errors"]
        early = inspector.post(f"{url}complete/", {}, format="json")
        assert early.status_code == 400
        assert early.json()["code"] == "unanswered"
        assert Inspection.objects.get(pk=started["id"]).status == "in_progress"

    def test_only_the_inspectors_record_an_inspection(self, cast, place, checklist, api):
        started = _start(api(cast.street_officer), place, checklist)
        response = api(cast.department_officer).post(
            f"/api/inspections/{started['id']}/answers/",
            {"item": _items(checklist)[0].pk, "result": AnswerResult.COMPLIANT},
            format="multipart",
        )
        assert response.status_code == 403
        assert not InspectionAnswer.objects.exists()


class TestPlanning:
    def test_a_campaign_is_launched_its_tasks_generated_assigned_and_inspected(self, cast, place, checklist, api):
        office = api(cast.safety_officer)
        created = office.post(
            "/api/campaigns/",
            {
                "name": "危化品专项整治",
                "kind": "special",
                "starts_on": _in(0),
                "ends_on": _in(30),
                "deadline": _in(60),
                "sectors": ["hazchem"],
                "territories": [cast.street.pk],
                "checklist": checklist.pk,
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        campaign = created.json()
        assert campaign["organizer"]["id"] == cast.safety_office.pk
        assert campaign["sectors"] == [{"code": "hazchem", "name": "危险化学品"}]

        generated = office.post(f"/api/campaigns/{campaign['id']}/generate-tasks/")
        assert generated.status_code == 200 and generated.json() == {"created": 1}
        progress = office.get(f"/api/campaigns/{campaign['id']}/progress/").json()
        assert progress["in_scope"] == 1 and progress["inspected"] == 0
        assert [(r["unit"]["name"], r["in_scope"]) for r in progress["streets"]] == [("东街道", 1)]

        officer = api(cast.street_officer)
        mine = officer.get("/api/tasks/", {"mine": "true"}).json()["results"]
        assert [t["site"]["id"] for t in mine] == [place.pk]
        task_id = mine[0]["id"]
        assigned = officer.post(f"/api/tasks/{task_id}/assign/", {"assignee": cast.street_officer.pk}, format="json")
        assert assigned.status_code == 200 and assigned.json()["assignee"]["id"] == cast.street_officer.pk
        stranger = officer.post(f"/api/tasks/{task_id}/assign/", {"assignee": cast.inspector.pk}, format="json")
        assert stranger.status_code == 400 and "assignee" in stranger.json()["errors"]

        started = _start(officer, place, checklist, task=task_id)
        assert started["task"] == task_id and started["campaign"]["id"] == campaign["id"]
        assert officer.get(f"/api/tasks/{task_id}/").json()["inspection"] == started["id"]
        assert InspectionTask.objects.get(pk=task_id).status == "open"

    @pytest.mark.parametrize("member", ["enterprise", "street_officer", "leader"])
    def test_only_the_safety_office_or_a_department_launches_a_campaign(self, cast, api, member):
        response = api(getattr(cast, member)).post(
            "/api/campaigns/",
            {"name": "越权", "starts_on": _in(0), "ends_on": _in(1), "deadline": _in(2)},
            format="json",
        )
        assert response.status_code == 403
        assert response.json()["detail"]

    def test_a_campaign_with_its_period_reversed_is_refused_by_field(self, cast, api):
        response = api(cast.safety_officer).post(
            "/api/campaigns/",
            {"name": "倒置", "starts_on": _in(10), "ends_on": _in(1), "deadline": _in(0)},
            format="json",
        )
        assert response.status_code == 400
        assert {"ends_on", "deadline"} <= set(response.json()["errors"])

    def test_the_checklists_are_the_current_versions_unless_all_are_asked(self, cast, checklist, api):
        revised = services.revise_checklist(
            actor=cast.city_admin,
            template=checklist,
            name="简短检查表（修订）",
            items=[{"text": "安全出口畅通"}, {"text": "消防设施完好"}],
        )
        client = api(cast.enterprise)
        current = client.get("/api/checklists/").json()["results"]
        assert [(c["code"], c["version"]) for c in current] == [(checklist.code, 2)]
        assert [i["text"] for i in current[0]["items"]] == ["安全出口畅通", "消防设施完好"]
        every = client.get("/api/checklists/", {"all": "true"}).json()["results"]
        assert sorted(c["version"] for c in every) == [1, 2]
        old = client.get(f"/api/checklists/{checklist.pk}/").json()
        assert old["is_current"] is False and old["items"][1]["is_major_criterion"] is True
        assert revised.pk != checklist.pk

    def test_the_hazard_list_takes_the_list_filters(self, cast, place, api):
        general = found_hazard(cast, place, seed=1)
        major = found_hazard(cast, place, major=True, seed=2)
        client = api(cast.safety_officer)
        assert [h["id"] for h in client.get("/api/hazards/", {"grade": "major"}).json()["results"]] == [major.pk]
        assert [h["id"] for h in client.get("/api/hazards/", {"escalated": "false"}).json()["results"]] == [general.pk]
        assert [h["id"] for h in client.get("/api/hazards/", {"q": general.number}).json()["results"]] == [general.pk]
        bad = client.get("/api/hazards/", {"territory": "nonsense"})
        assert bad.status_code == 400 and "territory" in bad.json()["errors"]


class TestAccess:
    def test_a_browser_session_works_too_and_a_password_to_change_blocks_the_api(self, cast, place, api, client_for):
        hazard = found_hazard(cast, place)
        session = client_for(cast.street_officer).get("/api/hazards/")
        assert session.status_code == 200 and [h["id"] for h in session.json()["results"]] == [hazard.pk]
        cast.street_officer.must_change_password = True
        cast.street_officer.save(update_fields=["must_change_password"])
        blocked = api(cast.street_officer).get(f"/api/hazards/{hazard.pk}/")
        assert blocked.status_code == 403
