"""Names typed by users stay text in a real browser. Every field that reaches a map tooltip or popup, a chart label or
tooltip, or an HTMX fragment holds markup that would run a script if it were ever inserted as HTML:
``<img src=x onerror=…>`` and ``<script>…</script>``. Each page is opened, its tooltips and popups shown, and the
test asserts that no script ran (``window.__xss`` stays unset) and that the markup is shown literally.

Each page is tried twice: with the Content-Security-Policy on, as in production (any refused inline handler fails
the test through the browser fixture), and with the policy bypassed, which proves that the pages insert the text
as text by themselves, should the policy ever be loosened. The data is built once for the module."""

from __future__ import annotations

import datetime
import importlib
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accidents.models import Accident
from anjian.accounts.testing import build_cast
from anjian.dashboards.tests.browser_pages import KEEP_LEAFLET_MAPS
from anjian.inspections import services as inspections
from anjian.inspections.testing import zh
from anjian.organizations.models import OrgUnit, Sector
from anjian.registry.testing import make_site
from anjian.risk import city
from anjian.risk.tests.installation_places import add_unit

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}
TALL = {"width": 1280, "height": 2400}
MODES = [pytest.param(False, id="policy-on"), pytest.param(True, id="policy-bypassed")]


def planted(tag: str) -> str:
    """A value that runs ``window.__xss = tag`` if a page ever inserts it as HTML."""
    return f"<img src=x onerror=\"window.__xss='{tag}'\">{tag}<script>window.__xss='{tag}'</script>"


@pytest.fixture(autouse=True)
def transactional_db(module_app_server):
    """pytest-django's name for "this test uses the database outside a transaction", which makes it create the
    test database: here that database is the module's, built once and emptied after the module (not per test)."""


@pytest.fixture(scope="module")
def city_of_markup(module_app_server):
    """The cast, with markup in every name a page draws from JavaScript: the district, the street and its boundary
    label, a sector, two places (name and address), a chemical unit (a major hazard installation), an accident's
    address (an accident without a place is drawn at its own position), an inspection's map and a campaign's chart,
    and the city ranking's trend (a snapshot of this year)."""
    importlib.import_module("anjian.risk.migrations.0002_seed_substances").seed(apps, None)
    cast = build_cast()
    names = SimpleNamespace(
        district=planted("区"),
        street=planted("街"),
        sector="<img src=x onerror=window.__xss='业'>危化",  # a sector's name has at most 60 characters
        place=planted("场所"),
        address=planted("地址"),
        centre=planted("中心"),
        unit=planted("罐区"),
        accident=planted("事故"),
    )
    OrgUnit.objects.filter(pk=cast.district.pk).update(name=names.district)
    OrgUnit.objects.filter(pk=cast.street.pk).update(name=names.street)
    Sector.objects.filter(code="hazchem").update(name=names.sector)
    # Inside the street's square 120.1–120.2 × 30.1–30.2: the maps fit it, so its centre is the map's centre.
    place = make_site(
        name=names.place, address=names.address, district=cast.district, territory=cast.street,
        sectors=[("hazchem", "storage")], enterprise_n=1, longitude=Decimal("120.12"), latitude=Decimal("30.12"),
    )  # fmt: skip
    centre = make_site(
        name=names.centre, district=cast.district, territory=cast.street, sectors=[("hazchem", "storage")],
        longitude=Decimal("120.15"), latitude=Decimal("30.15"),
    )  # fmt: skip
    add_unit(place, names.unit, [("液氯", "8", "7782-50-5", "")], people=150)
    from anjian.risk.installations import identify_sites

    identify_sites()
    now = timezone.now()
    Accident.objects.create(
        district=cast.district, territory=cast.street, category="production", sector_id="hazchem",
        accident_type="poisoning", occurred_at=now - datetime.timedelta(minutes=30), reported_at=now,
        address=names.accident, latitude=Decimal("30.15"), longitude=Decimal("120.15"), summary=planted("概况"),
        created_by=cast.safety_officer,
    )  # fmt: skip
    checklist = inspections.create_checklist(
        actor=cast.city_admin, code="markup", name="危化品检查表", sector_code="hazchem",
        items=[{"text": "疏散通道畅通", "legal_basis": "《消防法》第二十八条"}],
    )  # fmt: skip
    inspection = inspections.start_inspection(
        actor=cast.street_officer, site=place, checklist=checklist,
        latitude=Decimal("30.14"), longitude=Decimal("120.14"), accuracy=15,
    )  # fmt: skip
    today = timezone.localdate()
    campaign = inspections.create_campaign(
        actor=cast.safety_officer, name="危化品专项整治", kind="special", starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5), deadline=today + datetime.timedelta(days=30),
        sectors=[Sector.objects.get(code="hazchem")],
    )  # fmt: skip
    city.take_snapshots(actor=cast.city_admin, year=today.year, city=cast.city)
    return SimpleNamespace(
        cast=cast, names=names, place=place, centre=centre, inspection=inspection, campaign=campaign, year=today.year
    )


@contextmanager
def signed_in(browser, server, user, *, bypass_csp: bool, viewport: dict = DESKTOP):
    """A desktop page signed in as ``user`` (a session made by the test client, no login form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    context.add_init_script(script=KEEP_LEAFLET_MAPS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        assert page.evaluate("window.__xss") is None, "a planted script ran"
        assert errors == []
    finally:
        context.close()


def _tooltip(page) -> str:
    # Not a permanent label; the newest, as the one closed last may still be fading out.
    tooltip = page.locator(".leaflet-tooltip:not(.territory-label):not(.risk-area-label)").last
    tooltip.wait_for()
    return tooltip.inner_text()


def _popup(page) -> str:
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    page.locator(".leaflet-popup-close-button").click()
    page.locator(".leaflet-popup").first.wait_for(state="detached")  # it fades out before it goes
    return text


def _drawn_at(page, lat: float, lon: float) -> tuple[float, float]:
    """Where the page's map draws (lat, lon), in window coordinates, scrolled into the window first."""
    for _ in range(3):
        x, y = page.evaluate(
            """([lat, lon]) => {
              const map = window.__leafletMaps[0];
              const point = map.latLngToContainerPoint([lat, lon]);
              const box = map.getContainer().getBoundingClientRect();
              return [box.left + point.x, box.top + point.y];
            }""",
            [lat, lon],
        )
        if 0 < y < DESKTOP["height"] - 20:
            return x, y
        page.mouse.wheel(0, y - DESKTOP["height"] / 2)
        page.wait_for_timeout(200)
    raise AssertionError(f"({lat}, {lon}) is not in the window")


def _hover(page, x: float, y: float) -> None:
    """Move onto (x, y) and stay: Leaflet's canvas reads at most one move every 32 ms and drops the others, so
    the last step is repeated once that time has passed."""
    page.mouse.move(x, y, steps=4)
    page.wait_for_timeout(60)
    page.mouse.move(x + 0.5, y)


def _centre(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _chart_tooltip(page, selector: str, expected: str) -> str:
    """Hover the middle of an ECharts chart and wait for its axis tooltip to show ``expected``."""
    x, y = _centre(page, selector)
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=4)
    page.wait_for_function(
        "([selector, expected]) => document.querySelector(selector).innerText.includes(expected)",
        arg=[selector, expected],
    )
    return page.locator(selector).inner_text()


@pytest.mark.parametrize("bypass_csp", MODES)
def test_the_map_of_places_shows_names_addresses_and_layers_as_text(browser, module_app_server, city_of_markup,
                                                                    bypass_csp):  # fmt: skip
    data, names = city_of_markup, city_of_markup.names
    with signed_in(browser, module_app_server, data.cast.street_officer, bypass_csp=bypass_csp) as page:
        page.goto(f"{module_app_server.url}{reverse('registry:site_map')}")
        page.wait_for_selector("#site-map[data-loaded='2']", state="attached")
        assert page.locator(".territory-label").inner_text() == names.street
        pins = page.locator(".site-pin")
        assert sorted(pins.nth(i).get_attribute("title") for i in range(2)) == sorted([names.place, names.centre])
        popups = set()
        for i in range(2):
            pins.nth(i).click()
            popups.add(_popup(page).split("\n")[0])
        assert popups == {names.place, names.centre}

        # The layers, without the places' pins over them (a search that matches no place).
        page.goto(f"{module_app_server.url}{reverse('registry:site_map')}?q=nothing-matches")
        page.wait_for_selector("#site-map[data-loaded='0']", state="attached")
        page.locator("[data-testid=map-layer-accidents]").check()
        page.wait_for_selector("#site-map[data-layer-accidents='1']", state="attached")
        _hover(page, *_drawn_at(page, 30.15, 120.15))
        assert names.accident in _tooltip(page)
        page.locator("[data-testid=map-layer-accidents]").uncheck()
        page.locator("[data-testid=map-layer-major_hazards]").check()
        page.wait_for_selector("#site-map[data-layer-major_hazards='1']", state="attached")
        place_at = _drawn_at(page, 30.12, 120.12)
        _hover(page, *place_at)
        tooltip = _tooltip(page)
        assert names.place in tooltip and names.unit in tooltip
        page.mouse.click(*place_at)
        assert names.unit in _popup(page)


@pytest.mark.parametrize("bypass_csp", MODES)
def test_the_four_colour_map_shows_street_and_place_names_as_text(browser, module_app_server, city_of_markup,
                                                                  bypass_csp):  # fmt: skip
    data, names = city_of_markup, city_of_markup.names
    with signed_in(browser, module_app_server, data.cast.street_officer, bypass_csp=bypass_csp) as page:
        page.goto(f"{module_app_server.url}{reverse('risk:map')}")
        page.wait_for_selector("#risk-map[data-ready]", state="attached")
        assert page.locator(".risk-area-label").inner_text() == names.street
        page.locator(".risk-installation").click()
        assert _popup(page).split("\n")[0] == names.place
        page.mouse.click(*_drawn_at(page, 30.15, 120.15))  # the place at the street's centre, on the canvas
        assert _popup(page).split("\n")[0] == names.centre
        assert names.street in page.locator("[data-testid=counts-by-street]").inner_text()


@pytest.mark.parametrize("bypass_csp", MODES)
def test_an_inspections_map_shows_the_place_name_as_text(browser, module_app_server, city_of_markup, bypass_csp):
    data, names = city_of_markup, city_of_markup.names
    with signed_in(browser, module_app_server, data.cast.street_officer, bypass_csp=bypass_csp) as page:
        page.goto(f"{module_app_server.url}{reverse('inspections:inspection_detail', args=[data.inspection.pk])}")
        page.wait_for_selector("#inspection-map[data-loaded]", state="attached")
        _hover(page, *_drawn_at(page, 30.12, 120.12))
        assert _tooltip(page) == names.place
        _hover(page, *_drawn_at(page, 30.14, 120.14))
        assert _tooltip(page) == zh("Where the inspection was recorded")


@pytest.mark.parametrize("bypass_csp", MODES)
def test_charts_show_street_district_and_sector_names_as_text(browser, module_app_server, city_of_markup,
                                                              bypass_csp):  # fmt: skip
    data, names = city_of_markup, city_of_markup.names
    base = module_app_server.url
    # Tall enough for every chart of a page without scrolling: the mouse hovers window coordinates.
    with signed_in(browser, module_app_server, data.cast.safety_officer, bypass_csp=bypass_csp, viewport=TALL) as page:
        page.goto(f"{base}{reverse('inspections:campaign_detail', args=[data.campaign.pk])}")
        page.wait_for_selector("#campaign-chart svg")
        assert names.street in _chart_tooltip(page, "#campaign-chart", names.street)
        # The progress bars take their width from data-progress (a style attribute the policy would refuse).
        widths = page.locator("[data-progress]").evaluate_all(
            "bars => bars.map(bar => [bar.style.width, parseFloat(bar.dataset.progress) + '%'])"
        )
        assert widths and all(width == expected for width, expected in widths), widths

        statistics = reverse("accidents:statistics")
        for group, expected in (("territory", names.street), ("sector", names.sector)):
            page.goto(f"{base}{statistics}?period=year&year={data.year}&group={group}")
            page.wait_for_selector("#statistics-bars svg")
            assert expected in _chart_tooltip(page, "#statistics-bars", expected)
        _chart_tooltip(page, "#statistics-trend", "1")

        page.goto(f"{base}{reverse('risk:ranking')}")
        page.wait_for_selector("#ranking-trend canvas")
        assert names.district in _chart_tooltip(page, "#ranking-trend", names.district)
        page.goto(f"{base}{reverse('risk:street_ranking', args=[data.cast.district.pk])}")
        page.wait_for_selector("#ranking-trend canvas")
        assert names.street in _chart_tooltip(page, "#ranking-trend", names.street)


@pytest.mark.parametrize("bypass_csp", MODES)
def test_the_place_search_fragment_and_the_pages_show_names_as_text(browser, module_app_server, city_of_markup,
                                                                    bypass_csp):  # fmt: skip
    data, names = city_of_markup, city_of_markup.names
    base = module_app_server.url
    with signed_in(browser, module_app_server, data.cast.street_officer, bypass_csp=bypass_csp) as page:
        page.goto(f"{base}{reverse('accidents:accident_create')}")
        page.fill("[data-testid=place-search]", "场所")
        result = page.locator(f"input[name=site][value='{data.place.pk}'] + .form-check-label")
        result.wait_for()
        text = result.inner_text()
        assert names.place in text and names.address in text and names.street in text

        page.goto(f"{base}/")
        assert names.street in page.locator("[data-testid=home-panel]").inner_text()
        page.wait_for_selector("#home-map path.leaflet-interactive")
        page.goto(f"{base}{reverse('registry:site_detail', args=[data.place.pk])}")
        assert names.place in page.locator("h2.page-title").inner_text()
