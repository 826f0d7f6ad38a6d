"""The enterprise's home says what it must rectify and by when: its open hazards with their deadlines, the overdue
first, each a link; never another enterprise's, in a number of queries that does not grow with the hazards."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.services import create_user
from anjian.core.testing_shared import shared_fixture
from anjian.inspections import services
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, loop_place, photo

pytestmark = pytest.mark.django_db


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def noticed(cast, site, *, seed: int, deadline: datetime.date) -> Hazard:
    hazard = found_hazard(cast, site, seed=seed)
    services.issue_notice(actor=cast.street_officer, hazard=hazard, deadline=day(30), legal_basis="法")
    Hazard.objects.filter(pk=hazard.pk).update(deadline=deadline)  # as the days went by
    return Hazard.objects.get(pk=hazard.pk)


@shared_fixture
def world(cast):
    own = loop_place(cast)
    neighbour = loop_place(cast, name="东街隔壁仓库", enterprise_n=640)
    other, _password = create_user(
        actor=None,
        username="other_enterprise",
        real_name="隔壁企业",
        org_unit=cast.district,
        role="enterprise",
        password="Cast#Pass2026",
        must_change_password=False,
    )
    neighbour.enterprise.accounts.remove(cast.enterprise)
    neighbour.enterprise.accounts.add(other)
    hazards = {
        "due_in_20": noticed(cast, own, seed=1, deadline=day(20)),
        "overdue_since_5": noticed(cast, own, seed=2, deadline=day(-5)),
        "no_deadline_yet": found_hazard(cast, own, seed=3),
        "due_in_3": noticed(cast, own, seed=4, deadline=day(3)),
        "overdue_since_30": noticed(cast, own, seed=5, deadline=day(-30)),
        "neighbours": noticed(cast, neighbour, seed=6, deadline=day(-60)),
    }
    closed = found_hazard(cast, own, seed=7)
    services.fix_on_spot(actor=cast.street_officer, hazard=closed, description="当场整改", photos=[photo(8)])
    services.verify(actor=cast.department_officer, hazard=closed)
    hazards["closed"] = closed
    return {"other": other, "hazards": hazards, "own": own}


def shown(response, world) -> list[str]:
    by_pk = {hazard.pk: name for name, hazard in world["hazards"].items()}
    return [by_pk[hazard.pk] for hazard in response.context["to_rectify"]["rows"]]


def test_it_lists_what_the_enterprise_must_rectify_the_overdue_first(cast, client_for, world):
    response = client_for(cast.enterprise).get(reverse("dashboards:home"))
    assert shown(response, world) == [
        "overdue_since_30",
        "overdue_since_5",
        "due_in_3",
        "due_in_20",
        "no_deadline_yet",
    ]
    content = response.content.decode()
    for name in ("overdue_since_30", "due_in_3", "no_deadline_yet"):
        assert reverse("inspections:hazard_detail", args=[world["hazards"][name].pk]) in content
    assert day(20).isoformat() in content and day(-30).isoformat() in content
    assert content.count('data-flag="overdue"') == 2
    assert world["hazards"]["closed"].number not in content


def test_another_enterprises_hazards_never_appear(cast, client_for, world):
    mine = client_for(cast.enterprise).get(reverse("dashboards:home"))
    assert "neighbours" not in shown(mine, world)
    assert reverse("inspections:hazard_detail", args=[world["hazards"]["neighbours"].pk]) not in mine.content.decode()
    theirs = client_for(world["other"]).get(reverse("dashboards:home"))
    assert shown(theirs, world) == ["neighbours"]


def test_an_enterprise_with_nothing_open_is_told_so(cast, client_for, world):
    Hazard.objects.filter(site=world["own"]).update(status="verified")
    response = client_for(cast.enterprise).get(reverse("dashboards:home"))
    assert response.context["to_rectify"]["rows"] == []
    assert 'data-testid="to-rectify"' in response.content.decode()


@pytest.mark.parametrize("member", ["street_officer", "safety_officer", "leader", "audit_admin"])
def test_the_list_is_the_enterprises_only(cast, client_for, world, member):
    response = client_for(getattr(cast, member)).get(reverse("dashboards:home"))
    assert response.status_code == 200 and "to_rectify" not in response.context


def test_anonymous_visitors_go_to_the_login_page(client_for, world):
    response = client_for(None).get(reverse("dashboards:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_its_queries_do_not_grow_with_the_hazards(cast, client_for, world, django_assert_max_num_queries):
    client = client_for(cast.enterprise)
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboards:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboards:home"))
    for seed in range(20, 26):
        noticed(cast, world["own"], seed=seed, deadline=day(seed))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("dashboards:home"))
    assert len(response.context["to_rectify"]["rows"]) == 11
    assert len(many) == len(few)


def test_a_long_list_shows_the_most_pressing_and_links_to_all(cast, client_for, world, monkeypatch):
    from anjian.dashboards import selectors

    monkeypatch.setattr(selectors, "ENTERPRISE_HAZARDS_SHOWN", 2)
    response = client_for(cast.enterprise).get(reverse("dashboards:home"))
    assert shown(response, world) == ["overdue_since_30", "overdue_since_5"]
    assert response.context["to_rectify"]["total"] == 5
    assert f"{reverse('inspections:hazard_list')}?state=open" in response.content.decode()
