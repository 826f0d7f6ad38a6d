"""The top menu (anjian/core/navigation.py, templates/base.html): grouped as the work is organised, each role
offered the pages it works with and never one its page guard refuses, the current group marked, the API
documentation in the technical administrator's menu only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from anjian.core import navigation

pytestmark = pytest.mark.django_db

REGISTRY_DESK = ["sites", "site_map", "responsibility", "disputes", "mandates"]
FIELD = ["tasks", "inspections", "hazards", "campaigns", "checklists", "risk_overdue", "enforcement"]
RISK_READER = ["risk_map", "risk_assessments", "major_hazards", "risk_ranking"]
ACCIDENTS = ["accidents", "investigations", "accident_statistics"]
UNIT_OFFICER = {
    "registry": ["sites", "site_map", "disputes"],
    "field": FIELD,
    "risk": RISK_READER,
    "accidents": ACCIDENTS,
    "system": ["org_units"],
}
# Who gets which groups and pages, in menu order.
MENUS = {
    "street_officer": UNIT_OFFICER,
    "inspector": UNIT_OFFICER,
    "department_officer": {
        **UNIT_OFFICER,
        "risk": ["risk_map", "risk_assessments", "major_hazards", "substances", "risk_ranking"],
    },
    "enterprise": {
        "registry": ["sites"],
        "field": ["tasks", "inspections", "hazards"],
        "risk": ["risk_assessments", "major_hazards"],
        "accidents": ["accidents"],
    },
    "leader": {
        "registry": REGISTRY_DESK,
        "field": ["inspections", "hazards", "campaigns", "risk_overdue"],
        "risk": RISK_READER,
        "accidents": ACCIDENTS,
        "system": ["org_units"],
    },
    "safety_officer": {
        "registry": REGISTRY_DESK,
        "field": FIELD,
        "risk": [
            "risk_map",
            "risk_assessments",
            "major_hazards",
            "substances",
            "risk_ranking",
            "risk_bands",
            "inspection_frequency",
        ],
        "accidents": ACCIDENTS,
        "system": ["org_units"],
    },
    "city_admin": {
        "registry": REGISTRY_DESK,
        "field": [key for key in FIELD if key != "enforcement"],
        "risk": [
            "risk_map",
            "risk_assessments",
            "major_hazards",
            "substances",
            "risk_ranking",
            "risk_bands",
            "inspection_frequency",
        ],
        "accidents": ACCIDENTS,
        "system": ["org_units"],
    },
    "system_admin": {"system": ["org_units", "users", "api_docs"]},
    "security_admin": {"system": ["org_units", "users"]},
    "audit_admin": {"system": ["audit"]},
}


def _menu(user, path: str = "/") -> list[dict]:
    return navigation.menu_for(navigation.items_for(user, path))


def test_each_role_is_offered_the_groups_and_pages_it_works_with(cast):
    found = {
        member: {group["key"]: [item["key"] for item in group["items"]] for group in _menu(getattr(cast, member))}
        for member in MENUS
    }
    assert found == MENUS
    # The groups keep the order of the work: registry, inspections and hazards, risk, accidents, system.
    assert list(found["safety_officer"]) == ["registry", "field", "risk", "accidents", "system"]


def test_an_item_is_not_offered_to_whom_its_page_refuses(cast, request):
    # An item without a narrowing predicate of its own follows the page: the ranking's method is the city's and
    # the districts', a street reads only its own row (the page answers it 404).
    navigation.register(navigation.NavItem(key="method", label="Method", url_name="risk:ranking_config", group="risk"))
    request.addfinalizer(lambda: navigation.unregister("method"))
    offered = {
        member: "method" in [item["key"] for item in navigation.items_for(getattr(cast, member))]
        for member in ("street_officer", "safety_officer", "leader", "city_admin", "enterprise", "system_admin")
    }
    assert offered == {
        "street_officer": False,
        "safety_officer": True,
        "leader": True,
        "city_admin": True,
        "enterprise": False,
        "system_admin": False,
    }


def test_an_item_must_name_a_group_of_the_menu():
    with pytest.raises(ValueError, match="unknown group"):
        navigation.register(navigation.NavItem(key="x", label="X", url_name="core:audit_list", group="misc"))
    assert "x" not in [item.key for item in navigation.registered()]


def test_the_current_page_marks_its_item_and_group(cast):
    menu = _menu(cast.safety_officer, "/risk/ranking/district/3/")
    active = [(group["key"], item["key"]) for group in menu for item in group["items"] if item["active"]]
    assert active == [("risk", "risk_ranking")]
    assert [group["key"] for group in menu if group["active"]] == ["risk"]
    # The most specific address wins: the gap report is not also the places' list.
    menu = _menu(cast.safety_officer, "/places/responsibility/")
    assert [item["key"] for group in menu for item in group["items"] if item["active"]] == ["responsibility"]
    assert [group["key"] for group in _menu(cast.safety_officer, "/notifications/") if group["active"]] == []


def test_the_menu_asks_no_query_once_the_scope_is_known(cast, django_assert_num_queries):
    user = cast.safety_officer
    navigation.items_for(user)
    with django_assert_num_queries(0):
        navigation.menu_for(navigation.items_for(user, "/hazards/"))


def test_the_page_shows_groups_as_dropdowns_and_a_lone_page_as_a_link(cast, client_for):
    html = client_for(cast.safety_officer).get(reverse("risk:ranking")).content.decode()
    groups = re.findall(r'<li class="nav-item dropdown( active)?" data-nav-group="(\w+)">', html)
    assert groups == [("", "registry"), ("", "field"), (" active", "risk"), ("", "accidents")]
    assert 'data-nav="risk_ranking" aria-current="page"' in html
    # The system group holds one page for the office: a plain link, no dropdown.
    assert re.search(r'<li class="nav-item" data-nav-group="system">\s*<a class="nav-link" href="/org/"', html)
    auditor = client_for(cast.audit_admin).get(reverse("core:audit_list")).content.decode()
    assert "data-nav-group" in auditor
    assert not re.search(r'class="nav-item dropdown[^"]*" data-nav-group', auditor)
    assert 'data-nav="audit" aria-current="page"' in auditor


def test_the_api_documentation_is_in_the_technical_administrators_menu_only(cast, client_for):
    with_api = {member for member in MENUS if "api_docs" in MENUS[member].get("system", [])}
    assert with_api == {"system_admin"}
    # The documentation itself stays open to every account (a script's owner finds it on "My account").
    client = client_for(cast.street_officer)
    assert 'href="/api/docs/"' not in client.get(reverse("dashboards:home")).content.decode()
    assert 'href="/api/docs/"' in client.get(reverse("accounts:profile")).content.decode()
    assert client.get(reverse("swagger-ui")).status_code == 200
