"""Every endpoint of the hazard loop tried by the whole cast and an anonymous caller: lists hold exactly
what is in scope, a detail or an action outside it is 404, a visible object the caller may not change is 403,
the three administrators get empty lists and 404s; the lists run a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
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
    TaskOrigin,
)
from anjian.inspections.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    EnforcementAction,
    Escalation,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionTask,
    Photo,
    Rectification,
)
from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db

MEMBERS = [
    "street_officer",
    "other_street_officer",
    "department_officer",
    "inspector",
    "enterprise",
    "leader",
    "safety_officer",
    "city_admin",
    "far_safety_officer",
    "system_admin",
    "security_admin",
    "audit_admin",
]
ADMINISTRATORS = {"system_admin", "security_admin", "audit_admin"}
# Who sees the place in the cast's street (a hazchem store of the cast's enterprise account), hence its
# inspections, hazards and enforcement actions.
PLACE = {"street_officer", "department_officer", "inspector", "enterprise", "leader", "safety_officer", "city_admin"}
# Campaigns concern the whole district's government units; an enterprise sees none.
CAMPAIGN = (PLACE - {"enterprise"}) | {"other_street_officer"}
# Tasks: the places in scope and what is assigned to one's unit; an enterprise only its own assignments.
TASK = PLACE - {"enterprise"}
# Checklists are reference data for every business user.
CHECKLIST = set(MEMBERS) - ADMINISTRATORS
# Officers who change hazards in scope (the leader reads only; the enterprise acts only as the place).
GOVERNMENT = {"street_officer", "department_officer", "inspector", "safety_officer", "city_admin"}


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
    return client


@shared_fixture
def world(cast):
    """One of each: checklist, campaign with its task, an inspection with a general hazard, and a major
    hazard whose place was suspended and then proposed for closure."""
    place = loop_place(cast)
    checklist = short_checklist(cast)
    campaign = services.create_campaign(
        actor=cast.safety_officer,
        name="危化品专项整治",
        kind="special",
        starts_on=_in(0),
        ends_on=_in(30),
        deadline=_in(60),
        sectors=[],
        territories=[cast.street],
        checklist=checklist,
    )
    services.generate_campaign_tasks(actor=cast.safety_officer, campaign=campaign)
    hazard = found_hazard(cast, place, checklist=checklist, seed=1)
    major = found_hazard(cast, place, major=True, checklist=checklist, seed=2)
    suspension = services.order_suspension(actor=cast.street_officer, hazard=major, reason="重大隐患")
    closure = services.request_closure(actor=cast.street_officer, hazard=major, reason="拒不整改")
    return {
        "checklist": checklist,
        "campaign": campaign,
        "task": InspectionTask.objects.get(campaign=campaign),
        "inspection": hazard.inspection,
        "hazard": hazard,
        "major": major,
        "suspension": suspension,
        "closure": closure,
    }


LISTS = {
    # endpoint: (the objects of the world it lists, who sees them)
    "checklists": (("checklist",), CHECKLIST),
    "campaigns": (("campaign",), CAMPAIGN),
    "tasks": (("task",), TASK),
    "inspections": (("inspection", "major_inspection"), PLACE),
    "hazards": (("hazard", "major"), PLACE),
    "enforcement": (("suspension", "closure"), PLACE),
}


def _ids(world, keys) -> set[int]:
    objects = {**world, "major_inspection": world["major"].inspection}
    return {objects[key].pk for key in keys}


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_a_list_holds_exactly_what_is_in_scope(cast, world, member, endpoint):
    keys, viewers = LISTS[endpoint]
    response = _client(getattr(cast, member)).get(f"/api/{endpoint}/")
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == (_ids(world, keys) if member in viewers else set())


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_a_detail_is_200_in_scope_and_404_outside(cast, world, member, endpoint):
    keys, viewers = LISTS[endpoint]
    client = _client(getattr(cast, member))
    for pk in _ids(world, keys):
        assert client.get(f"/api/{endpoint}/{pk}/").status_code == (200 if member in viewers else 404)


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_anonymous_callers_are_401_everywhere(world, endpoint):
    keys, _viewers = LISTS[endpoint]
    client = _client(None)
    assert client.get(f"/api/{endpoint}/").status_code == 401
    for pk in _ids(world, keys):
        assert client.get(f"/api/{endpoint}/{pk}/").status_code == 401


def _expected_write(member: str, viewers: set[str], allowed: set[str], ok: int = 200) -> int:
    if member not in viewers:
        return 404
    return ok if member in allowed else 403


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_a_hazard_is_escalated_only_by_an_officer_in_scope(cast, world, member):
    hazard = world["hazard"]
    user = getattr(cast, member) if member else None
    response = _client(user).post(
        f"/api/hazards/{hazard.pk}/escalate/",
        {"official": "王五（总经理）", "new_deadline": _in(15).isoformat()},
        format="json",
    )
    expected = 401 if member is None else _expected_write(member, PLACE, GOVERNMENT)
    assert response.status_code == expected, response.content
    assert Escalation.objects.filter(hazard=hazard).exists() == (expected == 200)
    if expected == 403:
        assert response.json()["detail"]


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_a_hazard_with_its_photo_is_added_only_by_an_inspector_of_the_inspection(cast, world, member):
    """The multipart step of the loop: only the inspectors of the inspection add a hazard to it."""
    inspection = world["inspection"]
    photos = Photo.objects.count()
    user = getattr(cast, member) if member else None
    response = _client(user).post(
        f"/api/inspections/{inspection.pk}/hazards/",
        {"title": "配电箱未上锁", "photos": [photo(11)]},
        format="multipart",
    )
    expected = 401 if member is None else _expected_write(member, PLACE, {"street_officer"}, ok=201)
    assert response.status_code == expected, response.content
    assert Photo.objects.count() == photos + (1 if expected == 201 else 0)


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_an_answer_is_recorded_only_by_an_inspector_of_the_inspection(cast, world, member):
    inspection = world["inspection"]
    item = world["checklist"].items.order_by("order")[1]
    user = getattr(cast, member) if member else None
    response = _client(user).post(
        f"/api/inspections/{inspection.pk}/answers/", {"item": item.pk, "result": AnswerResult.COMPLIANT}
    )
    expected = 401 if member is None else _expected_write(member, PLACE, {"street_officer"}, ok=201)
    assert response.status_code == expected, response.content
    assert InspectionAnswer.objects.filter(inspection=inspection, item=item).exists() == (expected == 201)


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_a_task_is_assigned_only_by_an_officer_in_scope(cast, world, member):
    task = world["task"]
    user = getattr(cast, member) if member else None
    response = _client(user).post(f"/api/tasks/{task.pk}/assign/", {"assignee": None, "due_on": _in(5)}, format="json")
    expected = 401 if member is None else _expected_write(member, TASK, GOVERNMENT)
    assert response.status_code == expected, response.content
    task.refresh_from_db()
    assert (task.due_on == _in(5)) == (expected == 200)


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_tasks_are_generated_only_by_the_campaigns_organiser(cast, world, member):
    campaign = world["campaign"]
    user = getattr(cast, member) if member else None
    client = _client(user)
    response = client.post(f"/api/campaigns/{campaign.pk}/generate-tasks/")
    expected = 401 if member is None else _expected_write(member, CAMPAIGN, {"safety_officer", "city_admin"})
    assert response.status_code == expected, response.content
    progress = client.get(f"/api/campaigns/{campaign.pk}/progress/")
    assert progress.status_code == (401 if member is None else 200 if member in CAMPAIGN else 404)


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_a_closure_is_decided_only_by_the_safety_office(cast, world, member):
    closure = world["closure"]
    user = getattr(cast, member) if member else None
    response = _client(user).post(
        f"/api/enforcement/{closure.pk}/decide/", {"approve": False, "note": "整改有望，暂不关闭"}, format="json"
    )
    expected = 401 if member is None else _expected_write(member, PLACE, {"safety_officer", "city_admin"})
    assert response.status_code == expected, response.content
    closure.refresh_from_db()
    assert closure.decision == (ClosureDecision.REJECTED if expected == 200 else ClosureDecision.PENDING)


@pytest.mark.parametrize("member", [*MEMBERS, None])
def test_an_inspection_is_started_only_at_a_place_the_inspector_may_inspect(cast, world, member):
    place = world["hazard"].site
    user = getattr(cast, member) if member else None
    before = Inspection.objects.count()
    response = _client(user).post(
        "/api/inspections/", {"site": place.pk, "checklist": world["checklist"].pk}, format="json"
    )
    if member is None:
        assert response.status_code == 401
    elif member not in PLACE:
        # The place is not among those the caller may name: a field error, not a hint that it exists.
        assert response.status_code == 400 and "site" in response.json()["errors"]
    elif member == "leader":
        assert response.status_code == 403
    elif member == "enterprise":
        # The place is under a suspension order: it runs no self-inspection until it resumes.
        assert response.status_code == 400 and response.json()["detail"]
    else:
        assert response.status_code == 201, response.content
        before += 1
    assert Inspection.objects.count() == before


# --- query counts ---------------------------------------------------------------------------------------

# Row n gets STATUSES[(n + 1) % 5]: the first row (at the enterprise's place) is an overdue notice.
STATUSES = [
    HazardStatus.REPORTED,
    HazardStatus.NOTICE_ISSUED,
    HazardStatus.RECTIFYING,
    HazardStatus.SUBMITTED,
    HazardStatus.FIXED_ON_SPOT,
]


def _grow(cast, sites, count: int, start: int) -> None:
    """``count`` more of everything the lists show, written in bulk (the data, not the code under test)."""
    reporter = cast.street_officer
    template = ChecklistTemplate.objects.create(code=f"bulk-{start}", name=f"批量{start}", sector_id="hazchem")
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(template=template, order=n, text=f"检查项{n}") for n in range(count)
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            name=f"整治{start + n}",
            district=cast.district,
            organizer=cast.safety_office,
            starts_on=_in(0),
            ends_on=_in(10),
            deadline=_in(20),
        )
        for n in range(count)
    )
    for campaign in campaigns:
        campaign.sectors.set(["hazchem"])
        campaign.territories.set([cast.street])
    tasks = InspectionTask.objects.bulk_create(
        InspectionTask(
            site=sites[n % len(sites)],
            campaign=campaign,
            origin=TaskOrigin.CAMPAIGN,
            assignee_unit=cast.street,
            assignee=reporter if n % 2 else None,
            due_on=_in(n - 3),
        )
        for n, campaign in enumerate(campaigns)
    )
    inspections = Inspection.objects.bulk_create(
        Inspection(
            site=sites[n % len(sites)],
            task=task,
            campaign=task.campaign,
            checklist=template,
            kind=InspectionKind.SUPERVISION,
            source=HazardSource.SPECIAL,
            org_unit=cast.street,
            created_by=reporter,
        )
        for n, task in enumerate(tasks)
    )
    Inspection.inspectors.through.objects.bulk_create(
        Inspection.inspectors.through(inspection=i, user=u) for i in inspections for u in (reporter, cast.inspector)
    )
    answers = InspectionAnswer.objects.bulk_create(
        InspectionAnswer(inspection=i, item=item, result=AnswerResult.NONCOMPLIANT)
        for i, item in zip(inspections, items, strict=True)
    )
    hazards = Hazard.objects.bulk_create(
        Hazard(
            number=f"T{start + n:08d}",
            site=sites[n % len(sites)],
            district=cast.district,
            sector_id="hazchem",
            inspection=answer.inspection,
            answer=answer,
            campaign=answer.inspection.campaign,
            title=f"隐患{start + n}",
            grade=HazardGrade.MAJOR if n % 5 == 0 else HazardGrade.GENERAL,
            source=HazardSource.SPECIAL,
            status=STATUSES[(n + 1) % len(STATUSES)],
            deadline=_in(n % 7 - 3),
            escalated_at=timezone.now() if n % 3 == 0 else None,
            self_reported=n % 4 == 0,
            reported_by=reporter,
            reporting_unit=cast.street,
        )
        for n, answer in enumerate(answers)
    )
    rectifications = Rectification.objects.bulk_create(
        Rectification(hazard=h, description="已整改", submitted_by=cast.enterprise)
        for h in hazards
        if h.status == HazardStatus.SUBMITTED
    )
    Photo.objects.bulk_create(
        Photo(
            inspection=h.inspection,
            answer=h.answer,
            hazard=h,
            file=f"evidence/bulk/{h.number}.jpg",
            thumbnail=f"evidence/bulk/{h.number}-t.jpg",
            content_type="image/jpeg",
            width=800,
            height=600,
            sha256="0" * 64,
            phash="0" * 16,
            uploaded_by=reporter,
        )
        for h in hazards
    )
    Photo.objects.bulk_create(
        Photo(
            stage="after",
            hazard=r.hazard,
            rectification=r,
            file=f"evidence/bulk/{r.hazard.number}-a.jpg",
            thumbnail=f"evidence/bulk/{r.hazard.number}-at.jpg",
            content_type="image/jpeg",
            width=800,
            height=600,
            sha256="1" * 64,
            phash="1" * 16,
            uploaded_by=cast.enterprise,
        )
        for r in rectifications
    )
    EnforcementAction.objects.bulk_create(
        EnforcementAction(
            hazard=h,
            site=h.site,
            kind=EnforcementKind.SUSPENSION,
            number=f"责停{h.number}",
            reason="重大隐患",
            issued_by=reporter,
            issuing_unit=cast.street,
        )
        for h in hazards
    )


# Lists that are rightly empty for a member in the bulk data (an enterprise has no campaigns and no
# government tasks; only the street's officers have tasks of their own).
NOTHING_TO_LIST = {
    ("enterprise", "/api/tasks/", False),
    ("enterprise", "/api/tasks/", True),
    ("enterprise", "/api/campaigns/", False),
    ("department_officer", "/api/tasks/", True),
    ("safety_officer", "/api/tasks/", True),
}


def _count(client, url, params=None) -> tuple[int, int]:
    client.get(url, params)  # warm caches (content types, the scope) so both runs start alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize(
    "url,params",
    [
        ("/api/hazards/", None),
        ("/api/hazards/", {"state": "open", "overdue": "true", "sector": "hazchem"}),
        ("/api/inspections/", None),
        ("/api/tasks/", None),
        ("/api/tasks/", {"mine": "true"}),
        ("/api/campaigns/", None),
        ("/api/checklists/", {"all": "true"}),
        ("/api/enforcement/", None),
    ],
)
@pytest.mark.parametrize("member", ["street_officer", "department_officer", "enterprise", "safety_officer"])
def test_the_lists_run_the_same_number_of_queries_for_5_and_40_rows(cast, member, url, params):
    place = loop_place(cast)
    sites = [
        place,
        *(
            make_site(district=cast.district, territory=cast.street, sectors=[("hazchem", "")], name=f"库{n}")
            for n in range(3)
        ),
    ]
    client = _client(getattr(cast, member))
    _grow(cast, sites, 5, start=0)
    with_five, listed_five = _count(client, url, params)
    _grow(cast, sites, 35, start=5)
    with_forty, listed_forty = _count(client, url, params)
    assert with_forty == with_five
    if (member, url, bool(params)) not in NOTHING_TO_LIST:
        # Both pages hold rows: an empty page skips the row query and would prove nothing.
        assert 0 < listed_five < listed_forty
