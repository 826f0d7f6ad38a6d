"""In a real browser on a phone: a street officer opens the map of ~300 places; the points cluster."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.registry.models import Site, SiteSector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
RISKS = ["red", "orange", "yellow", "blue", ""]


def _places_in_the_street(cast, count: int) -> None:
    rng = random.Random(3)  # inside the cast street's square 120.1–120.2, 30.1–30.2
    sites = Site.objects.bulk_create(
        Site(
            name=f"东街道场所{n}",
            district=cast.district,
            territory=cast.street,
            longitude=Decimal(f"{rng.uniform(120.105, 120.195):.6f}"),
            latitude=Decimal(f"{rng.uniform(30.105, 30.195):.6f}"),
            risk_level=RISKS[n % len(RISKS)],
        )
        for n in range(count)
    )
    SiteSector.objects.bulk_create(SiteSector(site=site, sector_id="industry_trade") for site in sites)


def test_a_street_officer_sees_clustered_places_on_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    _places_in_the_street(cast, 300)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{app_server.url}/accounts/login/?next=/places/map/")
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{app_server.url}/places/map/")
        page.wait_for_selector("#site-map[data-loaded]", state="attached", timeout=15000)
        assert page.get_attribute("#site-map", "data-loaded") == "300"
        page.wait_for_selector(".marker-cluster")
        assert page.locator(".marker-cluster").count() >= 1
        assert page.locator("#site-map .leaflet-overlay-pane svg path").count() == 1  # the street's boundary
        assert page.locator(".territory-label").first.inner_text() == "东街道"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("#site-map").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "registry-map-street-officer-phone.png"), full_page=True)
        # A cluster opens on tap until single places show; a place's popup links to its page.
        for _ in range(8):
            if page.locator(".site-pin").count():
                break
            page.locator(".marker-cluster").first.click()
            page.wait_for_timeout(400)
        pin = page.locator(".site-pin").first
        pin.click()
        link = page.locator(".leaflet-popup-content a")
        link.wait_for()
        assert link.get_attribute("href").startswith("/places/")
        assert errors == []
    finally:
        context.close()


def test_the_place_list_fits_a_phone(browser, app_server, artifacts_dir):
    cast = build_cast()
    _places_in_the_street(cast, 60)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/accounts/login/?next=/places/")
        page.fill("input[name=username]", "street_in")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{app_server.url}/places/")
        assert page.locator("table.site-table tbody tr").count() == 50
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "registry-list-street-officer-phone.png"))
        page.locator("table.site-table tbody a").first.click()
        page.wait_for_selector("[data-testid=site-tabs]")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts_dir / "registry-detail-street-officer-phone.png"), full_page=True)
        page.goto(f"{app_server.url}/places/new/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("fieldset[data-group=construction]").is_hidden()  # until the sector is ticked
        page.locator("input[name=sectors][value=construction]").check()
        assert page.locator("fieldset[data-group=construction]").is_visible()
        page.screenshot(path=str(artifacts_dir / "registry-form-street-officer-phone.png"), full_page=True)
    finally:
        context.close()
