"""The LEC danger class (STANDARDS §2): one function gives it, each band closed at its upper end, and it is shown
beside every LEC score: the assessment's page, the place's risk tab and the API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token
from anjian.core.testing_shared import shared_fixture
from anjian.risk import services
from anjian.risk.standards import LecClass, lec_class
from anjian.risk.tests.assessments import committed, ls_point, place, point

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0.1", LecClass.SLIGHT),
        ("20", LecClass.SLIGHT),
        ("20.01", LecClass.MODERATE),
        ("70", LecClass.MODERATE),
        ("71", LecClass.SUBSTANTIAL),
        ("160", LecClass.SUBSTANTIAL),
        ("160.5", LecClass.HIGH),
        ("320", LecClass.HIGH),
        ("321", LecClass.EXTREME),
        ("10000", LecClass.EXTREME),
    ],
)
def test_the_class_of_a_score_closes_each_band_at_its_upper_end(score, expected):
    assert lec_class(D(score)) == expected


@shared_fixture
def graded(cast):
    site = place(cast, name="东街仓库", enterprise_n=403)
    with committed():
        assessment = services.assess_site(
            actor=cast.safety_officer,
            site=site,
            assessed_on=timezone.localdate(),
            points=[point("orange"), point("blue"), ls_point(4, 5)],  # D 252, D 42, R 20
        )
    return assessment


def test_pages_show_the_class_beside_each_lec_score(cast, client_for, graded, django_assert_max_num_queries):
    client = client_for(cast.street_officer)
    url = reverse("risk:assessment_detail", args=[graded.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert 'data-class="high"' in html and "高度危险，需立即整改" in html
    assert 'data-class="moderate"' in html and "一般危险，需要注意" in html
    assert html.count('data-testid="lec-class"') == 2  # not beside the LS point's R
    tab = client.get(reverse("registry:site_detail", args=[graded.site_id]) + "?tab=risk").content.decode()
    assert "高度危险，需立即整改" in tab
    assert client_for(cast.other_street_officer).get(url).status_code == 404
    assert client_for(cast.far_safety_officer).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_the_api_gives_the_class_with_each_lec_point(cast, graded):
    def api(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
        return client

    body = api(cast.street_officer).get(f"/api/risk-assessments/{graded.pk}/").json()
    classes = {p["name"]: (p["lec_class"], p["lec_class_label"]) for p in body["points"]}
    assert classes["orange作业"] == ("high", "高度危险，需立即整改")
    assert classes["blue作业"] == ("moderate", "一般危险，需要注意")
    assert classes["矩阵点"] == (None, None)
    assert api(cast.far_safety_officer).get(f"/api/risk-assessments/{graded.pk}/").status_code == 404
    assert api(None).get(f"/api/risk-assessments/{graded.pk}/").status_code == 401


def test_the_schema_describes_the_class():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = schema["components"]["schemas"]["RiskPoint"]["properties"]
    assert {"lec_class", "lec_class_label"} <= set(properties)
    assert properties["lec_class"].get("nullable") is True
