"""The hazard list's filters: the five used every day in sight, the others folded under "更多筛选" and opened by
themselves when one of them is set, so that a link from the home page (escalated hazards) shows what it filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing_shared import shared_fixture
from anjian.inspections.testing import found_hazard, loop_place

pytestmark = pytest.mark.django_db

URL = reverse("inspections:hazard_list")
COMMON = ["q", "status", "state", "grade", "overdue"]
FOLDED = [
    "source", "sector", "territory", "department", "campaign", "escalated", "self_reported", "reported_after",
    "reported_before",
]  # fmt: skip


@shared_fixture
def hazard(cast):
    return found_hazard(cast, loop_place(cast))


def _folded_panel(content: str) -> str:
    start = content.index('id="hazard-more-filters"')
    return content[content.rindex("<div", 0, start) : start]


def test_the_common_filters_are_in_sight_and_the_others_folded(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(URL)
    assert [field.name for field in response.context["common_filters"]] == COMMON
    assert [field.name for field in response.context["more_filters"]] == FOLDED
    assert response.context["more_filters_set"] == 0
    content = response.content.decode()
    assert _folded_panel(content) == '<div class="collapse" '
    assert 'aria-expanded="false" aria-controls="hazard-more-filters"' in content
    assert "更多筛选" in content


def test_the_folded_filters_open_when_one_of_them_is_set(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(URL, {"state": "open", "escalated": "true", "sector": "hazchem"})
    assert response.context["more_filters_set"] == 2  # escalated and sector; state is in sight
    content = response.content.decode()
    assert _folded_panel(content) == '<div class="collapse show" '
    assert 'aria-expanded="true" aria-controls="hazard-more-filters"' in content
    assert list(response.context["page_obj"]) == []  # a new hazard is not escalated
    assert [h.pk for h in client_for(cast.street_officer).get(URL, {"sector": "hazchem"}).context["page_obj"]] == [
        hazard.pk
    ]


def test_a_common_filter_alone_leaves_the_others_folded(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(URL, {"state": "open", "grade": "general", "q": "东街"})
    assert response.context["more_filters_set"] == 0
    assert _folded_panel(response.content.decode()) == '<div class="collapse" '
    assert [h.pk for h in response.context["page_obj"]] == [hazard.pk]


def test_an_invalid_folded_filter_opens_the_panel_with_its_error(cast, client_for, hazard):
    response = client_for(cast.street_officer).get(URL, {"reported_after": "abc"})
    assert response.context["more_filters_set"] == 1
    assert _folded_panel(response.content.decode()) == '<div class="collapse show" '
    assert response.context["form"].errors and list(response.context["page_obj"]) == []
