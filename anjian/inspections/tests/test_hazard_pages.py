"""The hazard pages: the list (filters, columns, constant queries), the detail with its timeline and only the
action forms the user may take, every action through the page, refusals shown on the page, the place's tab,
the enforcement desk and the navigation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.choices import (
    AnswerResult,
    ClosureDecision,
    EnforcementKind,
    HazardGrade,
    HazardSource,
    HazardStatus,
    InspectionKind,
)
from anjian.inspections.models import EnforcementAction, Hazard, RectificationPlan
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist, zh
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site

pytestmark = pytest.mark.django_db


def later(days: int = 10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def action_url(hazard, action: str) -> str:
    return reverse("inspections:hazard_action", args=[hazard.pk, action])


def detail(hazard) -> str:
    return reverse("inspections:hazard_detail", args=[hazard.pk])


def offered(response) -> list[str]:
    return [form.action for form in response.context["action_forms"]]


@shared_fixture
def place(cast):
    return loop_place(cast)


@shared_fixture
def hazard(cast, place):
    return found_hazard(cast, place)


@shared_fixture
def major(cast, place):
    return found_hazard(cast, place, major=True, seed=2)


def self_reported_hazard(cast, place) -> Hazard:
    checklist = short_checklist(cast, code="self-check")
    inspection = services.start_inspection(
        actor=cast.enterprise, site=place, kind=InspectionKind.SELF, checklist=checklist
    )
    answer = services.record_answer(
        actor=cast.enterprise,
        inspection=inspection,
        item=checklist.items.first(),
        result=AnswerResult.NONCOMPLIANT,
        note="自查发现",
        photos=[photo(7)],
    )
    return answer.hazard


# --- the list -----------------------------------------------------------------------------


def test_it_lists_the_hazards_with_their_columns_and_an_export_link(cast, client_for, hazard, major):
    response = client_for(cast.street_officer).get(reverse("inspections:hazard_list"), {"grade": "major"})
    assert response.status_code == 200
    listed = list(response.context["page_obj"])
    assert listed == [major]
    content = response.content.decode()
    assert major.number in content
    assert "东街道" in content
    assert 'data-grade="major"' in content
    assert 'data-flag="escalated"' in content  # a major hazard is escalated at once
    assert f"{reverse('inspections:hazard_export')}?grade=major" in content


def test_it_lists_what_awaits_verification_as_the_home_page_counts_it(cast, client_for, hazard, major):
    services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="当场清理", photos=[photo(30)])
    client = client_for(cast.department_officer)
    listed = list(client.get(reverse("inspections:hazard_list"), {"state": "to_verify"}).context["page_obj"])
    assert listed == [hazard]
    home = client.get(reverse("dashboards:home"))
    assert home.context["hazards"]["to_verify"] == 1
    assert "?state=to_verify" in home.content.decode()


def test_an_invalid_filter_shows_its_error_and_no_rows(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(reverse("inspections:hazard_list"), {"reported_after": "abc"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert response.context["form"].errors


def test_it_marks_overdue_and_self_reported_hazards(cast, client_for, place, hazard):
    Hazard.objects.filter(pk=hazard.pk).update(
        status=HazardStatus.RECTIFYING, deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    own = self_reported_hazard(cast, place)
    response = client_for(cast.safety_officer).get(reverse("inspections:hazard_list"))
    content = response.content.decode()
    assert 'data-flag="overdue"' in content
    assert 'data-flag="self-reported"' in content
    response = client_for(cast.safety_officer).get(reverse("inspections:hazard_list"), {"self_reported": "true"})
    assert list(response.context["page_obj"]) == [own]
    response = client_for(cast.safety_officer).get(reverse("inspections:hazard_list"), {"overdue": "true"})
    assert [h.pk for h in response.context["page_obj"]] == [hazard.pk]


def _bulk_hazards(cast, site, count: int, *, start: int = 0) -> None:
    """Hazards written in bulk, with what the columns show filled in: sector, deadline, escalation."""
    today = timezone.localdate()
    Hazard.objects.bulk_create(
        Hazard(
            number=f"T{n:07d}",
            site=site,
            district=cast.district,
            sector_id="hazchem",
            title=f"隐患{n}",
            source=HazardSource.ROUTINE,
            grade=HazardGrade.MAJOR if n % 3 == 0 else HazardGrade.GENERAL,
            status=HazardStatus.RECTIFYING if n % 2 else HazardStatus.REPORTED,
            deadline=today - datetime.timedelta(days=n % 5 - 2),
            escalated_at=timezone.now() if n % 4 == 0 else None,
            self_reported=n % 5 == 0,
            reported_by=cast.street_officer,
            reporting_unit=cast.street,
        )
        for n in range(start, start + count)
    )


def _count(client, url, params=None) -> int:
    client.get(url, params)  # warm the session and content types so both runs start alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [None, {"state": "open", "q": "隐患"}, {"grade": "major", "overdue": "true"}])
@pytest.mark.parametrize("member", ["street_officer", "department_officer", "safety_officer"])
def test_the_list_runs_the_same_number_of_queries_for_5_and_60_hazards(cast, client_for, place, member, params):
    client = client_for(getattr(cast, member))
    url = reverse("inspections:hazard_list")
    _bulk_hazards(cast, place, 5)
    with_five = _count(client, url, params)
    _bulk_hazards(cast, place, 55, start=5)
    assert Hazard.objects.count() == 60
    assert _count(client, url, params) == with_five


def test_the_detail_runs_the_same_number_of_queries_however_long_the_timeline(cast, client_for, hazard):
    client = client_for(cast.safety_officer)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=timezone.localdate(), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=timezone.localdate())
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(3)])
    short = _count(client, detail(hazard))
    services.reject(actor=cast.street_officer, hazard=hazard, reason="不到位")
    services.escalate(actor=cast.department_officer, hazard=hazard, official="李四", new_deadline=timezone.localdate())
    services.submit_rectification(
        actor=cast.enterprise, hazard=hazard, description="再次整改", photos=[photo(4), photo(5), photo(6)]
    )
    services.reject(actor=cast.street_officer, hazard=hazard, reason="仍不到位")
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="第三次", photos=[photo(8)])
    assert hazard.events.count() >= 9
    assert _count(client, detail(hazard)) == short


# --- the detail --------------------------------------------------------------------------------


def test_it_shows_the_hazard_with_its_criterion_photos_and_timeline(cast, client_for, major):
    response = client_for(cast.department_officer).get(detail(major))
    assert response.status_code == 200
    content = response.content.decode()
    assert major.criterion_label in content
    assert "《危险化学品安全管理条例》第二十四条" in content
    photo_pk = major.photos.get().pk
    assert reverse("inspections:photo_thumbnail", args=[photo_pk]) in content
    assert reverse("inspections:photo_file", args=[photo_pk]) in content
    assert reverse("registry:site_detail", args=[major.site_id]) in content
    labels = [entry.label for entry in response.context["timeline"]]
    with translation.override("zh-hans"):
        assert labels == [gettext("Hazard found and reported"), gettext("Placed under escalated supervision")]
    # Escalated at once, before any notice: the supervision invents no deadline of its own (the notice sets it).
    escalation = response.context["timeline"][1]
    assert zh("Deadline") not in [label for label, _value in escalation.details]
    assert major.deadline is None and not major.deadline_changes.exists()


def test_it_offers_the_government_only_the_supervisors_steps(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(detail(hazard))
    assert offered(response) == ["fix_on_spot", "issue_notice", "escalate"]
    form = next(f for f in response.context["action_forms"] if f.action == "issue_notice")
    assert form.initial["legal_basis"] == "《消防法》第二十八条"  # prefilled from the hazard
    content = response.content.decode()
    assert 'capture="environment"' in content
    assert 'accept="image/*"' in content


def test_it_offers_the_enterprise_only_the_places_steps(cast, client_for, place, hazard):
    response = client_for(cast.enterprise).get(detail(hazard))
    assert offered(response) == []  # a hazard the supervisor found: wait for the notice
    own = self_reported_hazard(cast, place)
    assert offered(client_for(cast.enterprise).get(detail(own))) == ["fix_on_spot", "commit"]


def test_it_offers_nothing_to_the_read_only_leader(cast, client_for, hazard):
    response = client_for(cast.leader).get(detail(hazard))
    assert response.status_code == 200
    assert offered(response) == []


def test_it_offers_the_plan_for_a_major_hazard(cast, client_for, major):
    assert "plan" in offered(client_for(cast.enterprise).get(detail(major)))
    government = offered(client_for(cast.street_officer).get(detail(major)))
    assert government == ["issue_notice", "plan", "escalate", "suspend"]  # never 即查即改 for a major hazard


# --- every action through the page ------------------------------------------------------------------


def test_it_fixes_on_the_spot_and_another_officer_verifies(cast, client_for, hazard):
    client = client_for(cast.street_officer)
    response = client.post(action_url(hazard, "fix_on_spot"), {"description": "当场清理通道", "photos": [photo(11)]})
    assert response.status_code == 302
    assert response["Location"] == detail(hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.FIXED_ON_SPOT
    assert hazard.photos.filter(stage="after").count() == 1
    page = client.get(detail(hazard))
    assert zh("The fix on the spot was recorded; it awaits verification by someone else.") in page.content.decode()
    assert "verify" not in offered(page)
    response = client_for(cast.department_officer).post(action_url(hazard, "verify"), {"note": "复查合格"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VERIFIED
    assert hazard.verified_by == cast.department_officer


def test_it_runs_the_notice_loop_through_the_pages(cast, client_for, hazard):
    officer = client_for(cast.street_officer)
    response = officer.post(
        action_url(hazard, "issue_notice"),
        {"deadline": later(), "legal_basis": "《消防法》第二十八条", "requirements": "清理通道杂物"},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.NOTICE_ISSUED
    assert hazard.notice.requirements == "清理通道杂物"

    enterprise = client_for(cast.enterprise)
    assert offered(enterprise.get(detail(hazard))) == ["acknowledge", "submit"]
    assert enterprise.post(action_url(hazard, "acknowledge"), {"note": "已签收"}).status_code == 302
    response = enterprise.post(
        action_url(hazard, "submit"), {"description": "已清理", "cost": "200.50", "photos": [photo(12), photo(13)]}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED
    assert hazard.rectifications.get().cost == Decimal("200.50")

    officer = client_for(cast.street_officer)
    assert offered(officer.get(detail(hazard))) == ["verify", "reject", "escalate"]
    response = officer.post(action_url(hazard, "reject"), {"reason": "仍有杂物", "deadline": later(5)})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING
    assert hazard.deadline.isoformat() == later(5)
    enterprise = client_for(cast.enterprise)
    enterprise.post(action_url(hazard, "submit"), {"description": "彻底清理", "photos": [photo(14)]})
    assert client_for(cast.street_officer).post(action_url(hazard, "verify"), {"note": "合格"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VERIFIED

    page = client_for(cast.leader).get(detail(hazard))
    actions = [entry.event.action for entry in page.context["timeline"]]
    assert actions == ["reported", "issue_notice", "acknowledge", "submit", "reject", "submit", "verify"]
    notice_entry = page.context["timeline"][1]
    assert (zh("Notice number"), hazard.notice.number) in notice_entry.details
    content = page.content.decode()
    assert "仍有杂物" in content
    assert len(page.context["after_photos"]) == 3


def test_it_lets_the_enterprise_commit_to_its_own_finding(cast, client_for, place):
    own = self_reported_hazard(cast, place)
    response = client_for(cast.enterprise).post(action_url(own, "commit"), {"deadline": later(20), "note": "月底前"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == HazardStatus.RECTIFYING
    assert own.deadline.isoformat() == later(20)


def test_it_files_the_plan_of_a_major_hazard(cast, client_for, major):
    fields = {
        "objectives": "消除混存",
        "methods": "分区分类",
        "funds_and_materials": "货架",
        "organisation": "安全科",
        "timeline": "30日",
        "safety_measures": "应急预案",
        "funds": "50000",
    }
    response = client_for(cast.enterprise).post(action_url(major, "plan"), fields)
    assert response.status_code == 302
    plan = RectificationPlan.objects.get(hazard=major)
    assert plan.funds == Decimal("50000")
    page = client_for(cast.safety_officer).get(detail(major))
    assert "plan_filed" in [e.event.action for e in page.context["timeline"]]
    assert "分区分类" in page.content.decode()


def test_it_escalates_suspends_and_closes_the_place_through_the_pages(cast, client_for, major, place):
    officer = client_for(cast.street_officer)
    response = officer.post(
        action_url(major, "escalate"), {"official": "王五（法定代表人）", "new_deadline": later(15), "note": "挂牌"}
    )
    assert response.status_code == 302
    assert major.escalations.filter(responsible_official="王五（法定代表人）").exists()

    assert officer.post(action_url(major, "suspend"), {"reason": "重大隐患未消除"}).status_code == 302
    place.refresh_from_db()
    assert place.status == SiteStatus.SUSPENDED
    page = officer.get(detail(major))
    assert "request_closure" in offered(page)
    assert "suspend" not in offered(page)

    assert officer.post(action_url(major, "request_closure"), {"reason": "拒不整改"}).status_code == 302
    closure = EnforcementAction.objects.get(kind=EnforcementKind.CLOSURE)
    assert closure.decision == ClosureDecision.PENDING
    assert "request_closure" not in offered(officer.get(detail(major)))

    office = client_for(cast.safety_officer)
    listing = office.get(reverse("inspections:enforcement_list"))
    assert listing.status_code == 200
    assert [row["action"].pk for row in listing.context["rows"]] == [closure.pk]
    assert listing.context["rows"][0]["form"] is not None
    response = office.post(
        reverse("inspections:closure_decide", args=[closure.pk]), {"decision": "approve", "note": "区政府同意关闭"}
    )
    assert response.status_code == 302
    place.refresh_from_db()
    major.refresh_from_db()
    assert place.status == SiteStatus.CLOSED
    assert major.status == HazardStatus.CLOSED_WITH_SITE
    events = [e.event.action for e in office.get(detail(major)).context["timeline"]]
    assert events[-5:] == ["escalated", "suspension_ordered", "closure_requested", "closure_decided", "close_with_site"]


# --- refusals on the page ----------------------------------------------------------------------------


def _submitted_by_officer(cast, hazard):
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=timezone.localdate(), legal_basis="法")
    services.submit_rectification(actor=cast.street_officer, hazard=hazard, description="代为整改", photos=[photo(9)])


def test_it_refuses_self_verification_with_the_message_on_the_page(cast, client_for, hazard):
    _submitted_by_officer(cast, hazard)
    client = client_for(cast.street_officer)
    page = client.get(detail(hazard))
    assert "verify" not in offered(page)
    assert page.context["own_submission"]
    response = client.post(action_url(hazard, "verify"), {"note": "我自己看过了"})
    assert response.status_code == 403
    assert zh("You submitted this rectification: someone else must verify it.") in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED


def test_it_refuses_verification_by_the_enterprise(cast, client_for, hazard):
    _submitted_by_officer(cast, hazard)
    response = client_for(cast.enterprise).post(action_url(hazard, "verify"), {"note": ""})
    assert response.status_code == 403
    assert zh("An enterprise account cannot do this.") in response.content.decode()


def test_it_keeps_the_typed_text_when_the_service_refuses(cast, client_for, hazard):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client_for(cast.street_officer).post(
        action_url(hazard, "issue_notice"),
        {"deadline": yesterday, "legal_basis": "《消防法》第二十八条", "requirements": "请在三日内清理完毕"},
    )
    assert response.status_code == 200
    form = next(f for f in response.context["action_forms"] if f.action == "issue_notice")
    assert form.errors["deadline"] == [zh("The deadline cannot be in the past.")]
    content = response.content.decode()
    assert "请在三日内清理完毕" in content
    assert response.context["bound_action"] == "issue_notice"
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REPORTED


def test_it_shows_a_forbidden_move_as_a_message(cast, client_for, hazard):
    response = client_for(cast.street_officer).post(action_url(hazard, "reject"), {"reason": "不合格"})
    assert response.status_code == 200
    form = next(f for f in response.context["action_forms"] if f.action == "reject")
    message = form.non_field_errors()[0]
    with translation.override("zh-hans"):
        assert str(HazardStatus.REPORTED.label) in message
    assert "不合格" in response.content.decode()


def test_it_asks_for_the_photo_of_a_fix_again(cast, client_for, hazard):
    response = client_for(cast.street_officer).post(action_url(hazard, "fix_on_spot"), {"description": "已清理"})
    assert response.status_code == 200
    form = response.context["action_forms"][0]
    assert form.errors["photos"] == [zh("A hazard fixed on the spot needs a photo after the fix.")]
    assert "已清理" in response.content.decode()


def test_it_refuses_a_file_that_is_not_a_photo(cast, client_for, hazard):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"not an image at all", "image/jpeg")
    response = client_for(cast.street_officer).post(
        action_url(hazard, "fix_on_spot"), {"description": "已清理", "photos": [fake]}
    )
    assert response.status_code == 200
    form = response.context["action_forms"][0]
    assert "a.jpg" in " ".join(form.errors["photos"])  # shown next to the photo field
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REPORTED
    assert not hazard.rectifications.exists()


def test_it_answers_403_to_the_read_only_leader_and_404_to_unknown_actions(cast, client_for, hazard):
    response = client_for(cast.leader).post(action_url(hazard, "escalate"), {"official": "某", "new_deadline": later()})
    assert response.status_code == 403
    assert zh("You cannot change this hazard.") in response.content.decode()
    assert client_for(cast.street_officer).post(action_url(hazard, "destroy"), {}).status_code == 404
    assert client_for(cast.street_officer).get(action_url(hazard, "verify")).status_code == 302


# --- enforcement desk ---------------------------------------------------------------------------------


@shared_fixture
def closure(cast, major, place):
    services.order_suspension(actor=cast.street_officer, hazard=major, reason="重大隐患")
    return services.request_closure(actor=cast.street_officer, hazard=major, reason="拒不整改")


def test_it_lists_pending_closures_first_and_suspensions_apart(cast, client_for, closure):
    client = client_for(cast.department_officer)
    response = client.get(reverse("inspections:enforcement_list"))
    assert [row["action"] for row in response.context["rows"]] == [closure]
    assert response.context["rows"][0]["form"] is None  # only the safety office decides
    response = client.get(reverse("inspections:enforcement_list"), {"kind": "suspension"})
    assert [row["action"].kind for row in response.context["rows"]] == [EnforcementKind.SUSPENSION]
    assert client_for(cast.other_street_officer).get(reverse("inspections:enforcement_list")).context["rows"] == []


def test_only_the_safety_office_decides_a_closure(cast, client_for, closure):
    url = reverse("inspections:closure_decide", args=[closure.pk])
    data = {"decision": "reject", "note": "先整改"}
    assert client_for(cast.department_officer).post(url, data).status_code == 403
    assert client_for(cast.other_street_officer).post(url, data).status_code == 404
    assert client_for(cast.far_safety_officer).post(url, data).status_code == 404
    assert client_for(cast.system_admin).post(url, data).status_code == 404
    anonymous = client_for(None).post(url, data)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    closure.refresh_from_db()
    assert closure.decision == ClosureDecision.PENDING


def test_the_decision_needs_its_grounds_and_keeps_the_choice(cast, client_for, closure):
    url = reverse("inspections:closure_decide", args=[closure.pk])
    response = client_for(cast.safety_officer).post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert response.context["bound_pk"] == closure.pk
    response = client_for(cast.safety_officer).post(url, {"decision": "reject", "note": "先整改"})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.decision == ClosureDecision.REJECTED
    assert Site.objects.get(pk=closure.site_id).status == SiteStatus.SUSPENDED


# --- the place's tab and the navigation ---------------------------------------------------------------


def test_the_places_tab_shows_its_hazards_open_first_and_its_inspections(cast, client_for, place, hazard, major):
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=timezone.localdate(), legal_basis="法")
    # A major hazard goes by notice, plan and submission before it is verified.
    services.issue_notice(actor=cast.street_officer, hazard=major, deadline=timezone.localdate(), legal_basis="法")
    services.file_plan(
        actor=cast.enterprise,
        hazard=major,
        objectives="目标",
        methods="措施",
        funds_and_materials="资金",
        organisation="人员",
        timeline="时限",
        safety_measures="预案",
        funds="1000",
    )
    services.submit_rectification(actor=cast.enterprise, hazard=major, description="已处理", photos=[photo(20)])
    services.verify_on_site(
        actor=cast.department_officer,
        hazard=major,
        note="合格",
        photos=[photo(21)],
        latitude=Decimal("30.15"),
        longitude=Decimal("120.15"),
        accuracy=20,
    )
    services.lift_supervision(actor=cast.safety_officer, hazard=major, note="同意摘牌")
    url = reverse("registry:site_detail", args=[place.pk])
    response = client_for(cast.street_officer).get(url, {"tab": "inspections"})
    assert response.status_code == 200
    assert "inspections" in [tab.key for tab in response.context["tabs"]]
    assert [h.pk for h in response.context["site_hazards"]] == [hazard.pk, major.pk]
    assert response.context["hazard_summary"]["open"] == 1
    assert len(response.context["recent_inspections"]) == 2
    content = response.content.decode()
    assert f"{reverse('inspections:inspection_start')}?site={place.pk}" in content
    assert reverse("inspections:inspection_detail", args=[hazard.inspection_id]) in content
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in content
    leader = client_for(cast.leader).get(url, {"tab": "inspections"})
    assert leader.status_code == 200
    assert not leader.context["may_inspect"]
    assert client_for(cast.other_street_officer).get(url, {"tab": "inspections"}).status_code == 404


def test_the_navigation_offers_hazards_and_enforcement_to_whom_they_concern(cast, client_for):
    def keys(user):
        response = client_for(user).get(reverse("inspections:hazard_list"))
        return {item["key"] for item in response.context["nav_items"]}

    assert {"hazards", "enforcement"} <= keys(cast.street_officer)
    assert {"hazards", "enforcement"} <= keys(cast.safety_officer)
    assert {"hazards", "enforcement"} <= keys(cast.department_officer)
    assert "hazards" in keys(cast.enterprise)
    assert "enforcement" not in keys(cast.enterprise)
    assert "enforcement" not in keys(cast.leader)
