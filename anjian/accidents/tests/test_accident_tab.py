"""The place's tab "事故": the accidents at the place in the user's scope, their grade, casualties and
investigation, the link to record one more for those who may, 404 out of scope, constant queries."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.accidents import services
from anjian.accidents.models import Accident
from anjian.inspections.testing import zh
from anjian.registry.testing import make_site

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def site(cast):
    return make_site(district=cast.district, territory=cast.street, name="东风机械厂", address="东路1号")


def accident_at(cast, site, n: int, **measures) -> Accident:
    occurred = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI) + datetime.timedelta(days=n)
    return services.record_accident(
        actor=cast.safety_officer,
        district=cast.district,
        site=site,
        sector=site.site_sectors.first().sector,
        category="production",
        accident_type="machinery",
        occurred_at=occurred,
        reported_at=occurred + datetime.timedelta(minutes=20 if n % 2 else 90),
        summary=f"第{n}起机械伤害",
        **measures,
    )


def tab(client, site):
    return client.get(reverse("registry:site_detail", args=[site.pk]), {"tab": "accidents"})


def test_it_lists_the_accidents_of_the_place_with_grade_casualties_and_investigation(cast, client_for, site):
    ordinary = accident_at(cast, site, 1, deaths=1, minor_injuries=2)
    serious = accident_at(cast, site, 2, deaths=3)
    services.open_investigation(
        actor=cast.safety_officer, accident=serious, lead_unit=cast.safety_office, team="区安办"
    )
    elsewhere = make_site(district=cast.district, territory=cast.street, name="别处")
    other = accident_at(cast, elsewhere, 3)
    response = tab(client_for(cast.street_officer), site)
    assert response.status_code == 200
    body = response.content.decode()
    assert zh("Accidents") in body
    assert reverse("accidents:accident_detail", args=[ordinary.pk]) in body
    assert reverse("accidents:accident_detail", args=[serious.pk]) in body
    assert reverse("accidents:accident_detail", args=[other.pk]) not in body
    assert 'data-grade="relatively_serious"' in body and 'data-grade="ordinary"' in body
    # Opened, and past its 60-day deadline (the accident is of 2025).
    assert 'data-investigation="overdue"' in body and 'data-investigation="none"' in body
    assert f"{reverse('accidents:accident_create')}?site={site.pk}" in body


def test_the_record_link_is_only_for_those_who_may_record(cast, client_for, site):
    accident_at(cast, site, 1)
    for member in ("leader", "enterprise"):
        response = tab(client_for(getattr(cast, member)), site)
        assert 'data-testid="record-accident"' not in response.content.decode()


def test_it_answers_404_out_of_scope_and_redirects_anonymous(cast, client_for, client, site):
    accident_at(cast, site, 1)
    assert tab(client_for(cast.other_street_officer), site).status_code == 404
    assert tab(client_for(cast.far_safety_officer), site).status_code == 404
    assert tab(client_for(cast.audit_admin), site).status_code == 404
    client.logout()
    response = tab(client, site)
    assert response.status_code == 302 and "login" in response["Location"]


def test_its_query_count_does_not_grow_with_the_accidents(cast, client_for, site):
    client = client_for(cast.safety_officer)
    accident_at(cast, site, 1)
    tab(client, site)
    with CaptureQueriesContext(connection) as few:
        assert tab(client, site).status_code == 200
    for n in range(2, 12):
        accident = accident_at(cast, site, n, deaths=n % 3)
        if n % 2:
            services.open_investigation(
                actor=cast.safety_officer, accident=accident, lead_unit=cast.safety_office, team="区安办"
            )
    with CaptureQueriesContext(connection) as many:
        assert tab(client, site).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
