"""Closing a hazard under escalated supervision (挂牌督办; every major hazard is): verified on site by the supervising
department with photos and a position at the place, then the safety office lifts the supervision (摘牌), and only
then is it closed; no closed hazard keeps the tag."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.services import create_user
from anjian.inspections import services, workflow
from anjian.inspections.choices import HazardStatus, PhotoStage
from anjian.inspections.models import Escalation, Hazard, Photo, Rectification, RectificationResult
from anjian.inspections.testing import found_hazard, loop_place, photo, zh
from anjian.inspections.workflow import TransitionError
from anjian.registry.choices import SiteStatus
from anjian.registry.models import Site

pytestmark = pytest.mark.django_db

AT_THE_PLACE = {"latitude": Decimal("30.151"), "longitude": Decimal("120.151"), "accuracy": 15}
FAR_AWAY = {"latitude": Decimal("30.195"), "longitude": Decimal("120.151"), "accuracy": 15}  # about 5 km north


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def site(cast):
    place = loop_place(cast)
    Site.objects.filter(pk=place.pk).update(latitude=Decimal("30.150"), longitude=Decimal("120.150"))
    place.refresh_from_db()
    return place


def submitted_major(cast, site, seed=1) -> Hazard:
    major = found_hazard(cast, site, major=True, seed=seed)
    services.issue_notice(actor=cast.department_officer, hazard=major, deadline=in_days(30), legal_basis="法")
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
    services.submit_rectification(actor=cast.enterprise, hazard=major, description="已整改", photos=[photo(seed + 10)])
    return Hazard.objects.get(pk=major.pk)


@pytest.fixture
def major(cast, site):
    return submitted_major(cast, site)


def offered(user, hazard) -> list[str]:
    pending = hazard.rectifications.filter(result=RectificationResult.PENDING).first()
    return workflow.available_actions(user, hazard, pending_submitter_id=pending.submitted_by_id if pending else None)


def verify_on_site(cast, hazard, **extra):
    kwargs = {"note": "现场复查合格", "photos": [photo(30)], **AT_THE_PLACE, **extra}
    return services.verify_on_site(actor=cast.department_officer, hazard=hazard, **kwargs)


# --- the rule ------------------------------------------------------------------------------------------------


def test_a_major_hazard_is_not_closed_by_one_officer_with_a_note(cast, major):
    refusal = zh(
        "A major hazard or one under escalated supervision is verified on site, with photos and your position, "
        "and closed when the safety office lifts the supervision."
    )
    with pytest.raises(TransitionError, match=re.escape(refusal)):
        services.verify(actor=cast.department_officer, hazard=major, note="已整改")
    assert Hazard.objects.get(pk=major.pk).status == HazardStatus.SUBMITTED


def test_the_on_site_verification_is_offered_to_the_supervising_department_only(cast, major):
    assert "verify_on_site" in offered(cast.department_officer, major)
    assert "verify_on_site" in offered(cast.inspector, major)
    assert "verify" not in offered(cast.department_officer, major)
    for member in ("street_officer", "safety_officer", "enterprise", "leader"):
        assert not {"verify", "verify_on_site"} & set(offered(getattr(cast, member), major)), member
    with pytest.raises(PermissionDenied):
        services.verify_on_site(actor=cast.street_officer, hazard=major, photos=[photo(31)], **AT_THE_PLACE)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"photos": []}, "photos"),
        ({"latitude": None, "longitude": None}, "latitude"),
        (FAR_AWAY, "latitude"),
    ],
)
def test_it_needs_photos_and_a_position_at_the_place(cast, major, change, field):
    with pytest.raises(ValidationError) as caught:
        verify_on_site(cast, major, **change)
    assert field in caught.value.message_dict
    # Nothing half-done: still submitted, no verification photo kept, the rectification still pending.
    assert Hazard.objects.get(pk=major.pk).status == HazardStatus.SUBMITTED
    assert not Photo.objects.filter(hazard=major, stage=PhotoStage.VERIFICATION).exists()
    assert Rectification.objects.get(hazard=major).result == RectificationResult.PENDING


def test_the_refusal_names_the_distance(cast, major):
    with pytest.raises(ValidationError) as caught:
        verify_on_site(cast, major, **FAR_AWAY)
    assert "4,9" in caught.value.message_dict["latitude"][0] or "5,0" in caught.value.message_dict["latitude"][0]


def test_verified_on_site_it_still_carries_the_tag_until_the_safety_office_lifts_it(cast, major):
    verify_on_site(cast, major)
    hazard = Hazard.objects.get(pk=major.pk)
    assert hazard.status == HazardStatus.VERIFIED_ON_SITE and hazard.is_open and hazard.is_escalated
    assert hazard.closed_at is None and hazard.verified_by == cast.department_officer
    rectification = Rectification.objects.get(hazard=major)
    assert rectification.result == RectificationResult.ACCEPTED
    assert rectification.review_latitude == AT_THE_PLACE["latitude"] and rectification.review_accuracy == 15
    assert 100 < rectification.review_distance < 200  # 0.001° of latitude and of longitude from the point
    assert Photo.objects.filter(hazard=major, stage=PhotoStage.VERIFICATION).count() == 1
    assert offered(cast.safety_officer, hazard) == ["lift_supervision"]
    assert offered(cast.department_officer, hazard) == []  # nothing to escalate or enforce any more
    with pytest.raises(TransitionError):
        services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(5))

    with pytest.raises(PermissionDenied):
        services.lift_supervision(actor=cast.department_officer, hazard=hazard)
    with pytest.raises(PermissionDenied):
        services.lift_supervision(actor=cast.far_safety_officer, hazard=hazard)
    services.lift_supervision(actor=cast.safety_officer, hazard=hazard, note="同意摘牌")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.VERIFIED and hazard.closed_at and not hazard.is_escalated
    assert hazard.supervision_lifted_at == hazard.closed_at
    escalation = hazard.escalations.get()
    assert escalation.lifted_by == cast.safety_officer and escalation.lift_note == "同意摘牌"
    assert [e.action for e in hazard.events.all()][-2:] == ["verify_on_site", "lift_supervision"]


def test_the_officer_who_verified_does_not_sign_off_the_lifting(cast, site):
    """A general hazard under escalated supervision is verified on site by any officer in scope, then lifted by
    the safety office: never by the same person."""
    hazard = found_hazard(cast, site, seed=3)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=in_days(9), legal_basis="法")
    services.escalate(actor=cast.safety_officer, hazard=hazard, official="张三", new_deadline=in_days(9))
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(40)])
    with pytest.raises(TransitionError):
        services.verify(actor=cast.safety_officer, hazard=hazard)
    services.verify_on_site(actor=cast.safety_officer, hazard=hazard, note="合格")  # no position needed: general
    hazard.refresh_from_db()
    assert "lift_supervision" not in offered(cast.safety_officer, hazard)
    with pytest.raises(PermissionDenied):
        services.lift_supervision(actor=cast.safety_officer, hazard=hazard)
    colleague, _password = create_user(
        actor=None,
        username="anban2",
        real_name="区安办二",
        org_unit=cast.safety_office,
        role="safety_office",
        password="Cast#Pass2026",
        must_change_password=False,
    )
    assert offered(colleague, hazard) == ["lift_supervision"]
    services.lift_supervision(actor=colleague, hazard=hazard)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.VERIFIED


def test_a_hazard_never_escalated_is_still_verified_by_one_officer(cast, site):
    hazard = found_hazard(cast, site, seed=5)
    services.fix_on_spot(actor=cast.street_officer, hazard=hazard, description="当场清理", photos=[photo(50)])
    hazard.refresh_from_db()
    assert "verify" in offered(cast.department_officer, hazard)
    assert "verify_on_site" not in offered(cast.department_officer, hazard)
    with pytest.raises(TransitionError):
        services.verify_on_site(actor=cast.department_officer, hazard=hazard)
    services.verify(actor=cast.department_officer, hazard=hazard)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.VERIFIED


def test_closing_the_place_lifts_the_supervision_of_its_hazards(cast, site, major):
    services.order_suspension(actor=cast.department_officer, hazard=major, reason="重大隐患未消除")
    closure = services.request_closure(actor=cast.department_officer, hazard=major, reason="拒不整改")
    services.decide_closure(actor=cast.safety_officer, action=closure, approve=True, note="同意关闭")
    hazard = Hazard.objects.get(pk=major.pk)
    assert hazard.status == HazardStatus.CLOSED_WITH_SITE and not hazard.is_escalated
    assert not Escalation.objects.filter(hazard=hazard, lifted_at__isnull=True).exists()
    assert Site.objects.get(pk=site.pk).status == SiteStatus.CLOSED


# --- the pages and the API -------------------------------------------------------------------------------------


def test_the_pages_verify_on_site_and_lift(cast, client_for, major):
    url = reverse("inspections:hazard_detail", args=[major.pk])
    client = client_for(cast.department_officer)
    page = client.get(url)
    assert "geolocation=(self)" in page["Permissions-Policy"]
    form = next(f for f in page.context["action_forms"] if f.action == "verify_on_site")
    assert form.geo and "data-geo data-geo-refresh" in page.content.decode()
    action = reverse("inspections:hazard_action", args=[major.pk, "verify_on_site"])
    refused = client.post(action, {"note": "合格", "photos": [photo(60)]})  # the phone gave no position
    assert refused.status_code == 200
    assert 'data-testid="position-error"' in refused.content.decode()
    done = client.post(action, {"note": "合格", "photos": [photo(61)], "latitude": "30.1505", "longitude": "120.1505"})
    assert done.status_code == 302
    assert Hazard.objects.get(pk=major.pk).status == HazardStatus.VERIFIED_ON_SITE

    office = client_for(cast.safety_officer)
    assert 'data-flag="escalated"' in office.get(url).content.decode()
    lifted = office.post(reverse("inspections:hazard_action", args=[major.pk, "lift_supervision"]), {"note": "同意"})
    assert lifted.status_code == 302
    content = office.get(url).content.decode()
    assert 'data-flag="escalated"' not in content and 'data-testid="lifted"' in content
    open_escalated = office.get(reverse("inspections:hazard_list"), {"escalated": "true"}).context["page_obj"]
    assert major.pk not in [h.pk for h in open_escalated]


def test_the_api_verifies_on_site_and_lifts(cast, client_for, major):
    client = client_for(cast.department_officer)
    listed = client.get(f"/api/hazards/{major.pk}/").json()
    assert "verify-on-site" in listed["actions"] and "verify" not in listed["actions"]
    response = client.post(
        f"/api/hazards/{major.pk}/verify-on-site/",
        {"note": "合格", "photos": [photo(70)], "latitude": "30.1504", "longitude": "120.1496", "accuracy": "12"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == HazardStatus.VERIFIED_ON_SITE and body["escalated"] is True
    assert body["rectifications"][0]["review_distance"] is not None
    office = client_for(cast.safety_officer)
    assert office.get(f"/api/hazards/{major.pk}/").json()["actions"] == ["lift-supervision"]
    lifted = office.post(
        f"/api/hazards/{major.pk}/lift-supervision/", {"note": "同意"}, content_type="application/json"
    )
    assert lifted.status_code == 200
    assert lifted.json()["status"] == HazardStatus.VERIFIED and lifted.json()["escalated"] is False
    assert lifted.json()["escalations"][0]["lifted_by"]["id"] == cast.safety_officer.pk


@pytest.mark.parametrize(
    ("member", "page", "api"),
    [
        ("other_street_officer", 404, 404),
        ("far_safety_officer", 404, 404),
        ("system_admin", 404, 404),
        (None, 302, 401),
    ],
)
def test_the_new_steps_answer_by_scope(cast, client_for, major, member, page, api):
    client = client_for(getattr(cast, member) if member else None)
    for name, segment in (("verify_on_site", "verify-on-site"), ("lift_supervision", "lift-supervision")):
        assert client.post(reverse("inspections:hazard_action", args=[major.pk, name])).status_code == page
        assert client.post(f"/api/hazards/{major.pk}/{segment}/").status_code == api
    assert Hazard.objects.get(pk=major.pk).status == HazardStatus.SUBMITTED


def test_the_leader_reads_but_takes_neither_step(cast, client_for, major):
    client = client_for(cast.leader)
    assert client.get(reverse("inspections:hazard_detail", args=[major.pk])).context["action_forms"] == []
    response = client.post(reverse("inspections:hazard_action", args=[major.pk, "verify_on_site"]), AT_THE_PLACE)
    assert response.status_code == 403


def test_the_safety_offices_home_counts_what_awaits_its_lifting(cast, client_for, major):
    verify_on_site(cast, major)
    response = client_for(cast.safety_officer).get(reverse("dashboards:home"))
    assert response.context["hazards"]["to_lift"] == 1
    assert 'data-testid="to-lift"' in response.content.decode()
    listed = client_for(cast.safety_officer).get(reverse("inspections:hazard_list"), {"state": "to_lift"})
    assert [h.pk for h in listed.context["page_obj"]] == [major.pk]
