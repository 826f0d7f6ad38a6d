"""The main pages of every role fit a phone (375 px), a common office screen (1366 px) and a wide one (1920 px):
the document never scrolls sideways (a table may scroll inside its own table-responsive box), the header's and the
page title's elements do not lie over each other, badges side by side do not overlap or cut their words off, and no
title, button, tab or table cell is squeezed to a character or two a line (browser_pages.PAGE_PROBLEMS). Then the
pages users found broken: the hazard list's filters, the four-colour map at 1366 px and on a phone, a place's
badges and tabs on a phone, and the street names over the clusters of the map of places.

Each page is loaded once and measured at the three widths. One browser for the module, one context per role,
signed in once; the data is built once for the module."""

from __future__ import annotations

import datetime
import importlib
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services as accidents
from anjian.accidents.choices import AccidentCategory
from anjian.accounts.testing import build_cast
from anjian.conftest import PolicyWatchingBrowser
from anjian.core.permissions import is_business
from anjian.dashboards.tests.browser_pages import KEEP_LEAFLET_MAPS, problems_at
from anjian.inspections import services as inspections
from anjian.inspections.choices import AnswerResult
from anjian.inspections.testing import found_hazard, loop_place, short_checklist
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.models import Site, SiteSector
from anjian.registry.testing import make_site
from anjian.risk import city
from anjian.risk import services as risk
from anjian.risk.installations import identify_sites
from anjian.risk.tests.assessments import point
from anjian.risk.tests.installation_places import add_unit

pytestmark = [pytest.mark.browser]

WIDTHS = (375, 1366, 1920)
HEIGHT = 900
PHONE = {"width": 375, "height": 740}
LEVELS = ["red", "orange", "yellow", "blue", ""]
ROLES = (
    "street_officer",
    "department_officer",
    "inspector",
    "enterprise",
    "leader",
    "safety_officer",
    "city_admin",
    "system_admin",
    "security_admin",
    "audit_admin",
)
# The main pages, measured for every role whose header links to them.
MAIN_PAGES = (
    "dashboards:home",
    "registry:site_list",
    "registry:site_map",
    "inspections:hazard_list",
    "inspections:task_list",
    "inspections:inspection_list",
    "inspections:campaign_list",
    "accidents:accident_list",
    "accidents:statistics",
    "risk:map",
    "risk:ranking",
    "accounts:user_list",
    "organizations:unit_list",
    "core:audit_list",
)


def _square(west: float, south: float, width: float = 0.1, height: float = 0.1) -> dict:
    east, north = west + width, south + height
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture(autouse=True)
def transactional_db(module_app_server):
    """The module's database, built once and emptied after the module (see anjian/conftest.py)."""


@pytest.fixture(scope="module")
def world(module_app_server):
    """The cast, its district's street, second street and park drawn side by side (the park crowded with places),
    and what the main pages list:
    places with long and short names at every level, a major hazard installation, hazards (one major and
    escalated, one with a notice, one at a place of five characters), a campaign with its tasks, a completed
    inspection, an accident, risk assessments and the city ranking of this year."""
    importlib.import_module("anjian.risk.migrations.0002_seed_substances").seed(apps, None)
    cast = build_cast()
    OrgUnit.objects.filter(pk=cast.other_street.pk).update(boundary=_square(120.2, 30.1))
    OrgUnit.objects.filter(pk=cast.park.pk).update(boundary=_square(120.1, 30.0, width=0.2))
    # A park of 600 places: as crowded on a phone as a district.
    rng = random.Random(7)
    crowd = Site.objects.bulk_create(
        Site(
            name=f"园区场所{n:04d}", district=cast.district, territory=cast.park, risk_level=rng.choice(LEVELS),
            longitude=Decimal(f"{rng.uniform(120.101, 120.299):.6f}"),
            latitude=Decimal(f"{rng.uniform(30.001, 30.099):.6f}"),
        )
        for n in range(600)
    )  # fmt: skip
    SiteSector.objects.bulk_create(SiteSector(site=site, sector_id="industry_trade") for site in crowd)
    today = timezone.localdate()
    plant = loop_place(cast, name="东街道江湾社区精细化工品仓储有限公司第二仓库")
    plant.longitude, plant.latitude = Decimal("120.15"), Decimal("30.15")
    plant.save(update_fields=["longitude", "latitude"])
    add_unit(plant, "液氯储罐区", [("液氯", "8", "7782-50-5", "")], people=150)
    identify_sites()
    names = [
        ("金诚游艺厅", "crowded_place"),
        ("滨江区江滨小学", "crowded_place"),
        ("海滨街道江湾社区36号危旧房", "dilapidated_house"),
        ("东街道工业路机械加工厂", "industry_trade"),
    ]
    places = [plant] + [
        make_site(
            district=cast.district, territory=cast.street, sectors=[(sector, "")], name=name,
            longitude=Decimal(f"{120.11 + n / 50:.4f}"), latitude=Decimal(f"{30.12 + n / 60:.4f}"),
        )
        for n, (name, sector) in enumerate(names)
    ]  # fmt: skip
    for site, level in zip(places, ["red", "orange", "yellow", "red", "blue"], strict=True):
        risk.assess_site(actor=cast.safety_officer, site=site, assessed_on=today, points=[point(level)])
    checklist = short_checklist(cast)
    major = found_hazard(cast, plant, major=True, checklist=checklist, seed=1)
    inspections.escalate(
        actor=cast.safety_officer, hazard=major, official="王区长", new_deadline=today + datetime.timedelta(days=20)
    )
    hazard = found_hazard(cast, plant, checklist=checklist, seed=2)
    inspections.issue_notice(
        actor=cast.street_officer, hazard=hazard, deadline=today + datetime.timedelta(days=10), legal_basis="《消防法》"
    )
    found_hazard(cast, places[1], checklist=checklist, seed=3)
    inspection = hazard.inspection
    answered = set(inspection.answers.values_list("item_id", flat=True))
    for item in checklist.items.exclude(pk__in=answered):
        inspections.record_answer(
            actor=cast.street_officer, inspection=inspection, item=item, result=AnswerResult.NOT_APPLICABLE
        )
    inspections.complete_inspection(actor=cast.street_officer, inspection=inspection)
    campaign = inspections.create_campaign(
        actor=cast.safety_officer, name="危险化学品安全专项整治“百日攻坚”行动", kind="special",
        starts_on=today - datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=25),
        deadline=today + datetime.timedelta(days=30), sectors=[Sector.objects.get(code="hazchem")],
    )  # fmt: skip
    inspections.generate_campaign_tasks(actor=cast.safety_officer, campaign=campaign)
    now = timezone.now()
    accident = accidents.record_accident(
        actor=cast.safety_officer, district=cast.district, territory=cast.street, site=plant,
        category=AccidentCategory.PRODUCTION, sector=Sector.objects.get(code="hazchem"), accident_type="poisoning",
        occurred_at=now - datetime.timedelta(hours=5), reported_at=now - datetime.timedelta(hours=4),
        summary="储罐区取样时发生液氯泄漏，一人中毒", serious_injuries=1,
    )  # fmt: skip
    city.take_snapshots(actor=cast.city_admin, year=today.year, city=cast.city)
    badged_place = reverse("registry:site_detail", args=[places[3].pk])
    # The pages of one record each role may open: the business roles' and the administrators'.
    business = [
        reverse("registry:site_detail", args=[plant.pk]),
        badged_place,
        reverse("inspections:hazard_detail", args=[major.pk]),
        reverse("inspections:inspection_detail", args=[inspection.pk]),
        reverse("accidents:accident_detail", args=[accident.pk]),
        reverse("inspections:campaign_detail", args=[campaign.pk]),
    ]
    administration = [
        reverse("accounts:user_detail", args=[cast.street_officer.pk]),
        reverse("organizations:unit_detail", args=[cast.street.pk]),
    ]
    return SimpleNamespace(cast=cast, business=business, administration=administration, badged_place=badged_place)


@pytest.fixture(scope="module")
def watching(chromium):
    """The module's browser, every page watched for Content-Security-Policy violations (anjian/conftest.py)."""
    return PolicyWatchingBrowser(chromium)


@pytest.fixture(scope="module")
def pages(watching, module_app_server, world):
    """One page (in its own browser context) per role, signed in once with a session made by the test client;
    ``pages(role, phone=True)`` is a phone's page instead (touch, a small screen), also made once."""
    made: dict = {}

    def page_of(role: str, *, phone: bool = False):
        if (role, phone) not in made:
            client = Client()
            client.force_login(getattr(world.cast, role))
            options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {}
            context = watching.new_context(locale="zh-CN", **options)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": module_app_server.url}]
            )
            context.add_init_script(script=KEEP_LEAFLET_MAPS)
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda exc, page=page: page.errors.append(str(exc)))
            made[role, phone] = page
        page = made[role, phone]
        page.errors.clear()
        return page

    yield page_of
    watching.collect()


@pytest.fixture
def policy(watching):
    """Fails the test on any Content-Security-Policy violation of its pages."""
    watching.violations.clear()
    yield
    assert not watching.violations, "\n".join(watching.violations)


def _paths_of(page, base: str, details: list[str]) -> list[str]:
    """The main pages the role's header (its menu) links to, then the pages of records."""
    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    page.goto(f"{base}/")
    links = page.eval_on_selector_all(
        "header a[href^='/'], nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    main = {reverse(name) for name in MAIN_PAGES}
    return [link for link in dict.fromkeys(links) if link in main] + details


@pytest.mark.parametrize("role", ROLES)
def test_the_main_pages_of_every_role_fit_a_phone_and_a_desktop(
    pages, module_app_server, world, role, policy, artifacts_dir
):
    page = pages(role)
    user = getattr(world.cast, role)
    details = world.business if is_business(user) else world.administration
    paths = _paths_of(page, module_app_server.url, details)
    problems: list[str] = []
    measured = []
    for path in paths:
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        response = page.goto(f"{module_app_server.url}{path}")
        if path in details and response.status in (403, 404):
            continue  # a detail page this role may not open
        assert response.ok, f"{path}: {response.status}"
        measured.append(path)
        shots = artifacts_dir / f"fit-{role}-{path.strip('/').replace('/', '-') or 'home'}"
        problems.extend(f"{path} {problem}" for problem in problems_at(page, WIDTHS, height=HEIGHT, shots=shots))
    assert reverse("dashboards:home") in measured and len(measured) >= 2, measured  # the header was read
    assert not problems, "\n".join(problems)
    assert page.errors == []


# --- the pages users found broken ------------------------------------------------------------------------------

# The four-colour map as drawn: its box, the width and height its areas take, whether they are all in sight, the
# radius of its circles and the height of its zoom buttons.
MAP_VIEW = """
() => {
  const map = window.__leafletMaps[0];
  const box = map.getContainer().getBoundingClientRect();
  let area = null;
  let radius = null;
  map.eachLayer((layer) => {
    if (layer.feature && layer.getBounds) {
      const b = layer.getBounds();
      area = area ? area.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    }
    if (layer.options.point && radius === null) { radius = layer.getRadius(); }
  });
  const sw = map.latLngToContainerPoint(area.getSouthWest());
  const ne = map.latLngToContainerPoint(area.getNorthEast());
  const buttons = [...document.querySelectorAll(".leaflet-control-zoom a")];
  return {
    width: box.width, height: box.height, areaWidth: ne.x - sw.x, inside: map.getBounds().contains(area),
    radius: radius, buttons: buttons.map((a) => a.getBoundingClientRect().height),
  };
}
"""


def test_the_hazard_list_keeps_the_common_filters_in_sight_and_folds_the_others(
    pages, module_app_server, policy, artifacts_dir
):
    page = pages("safety_officer")
    page.set_viewport_size({"width": 1366, "height": 768})
    url = f"{module_app_server.url}{reverse('inspections:hazard_list')}"
    page.goto(url)
    filters = page.locator("[data-testid=hazard-filters]")
    visible = filters.locator("select, input").evaluate_all(
        "fields => fields.filter(f => f.offsetParent !== null).map(f => f.name)"
    )
    assert visible == ["q", "status", "state", "grade", "overdue"]
    # The first screen shows the filters and the first rows of the table.
    assert filters.bounding_box()["height"] < 200
    assert page.locator("[data-testid=hazard-table] tbody tr").first.bounding_box()["y"] < 768
    # The folded ones open on a click (Bootstrap's collapse from the vendored script, no inline script).
    toggle = page.locator("[data-testid=hazard-more-filters-toggle]")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    page.locator("#hazard-more-filters.show").wait_for()
    assert (
        page.locator("select[name=territory]").is_visible() and page.locator("input[name=reported_after]").is_visible()
    )
    # A folded filter set (the home page's link to escalated hazards): they are open at once, with their count.
    page.goto(f"{url}?state=open&escalated=true")
    assert page.locator("#hazard-more-filters").evaluate("panel => panel.classList.contains('show')")
    assert page.locator("select[name=escalated]").is_visible()
    assert toggle.inner_text().split() == ["更多筛选", "1"]
    # The table fits its card at 1366 px, and a place's name is not broken after three characters.
    page.goto(url)
    table = page.locator("[data-testid=hazard-table]")
    assert table.evaluate("table => table.parentElement.scrollWidth <= table.parentElement.clientWidth")
    place = page.locator("[data-testid=hazard-table] td.cell-name", has_text="金诚游艺厅")
    lines = place.evaluate(
        "cell => { const r = document.createRange(); r.selectNodeContents(cell);"
        " return new Set([...r.getClientRects()].map(box => Math.round(box.top))).size; }"
    )
    assert lines == 1
    page.screenshot(path=str(artifacts_dir / "hazard-list-1366.png"))
    assert problems_at(page, [1366]) == []
    assert page.errors == []


def test_the_four_colour_map_keeps_its_risk_index_in_sight_at_1366(pages, module_app_server, policy):
    page = pages("safety_officer")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{module_app_server.url}{reverse('risk:map')}")
    page.wait_for_selector("#risk-map[data-ready]", state="attached")
    table = page.locator("[data-testid=counts-by-street]")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    index = page.locator("[data-testid=counts-by-street] th", has_text="风险指数")
    card = page.locator(".risk-counts-card").bounding_box()
    box = index.bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"]
    assert page.errors == []


def test_the_four_colour_map_starts_on_the_users_area_on_a_phone(pages, module_app_server, policy, artifacts_dir):
    page = pages("safety_officer", phone=True)
    page.goto(f"{module_app_server.url}{reverse('risk:map')}")
    page.wait_for_selector("#risk-map[data-ready]", state="attached")
    view = page.evaluate(MAP_VIEW)
    page.screenshot(path=str(artifacts_dir / "risk-map-district-phone.png"), full_page=True)
    # The district's three areas fill the width of the map, all of them in sight, on a map no taller than it needs.
    assert view["inside"] and view["areaWidth"] > 0.85 * view["width"], view
    assert 320 <= view["height"] <= 0.6 * PHONE["height"] + 1, view
    assert min(view["buttons"]) >= 44, view  # zoom buttons a finger hits
    # The crowded park's circles are small at first and grow as the map zooms in.
    page.evaluate("() => { const map = window.__leafletMaps[0]; map.setZoom(map.getZoom() + 2, {animate: false}); }")
    page.wait_for_timeout(100)
    zoomed = page.evaluate(MAP_VIEW)
    assert zoomed["radius"] > view["radius"], (view, zoomed)
    assert problems_at(page, [PHONE["width"]], height=PHONE["height"]) == []
    assert page.errors == []


def test_a_places_badges_and_tabs_fit_a_phone(pages, module_app_server, world, policy, artifacts_dir):
    page = pages("street_officer", phone=True)
    page.goto(f"{module_app_server.url}{world.badged_place}")
    title = page.locator("h2.page-title")
    badges = title.locator(".badge")
    assert badges.count() == 2
    first, second = badges.nth(0).bounding_box(), badges.nth(1).bounding_box()
    assert first["x"] + first["width"] <= second["x"] or first["y"] + first["height"] <= second["y"], (first, second)
    for n in range(2):
        assert badges.nth(n).evaluate("badge => badge.scrollWidth <= badge.clientWidth")
    page.screenshot(path=str(artifacts_dir / "place-badges-and-tabs-phone.png"))
    # Every tab is in sight without scrolling the tabs, 检查与隐患 included.
    tabs = page.locator("[data-testid=site-tabs] .nav-link")
    assert tabs.count() >= 5
    for n in range(tabs.count()):
        box = tabs.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (tabs.nth(n).inner_text(), box)
    page.locator("[data-testid=site-tabs] .nav-link", has_text="检查与隐患").click()
    page.wait_for_selector("[data-testid=tab-inspections]")
    assert problems_at(page, [PHONE["width"]], height=PHONE["height"]) == []
    assert page.errors == []


def test_the_street_names_of_the_map_of_places_lie_above_its_clusters(pages, module_app_server, policy):
    page = pages("safety_officer")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{module_app_server.url}{reverse('registry:site_map')}")
    page.wait_for_selector("#site-map[data-loaded]", state="attached")
    page.wait_for_selector(".marker-cluster, .site-pin")
    label = page.locator(".territory-label", has_text="东街道")
    stacking = label.evaluate(
        """(label) => {
          const z = (el) => Number(getComputedStyle(el.closest('.leaflet-pane')).zIndex);
          const marker = document.querySelector('.marker-cluster, .site-pin');
          const ground = getComputedStyle(label).backgroundColor.match(/[0-9.]+/g).map(Number);
          return {label: z(label), marker: z(marker), alpha: ground.length > 3 ? ground[3] : 1,
                  taps: getComputedStyle(label).pointerEvents};
        }"""
    )
    # Drawn above the clusters on a light ground, and a tap on the name reaches the cluster beneath.
    assert stacking["label"] > stacking["marker"] and stacking["alpha"] >= 0.6 and stacking["taps"] == "none", stacking
    # Zoomed far out, the names that no longer fit in their areas wait; zoomed back, they return.
    page.evaluate("() => { window.__leafletMaps[0].setZoom(6, {animate: false}); }")
    page.wait_for_function("() => document.querySelectorAll('.territory-label.map-label-hidden').length >= 2")
    page.evaluate("() => { window.__leafletMaps[0].setZoom(11, {animate: false}); }")
    page.wait_for_function("() => document.querySelectorAll('.territory-label.map-label-hidden').length === 0")
    assert page.errors == []
